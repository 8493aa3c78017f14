import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { FED_PREFIX, reportRequest } from '../../shared/federation.js';
import { newId } from '../../shared/ids.js';
import { parseOrThrow } from '../api/errors.js';
import type { Db } from '../db/types.js';
import { createLogger } from '../log.js';
import { listDevices, type DeviceRow } from './enrollment.js';
import type { SignedDevice } from './signature.js';

const log = createLogger('central-devices');

/** A device whose last report is older than this is shown offline (the relay reports after every round, and polls every 30 s). */
export const ONLINE_WITHIN_MS = 2 * 60_000;
const REPORT_BODY_LIMIT = 64 * 1024;

type Report = z.infer<typeof reportRequest>;

/**
 * Stores a device's report (its relay status, by the central's clock) and answers the reconciliation the operator
 * asked of it, if any; a report echoing that request's token clears it.
 */
export async function recordReport(db: Db, device: SignedDevice, report: Report): Promise<string | null> {
  const [row] = await db.query<{ token: string | null }>(
    `INSERT INTO central_device_status AS s (store_id, device_id, reported_at, app_version, status)
     VALUES ($1, $2, now(), $3, $4::jsonb)
     ON CONFLICT (store_id, device_id) DO UPDATE SET
       reported_at = now(), app_version = EXCLUDED.app_version, status = EXCLUDED.status,
       reconcile_token = CASE WHEN s.reconcile_token = $5::uuid THEN NULL ELSE s.reconcile_token END,
       reconcile_asked_at = CASE WHEN s.reconcile_token = $5::uuid THEN NULL ELSE s.reconcile_asked_at END
     RETURNING reconcile_token::text AS token`,
    [device.storeId, device.deviceId, report.appVersion, JSON.stringify(report.status), report.reconciled],
  );
  return row?.token ?? null;
}

/** The operator asks a device to reconcile now: kept until the device reports that it did (see recordReport). */
export async function askReconcile(db: Db, deviceId: string): Promise<{ storeId: string; askedAt: string } | undefined> {
  const [row] = await db.query<{ store_id: string; asked_at: Date }>(
    `INSERT INTO central_device_status (store_id, device_id, reconcile_token, reconcile_asked_at)
     SELECT store_id, device_id, $2, now() FROM central_devices WHERE device_id = $1 AND revoked_at IS NULL
     ON CONFLICT (store_id, device_id) DO UPDATE SET reconcile_token = EXCLUDED.reconcile_token, reconcile_asked_at = EXCLUDED.reconcile_asked_at
     RETURNING store_id::text AS store_id, reconcile_asked_at AS asked_at`,
    [deviceId, newId()],
  );
  if (row) log.info({ deviceId, storeId: row.store_id }, 'reconciliation asked by the operator');
  return row && { storeId: row.store_id, askedAt: row.asked_at.toISOString() };
}

/** A device as the operator's table shows it: enrollment, what it last reported, what the central knows itself. */
export interface DeviceOverview extends DeviceRow {
  online: boolean;
  /** When its last report arrived (central clock); null before the first. */
  lastContactAt: string | null;
  appVersion: string | null;
  backlog: number | null;
  breaker: 'closed' | 'open' | 'halfOpen' | null;
  lastReconcile: { at: string; outcome: string; pulled: number; pushed: number; reason: string } | null;
  /** As the device counts them (it knows what it used offline), else from the central's open grants. */
  fiscalNumbersLeft: number | null;
  reconcileAskedAt: string | null;
  /** The whole relay status of the last report (fields newer terminals add included). */
  status: Record<string, unknown> | null;
}

interface StatusRow {
  device_id: string;
  reported_at: Date | null;
  app_version: string | null;
  status: Record<string, unknown> | null;
  online: boolean;
  asked_at: Date | null;
}

export async function deviceOverview(db: Db, storeId?: string): Promise<DeviceOverview[]> {
  const [devices, statuses, grants] = await Promise.all([
    listDevices(db, storeId),
    db.query<StatusRow>(
      `SELECT device_id::text AS device_id, reported_at, app_version, status, reconcile_asked_at AS asked_at,
         coalesce(reported_at > now() - make_interval(secs => $2::float8 / 1000), false) AS online
       FROM central_device_status WHERE $1::uuid IS NULL OR store_id = $1`,
      [storeId ?? null, ONLINE_WITHIN_MS],
    ),
    db.query<{ device_id: string; numbers: string }>(
      `SELECT device_id::text AS device_id, sum(last_number - greatest(used_upto, first_number - 1))::text AS numbers
       FROM central_fiscal_ranges WHERE ($1::uuid IS NULL OR store_id = $1) AND state = 'open' AND (expires_at IS NULL OR expires_at > now())
       GROUP BY device_id`,
      [storeId ?? null],
    ),
  ]);
  const byDevice = new Map(statuses.map((s) => [s.device_id, s]));
  const granted = new Map(grants.map((g) => [g.device_id, Number(g.numbers)]));
  return devices.map((device) => {
    const row = byDevice.get(device.deviceId);
    const status = row?.status ?? null;
    const reported = (key: string) => (status && key in status ? status[key] : undefined);
    const breaker = reported('breaker') as { state?: DeviceOverview['breaker'] } | undefined;
    return {
      ...device,
      online: (row?.online ?? false) && device.revokedAt === null,
      lastContactAt: row?.reported_at?.toISOString() ?? null,
      appVersion: row?.app_version ?? null,
      backlog: typeof reported('backlog') === 'number' ? (reported('backlog') as number) : null,
      breaker: breaker?.state ?? null,
      lastReconcile: (reported('lastReconcile') as DeviceOverview['lastReconcile'] | undefined) ?? null,
      fiscalNumbersLeft: typeof reported('fiscalNumbersLeft') === 'number' ? (reported('fiscalNumbersLeft') as number) : (granted.get(device.deviceId) ?? null),
      reconcileAskedAt: row?.asked_at?.toISOString() ?? null,
      status,
    };
  });
}

/** POST /fed/v1/report (signed): the relay's status after each round; the answer may ask for a reconciliation. */
export function registerReportRoute(
  app: FastifyInstance,
  db: Db,
  hooks: { onRequest: (request: FastifyRequest) => Promise<void>; preHandler: (request: FastifyRequest) => Promise<void> },
  deviceOf: (request: FastifyRequest) => SignedDevice,
): void {
  app.post(`${FED_PREFIX}/report`, { ...hooks, bodyLimit: REPORT_BODY_LIMIT }, async (request) => {
    const report = parseOrThrow(reportRequest, request.body);
    return { reconcile: await recordReport(db, deviceOf(request), report) };
  });
}
