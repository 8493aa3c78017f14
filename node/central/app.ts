import { LocalAuth } from '../api/auth.js';
import { dbSessionStore } from '../api/sessions.js';
import { createLogger } from '../log.js';
import { registerAdminRoutes } from './admin.js';
import { openCentralDb, type CentralDb } from './database.js';
import type { GrantPolicy } from './grants.js';
import { openNotifier, type StoreNotifier } from './notify.js';
import { createFedApp } from './server.js';
import { dropExpiredNonces, type RateLimit } from './signature.js';

const log = createLogger('central');
const NONCE_SWEEP_MS = 60_000;

export interface CentralOptions {
  /** PostgreSQL (several central processes may share it); else PGlite in `dataDir`. */
  databaseUrl?: string;
  dataDir?: string;
  host?: string;
  port?: number;
  secret?: string;
  rateLimit?: RateLimit;
  grants?: GrantPolicy;
  poolSize?: number;
}

export interface RunningCentral {
  central: CentralDb;
  notifier: StoreNotifier;
  auth: LocalAuth;
  url: string;
  port: number;
  signInUrl(): string;
  close(): Promise<void>;
}

/** A central process: its database, the federation API for devices, the operator's methods, the nonce sweep. */
export async function startCentral(options: CentralOptions): Promise<RunningCentral> {
  const central = await openCentralDb(options);
  const stops: (() => Promise<void> | void)[] = [() => central.close()];
  try {
    const notifier = await openNotifier(central.db);
    stops.push(() => notifier.close());
    const auth = await LocalAuth.open(dbSessionStore(central.db), options.secret);
    const app = await createFedApp({ central, notifier, rateLimit: options.rateLimit, grants: options.grants });
    registerAdminRoutes(app, central.db, auth, notifier);
    await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
    stops.push(() => app.close());
    const sweep = setInterval(() => {
      dropExpiredNonces(central.db).catch((error: unknown) => log.warn({ err: error }, 'nonce sweep failed'));
    }, NONCE_SWEEP_MS);
    sweep.unref();
    stops.push(() => clearInterval(sweep));
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const url = `http://${options.host ?? '127.0.0.1'}:${port}`;
    log.info({ url, engine: central.db.engine, deviceId: central.identity.deviceId }, 'central ready');
    return {
      central,
      notifier,
      auth,
      url,
      port,
      signInUrl: () => `${url}/?code=${auth.oneTimeCode ?? auth.renewCode()}`,
      async close() {
        for (const stop of stops.reverse()) await stop();
      },
    };
  } catch (error) {
    for (const stop of stops.reverse()) await stop();
    throw error;
  }
}
