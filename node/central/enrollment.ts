import { createHash, randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { AppError } from '../../shared/errors.js';
import type { enrollRequest, enrollResponse } from '../../shared/federation.js';
import { GENESIS_HASH } from '../../shared/events.js';
import type { Db } from '../db/types.js';
import { createLogger } from '../log.js';

const log = createLogger('central-enroll');

export const CODE_TTL_MS = 24 * 60 * 60 * 1000;
const codeHash = (code: string) => createHash('sha256').update(code).digest('hex');

/**
 * A one-time enrollment code for a store (or, with no store, for a new store that the first terminal brings), valid
 * for a day; only its hash is kept. A code may name a store the central does not hold yet: the standalone terminal
 * of that id brings it.
 */
export async function createEnrollmentCode(db: Db, options: { storeId?: string; storeName?: string; ttlMs?: number }): Promise<{ code: string; expiresAt: string }> {
  const code = randomBytes(15).toString('base64url');
  const expiresAt = new Date(Date.now() + (options.ttlMs ?? CODE_TTL_MS));
  await db.query('INSERT INTO enrollment_codes (store_id, code_hash, store_name, expires_at) VALUES ($1, $2, $3, $4)', [
    options.storeId ?? null,
    codeHash(code),
    options.storeName ?? 'Tienda',
    expiresAt,
  ]);
  return { code, expiresAt: expiresAt.toISOString() };
}

type EnrollRequest = z.infer<typeof enrollRequest>;
type EnrollResponse = z.infer<typeof enrollResponse>;

/**
 * Spends a code and enrolls the device under its own device id, in one transaction. The store: the code's, when it
 * names one; the terminal's own otherwise (a standalone store joining the central). A terminal with events of its own
 * may only bring its own store, never join another one (its events belong to its store). A device enrolled again
 * (restored, reinstalled) gets a new secret; a revoked one stays out.
 */
export async function enroll(db: Db, request: EnrollRequest): Promise<EnrollResponse> {
  const secret = randomBytes(32).toString('base64url');
  const storeId = await db.write(async (tx) => {
    const [code] = await tx.query<{ store_id: string | null; store_name: string; live: boolean }>(
      `SELECT store_id::text AS store_id, store_name, expires_at > now() AS live FROM enrollment_codes
       WHERE code_hash = $1 AND used_at IS NULL FOR UPDATE`,
      [codeHash(request.code)],
    );
    if (!code || !code.live) throw new AppError('Unauthorized', 'This enrollment code is unknown, used or expired; ask the owner for a new one.');
    const storeId = code.store_id ?? request.storeId;
    if (storeId !== request.storeId && request.ownEvents > 0) {
      throw new AppError('Conflict', 'This terminal already has sales of its own store; it can only join the central as that store (ask for a code for a new store).');
    }
    const [existing] = await tx.query<{ store_id: string; revoked: boolean }>(
      'SELECT store_id::text AS store_id, revoked_at IS NOT NULL AS revoked FROM central_devices WHERE device_id = $1 FOR UPDATE',
      [request.deviceId],
    );
    if (existing?.revoked) throw new AppError('Forbidden', 'This device was revoked at the central; it cannot enroll again.');
    if (existing && existing.store_id !== storeId) throw new AppError('Conflict', 'This device is enrolled in another store.');
    await tx.query(
      `WITH s AS (INSERT INTO central_stores (store_id, name) VALUES ($1, $2) ON CONFLICT DO NOTHING),
       o AS (INSERT INTO store_order (store_id) VALUES ($1) ON CONFLICT DO NOTHING),
       h AS (INSERT INTO journal_head (store_id, device_id, seq, hash, hlc) VALUES ($1, $3, 0, $6, '') ON CONFLICT DO NOTHING),
       c AS (UPDATE enrollment_codes SET used_at = now(), used_by = $3 WHERE code_hash = $5)
       INSERT INTO central_devices (store_id, device_id, name, secret) VALUES ($1, $3, $4, $7)
       ON CONFLICT (store_id, device_id) DO UPDATE SET secret = EXCLUDED.secret, name = EXCLUDED.name, enrolled_at = now()`,
      [storeId, code.store_name, request.deviceId, request.deviceName, codeHash(request.code), GENESIS_HASH, secret],
    );
    return storeId;
  });
  log.info({ deviceId: request.deviceId, storeId }, 'device enrolled');
  return { deviceId: request.deviceId, storeId, secret, centralTime: new Date().toISOString() };
}

export async function revokeDevice(db: Db, deviceId: string): Promise<boolean> {
  const rows = await db.query('UPDATE central_devices SET revoked_at = now() WHERE device_id = $1 AND revoked_at IS NULL RETURNING 1', [deviceId]);
  if (rows.length > 0) log.warn({ deviceId }, 'device revoked');
  return rows.length > 0;
}

export interface DeviceRow {
  storeId: string;
  deviceId: string;
  name: string;
  enrolledAt: string;
  revokedAt: string | null;
  ackedSeq: number;
}

export async function listDevices(db: Db, storeId?: string): Promise<DeviceRow[]> {
  const rows = await db.query<{ store_id: string; device_id: string; name: string; enrolled_at: Date; revoked_at: Date | null; seq: number | null }>(
    `SELECT d.store_id::text AS store_id, d.device_id::text AS device_id, d.name, d.enrolled_at, d.revoked_at, h.seq
     FROM central_devices d LEFT JOIN journal_head h ON h.store_id = d.store_id AND h.device_id = d.device_id
     WHERE $1::uuid IS NULL OR d.store_id = $1 ORDER BY d.store_id, d.enrolled_at`,
    [storeId ?? null],
  );
  return rows.map((r) => ({
    storeId: r.store_id,
    deviceId: r.device_id,
    name: r.name,
    enrolledAt: r.enrolled_at.toISOString(),
    revokedAt: r.revoked_at?.toISOString() ?? null,
    ackedSeq: Number(r.seq ?? 0),
  }));
}
