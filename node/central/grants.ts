import type { z } from 'zod';
import type { rangeRequest } from '../../shared/federation.js';
import { counterEvents } from '../../shared/domains/counter.events.js';
import type { EventEnvelope } from '../../shared/events.js';
import { formatHlc, parseHlc, tickHlc } from '../../shared/hlc.js';
import { AppError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import type { WriteTx } from '../db/types.js';
import { eventHash } from '../journal/chain.js';
import { ensureHead } from '../journal/store.js';
import { createLogger } from '../log.js';
import type { CentralDb } from './database.js';
import { serializableWrite } from './database.js';
import { insertOrdered } from './ingest.js';
import type { SignedDevice } from './signature.js';

const log = createLogger('central-fiscal');

export interface GrantPolicy {
  /** Numbers per range. */
  size: number;
  /** A range's life: the device stops using it after this. */
  ttlMs: number;
  /** After expiry, how long before the central reclaims what is left (the device may have sold offline until expiry). */
  graceMs: number;
}

export const DEFAULT_GRANT_POLICY: GrantPolicy = { size: 500, ttlMs: 30 * 24 * 3600_000, graceMs: 7 * 24 * 3600_000 };

export interface GrantedRange {
  rangeId: string;
  series: string;
  docType: 'ticket' | 'creditNote';
  deviceId: string;
  first: number;
  last: number;
  expiresAt: string | null;
}

/** `granted` false: the device already holds an active and a queued range; the queued one is given back. */
export interface GrantResult {
  granted: boolean;
  range: GrantedRange;
}

interface OpenRange {
  range_id: string;
  first_number: number;
  last_number: number;
  expires_at: Date | null;
}

/**
 * Grants the next range of a series to a device (R6), in a SERIALIZABLE transaction (retried): numbers come from the
 * series row's next number, which only grows and is moved past every range the central has seen (its own grants and
 * the self-granted ranges of a standalone store that joined), so ranges never overlap and are never reused. A device
 * holds one active and at most one queued range per series. Expired ranges past their grace are reclaimed first, their
 * unused numbers recorded as permitted gaps. The grant is written into the store's log as a FiscalRangeGranted event
 * by the central's own device, so the device pulls it like any other event.
 */
export async function grantRange(central: CentralDb, device: SignedDevice, request: z.infer<typeof rangeRequest>, policy: GrantPolicy = DEFAULT_GRANT_POLICY): Promise<GrantResult> {
  // Per store, not per series: every grant of a store also extends the central's chain in that store and its order.
  const key = `fiscal:${device.storeId}`;
  const result = await serializableWrite(central.db, key, async (tx) => {
    const [series] = await tx.query<{ next_number: number }>(
      `WITH ins AS (INSERT INTO fiscal_series (store_id, series, doc_type) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING next_number)
       SELECT next_number FROM ins UNION ALL SELECT next_number FROM fiscal_series WHERE store_id = $1 AND series = $2 AND doc_type = $3`,
      [device.storeId, request.series, request.docType],
    );
    await refuseWhileBehind(tx, device, request.known ?? []);
    await reclaimExpired(tx, device.storeId, request.series, request.docType, policy.graceMs);
    const open = await tx.query<OpenRange>(
      `SELECT range_id::text AS range_id, first_number, last_number, expires_at FROM central_fiscal_ranges
       WHERE store_id = $1 AND series = $2 AND doc_type = $3 AND device_id = $4 AND state = 'open'
         AND (expires_at IS NULL OR expires_at > now()) ORDER BY first_number`,
      [device.storeId, request.series, request.docType, device.deviceId],
    );
    if (open.length >= 2) return { granted: false, range: toRange(open.at(-1)!, request, device.deviceId) };
    const first = Number(series!.next_number);
    const range: GrantedRange = {
      rangeId: newId(),
      series: request.series,
      docType: request.docType,
      deviceId: device.deviceId,
      first,
      last: first + policy.size - 1,
      expiresAt: new Date(Date.now() + policy.ttlMs).toISOString(),
    };
    await tx.query(
      `WITH r AS (
         INSERT INTO central_fiscal_ranges (store_id, range_id, series, doc_type, device_id, first_number, last_number, granted_by, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'central', $8)
       )
       UPDATE fiscal_series SET next_number = $7 + 1 WHERE store_id = $1 AND series = $3 AND doc_type = $4`,
      [device.storeId, range.rangeId, range.series, range.docType, range.deviceId, range.first, range.last, range.expiresAt],
    );
    await appendCentralEvent(tx, central, device.storeId, 'FiscalRangeGranted', counterEvents.FiscalRangeGranted.latest, { ...range, grantedBy: 'central' });
    return { granted: true, range };
  });
  if (result.granted) log.info({ ...device, range: result.range }, 'fiscal range granted');
  return result;
}

const toRange = (r: OpenRange, request: z.infer<typeof rangeRequest>, deviceId: string): GrantedRange => ({
  rangeId: r.range_id,
  series: request.series,
  docType: request.docType,
  deviceId,
  first: Number(r.first_number),
  last: Number(r.last_number),
  expiresAt: r.expires_at?.toISOString() ?? null,
});

/**
 * The asking terminal holds more of some device's chain than the central (this database was restored from an older
 * backup): the lost events may include grants, so nothing is granted until reconciliation brings them back (their
 * FiscalRangeGranted events move the series past them again, fiscal-track.ts). The terminal asks again later.
 */
async function refuseWhileBehind(tx: WriteTx, device: SignedDevice, known: readonly { deviceId: string; seq: number }[]): Promise<void> {
  if (known.length === 0) return;
  const behind = await tx.query<{ device_id: string; held: number; known: number }>(
    `SELECT k."deviceId"::text AS device_id, coalesce(h.seq, 0)::bigint AS held, k.seq AS known
     FROM jsonb_to_recordset($2::jsonb) AS k("deviceId" uuid, seq bigint)
       LEFT JOIN journal_head h ON h.store_id = $1 AND h.device_id = k."deviceId"
     WHERE k.seq > coalesce(h.seq, 0) LIMIT 10`,
    [device.storeId, JSON.stringify(known)],
  );
  if (behind.length === 0) return;
  log.warn({ ...device, behind }, 'ALERT: a terminal holds events this central lacks (restored from a backup?): no fiscal range until reconciled');
  throw new AppError('Conflict', `The central holds fewer events of device ${behind[0]!.device_id} than this terminal (${behind[0]!.held} < ${behind[0]!.known}); it grants no fiscal range until reconciliation has brought them back.`);
}

/** Open ranges whose expiry plus grace has passed: reclaimed, their unused numbers recorded as permitted gaps. */
async function reclaimExpired(tx: WriteTx, storeId: string, series: string, docType: string, graceMs: number): Promise<void> {
  await tx.query(
    `WITH r AS (
       UPDATE central_fiscal_ranges SET state = 'reclaimed'
       WHERE store_id = $1 AND series = $2 AND doc_type = $3 AND state = 'open'
         AND expires_at < now() - make_interval(secs => $4::float8 / 1000)
       RETURNING range_id, greatest(used_upto + 1, first_number) AS gap_first, last_number
     )
     INSERT INTO fiscal_gaps (store_id, series, doc_type, first_number, last_number, range_id, reason)
     SELECT $1, $2, $3, gap_first, last_number, range_id, 'range expired and reclaimed' FROM r WHERE gap_first <= last_number`,
    [storeId, series, docType, graceMs],
  );
}

/**
 * Seals an event of the central's own device into a store's log (its chain per store), in store order. The type
 * and version are given, not looked up: the central writes events of domains it does not run (the counter's).
 */
export async function appendCentralEvent(tx: WriteTx, central: CentralDb, storeId: string, type: string, version: number, payload: unknown): Promise<void> {
  const deviceId = central.identity.deviceId;
  await ensureHead(tx, storeId, deviceId);
  const [head] = await tx.query<{ seq: number; hash: string; hlc: string }>(
    'SELECT seq, hash, hlc FROM journal_head WHERE store_id = $1 AND device_id = $2 FOR UPDATE',
    [storeId, deviceId],
  );
  const now = new Date();
  const unsealed = {
    event_id: newId(),
    command_id: newId(),
    store_id: storeId,
    device_id: deviceId,
    device_seq: Number(head!.seq) + 1,
    type,
    version,
    payload,
    actor_id: 'central',
    hlc: formatHlc(tickHlc(parseHlc(head!.hlc), now.getTime(), deviceId)),
    created_at: now.toISOString(),
    prev_hash: head!.hash,
  };
  const event = { ...unsealed, hash: eventHash(unsealed as Omit<EventEnvelope, 'hash'>) };
  await insertOrdered(tx, storeId, deviceId, [event], { seq: event.device_seq, hash: event.hash, hlc: event.hlc });
}
