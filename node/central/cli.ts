import { AppError } from '../../shared/errors.js';
import { portSchema } from '../runtime/settings.js';
import { startCentral, type RunningCentral } from './app.js';
import { openCentralDb } from './database.js';
import { askReconcile, deviceOverview, type DeviceOverview } from './device-status.js';
import { createEnrollmentCode, revokeDevice } from './enrollment.js';
import { grantPolicyFromEnv } from './grant-policy.js';
import { announceMore, announceRevoked } from './notify.js';

export const CENTRAL_USAGE = `  mostrador central [--data-dir DIR] [--port N] [--host H] run a central (PostgreSQL when DATABASE_URL is set,
                                                     else PGlite in the data folder); prints the operator's link
  mostrador central enroll-code [--store ID] [--name N] a one-time enrollment code for a store (no --store: for a
                                                     new store, which the first terminal brings)
  mostrador central devices [--store ID]              the enrolled devices and what each last reported (online,
                                                     backlog, breaker, last reconciliation, fiscal numbers left)
  mostrador central reconcile --device ID             ask a device to reconcile with the central at its next round
  mostrador central revoke --device ID                revoke a device (its signed calls are refused from now on)
  (enroll-code, devices, reconcile and revoke open the central's database: with PGlite, only while no central runs on it)`;

export interface CentralCliValues {
  dataDir: string;
  port?: string;
  host?: string;
  store?: string;
  name?: string;
  device?: string;
}

const out = (line: string) => process.stdout.write(`${line}\n`);

/** `mostrador central …`: runs the central in the foreground, or operates on its database. */
export async function runCentralCli(sub: string, values: CentralCliValues): Promise<number> {
  const databaseUrl = process.env.DATABASE_URL || undefined;
  if (sub === '') return runCentralForeground({ ...values, databaseUrl });
  const central = await openCentralDb({ databaseUrl, dataDir: values.dataDir });
  try {
    switch (sub) {
      case 'enroll-code': {
        const { code, expiresAt } = await createEnrollmentCode(central.db, { storeId: values.store, storeName: values.name });
        out(`enrollment code: ${code}\nvalid once, until ${expiresAt}${values.store ? ` · store ${values.store}` : ' · for a new store'}`);
        return 0;
      }
      case 'devices':
        for (const d of await deviceOverview(central.db, values.store)) {
          out(`${d.storeId}  ${d.deviceId}  ${d.name}  held up to ${d.ackedSeq}  ${reported(d)}${d.revokedAt ? `  REVOKED ${d.revokedAt}` : ''}`);
        }
        return 0;
      case 'reconcile': {
        if (!values.device) throw new AppError('ValidationError', 'central reconcile needs --device ID');
        const asked = await askReconcile(central.db, values.device);
        if (!asked) return out('no enrolled, unrevoked device with that id'), 1;
        await announceMore(central.db, asked.storeId);
        out(`device ${values.device} asked to reconcile; it does at its next round (see: mostrador central devices)`);
        return 0;
      }
      case 'revoke':
        if (!values.device) throw new AppError('ValidationError', 'central revoke needs --device ID');
        if (!(await revokeDevice(central.db, values.device))) return out('no enrolled, unrevoked device with that id'), 1;
        await announceRevoked(central.db, values.device);
        out(`device ${values.device} revoked`);
        return 0;
      default:
        out(`unknown command: central ${sub}\n\n${CENTRAL_USAGE}`);
        return 2;
    }
  } finally {
    await central.close();
  }
}

/** What a device last reported, in one line. */
function reported(d: DeviceOverview): string {
  if (!d.lastContactAt) return `never reported${d.reconcileAskedAt ? ' · reconcile asked' : ''}`;
  const r = d.lastReconcile;
  return [
    d.online ? 'online' : 'offline',
    `last contact ${d.lastContactAt}`,
    `backlog ${d.backlog ?? '?'}`,
    `breaker ${d.breaker ?? '?'}`,
    r ? `reconcile ${r.outcome} at ${r.at}` : 'never reconciled',
    `fiscal numbers left ${d.fiscalNumbersLeft ?? '—'}`,
    `v${d.appVersion ?? '?'}`,
    ...(d.reconcileAskedAt ? [`reconcile asked ${d.reconcileAskedAt}`] : []),
  ].join(' · ');
}

/** The central's process: prints the operator's sign-in link, serves until SIGINT/SIGTERM. */
export async function runCentralForeground(options: CentralCliValues & { databaseUrl?: string }): Promise<number> {
  const port = options.port === undefined ? 0 : portSchema.parse(options.port);
  const central: RunningCentral = await startCentral({
    databaseUrl: options.databaseUrl,
    dataDir: options.dataDir,
    port,
    host: options.host ?? '127.0.0.1',
    secret: process.env.MOSTRADOR_LAUNCH_SECRET,
    grants: grantPolicyFromEnv(),
  });
  out('\nMostrador central is running. Operator sign-in link (works once, within 10 minutes):\n');
  out(`  ${central.signInUrl()}\n`);
  out(`Federation: ${central.url}/fed/v1 · database ${options.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${options.dataDir}`}`);
  out('Enrollment codes: POST /admin/v1/enrollment-codes, or mostrador central enroll-code · stop: Ctrl+C');
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await central.close();
  return 0;
}
