import type { EventEnvelope } from '../../shared/events.js';
import type { Horizons } from '../../shared/reconcile.js';
import type { Db, ReadDb } from '../db/types.js';
import type { Route } from '../journal/projection.js';
import { applyRemoteEvents, type RemoteApplyResult } from '../journal/remote.js';
import { EVENT_COLUMNS, toEnvelope, type EventRow } from '../journal/store.js';
import { sumToHex } from './combine.js';
import type { Bucket, DeviceSummary, EventRef, ReceiveResult, ReconcilePeer } from './peer.js';

const DAY_KEY = `'YYYY-MM-DD'`;
const HOUR_KEY = `'YYYY-MM-DD"T"HH24":00:00.000Z"'`;

/**
 * A side of reconciliation answered from this database's own summaries (recon_device, recon_hour: kept by the
 * events trigger in the same transaction as the events). A device with a horizon (the terminal started from a
 * snapshot covering its events up to that device_seq) is summarised from its events above the horizon instead.
 */
export function dbPeer(db: Db, storeId: string, receive: ReconcilePeer['receive']): ReconcilePeer {
  return {
    vector: (horizons) => vector(db, storeId, horizons ?? {}),
    buckets: (deviceId, day, horizon) => buckets(db, storeId, deviceId, day, horizon ?? 0),
    ids: (deviceId, hour, horizon) => ids(db, storeId, deviceId, hour, horizon ?? 0),
    events: (eventIds) => events(db, storeId, eventIds),
    receive,
  };
}

interface SummaryRow {
  device_id: string;
  count: number;
  hash_sum: string;
  max_seq: number;
  horizon: number;
}

async function vector(db: ReadDb, storeId: string, horizons: Horizons): Promise<DeviceSummary[]> {
  const limited = Object.entries(horizons).filter(([, h]) => h > 0);
  const rows = await db.query<SummaryRow>(
    `WITH h AS (SELECT * FROM unnest($2::uuid[], $3::int8[]) AS h(device_id, horizon))
     SELECT d.device_id::text AS device_id, d.events AS count, d.hash_sum::text AS hash_sum, d.max_seq, 0::int8 AS horizon
     FROM recon_device d WHERE d.store_id = $1 AND d.device_id NOT IN (SELECT device_id FROM h)
     UNION ALL
     SELECT h.device_id::text, s.count, s.hash_sum, s.max_seq, h.horizon FROM h CROSS JOIN LATERAL (
       SELECT count(*)::int8 AS count, coalesce(mod(sum(recon_hash_num(e.hash)), recon_modulus()), 0)::text AS hash_sum,
         coalesce(max(e.device_seq), h.horizon)::int8 AS max_seq
       FROM events e WHERE e.store_id = $1 AND e.device_id = h.device_id AND e.device_seq > h.horizon) s`,
    [storeId, limited.map(([d]) => d), limited.map(([, h]) => h)],
  );
  const out: DeviceSummary[] = [];
  for (const r of rows.sort((a, b) => a.device_id.localeCompare(b.device_id))) {
    const contiguous = r.count === r.max_seq - r.horizon ? r.max_seq : await firstGap(db, storeId, r.device_id, r.horizon);
    out.push({ deviceId: r.device_id, contiguousSeq: contiguous, count: r.count, hash: sumToHex(r.hash_sum) });
  }
  return out;
}

/** Only for a device whose log has a hole (rare: remote apply keeps each chain contiguous): where it starts. */
async function firstGap(db: ReadDb, storeId: string, deviceId: string, horizon: number): Promise<number> {
  const [row] = await db.query<{ seq: number | null }>(
    `SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM events WHERE store_id = $1 AND device_id = $2 AND device_seq = $3 + 1) THEN $3::int8
       ELSE (SELECT min(e.device_seq) FROM events e WHERE e.store_id = $1 AND e.device_id = $2 AND e.device_seq > $3
         AND NOT EXISTS (SELECT 1 FROM events n WHERE n.store_id = e.store_id AND n.device_id = e.device_id AND n.device_seq = e.device_seq + 1)) END AS seq`,
    [storeId, deviceId, horizon],
  );
  return row?.seq ?? horizon;
}

interface BucketRow {
  key: string;
  count: number;
  hash_sum: string;
}

async function buckets(db: ReadDb, storeId: string, deviceId: string, day: string | undefined, horizon: number): Promise<Bucket[]> {
  const format = day === undefined ? DAY_KEY : HOUR_KEY;
  const grain = day === undefined ? 'day' : 'hour';
  const dayFilter = (column: string) => (day === undefined ? '' : `AND ${column} >= ($3::date)::timestamp AT TIME ZONE 'UTC' AND ${column} < ($3::date + 1)::timestamp AT TIME ZONE 'UTC'`);
  const params = day === undefined ? [storeId, deviceId] : [storeId, deviceId, day];
  const rows =
    horizon > 0
      ? await db.query<BucketRow>(
          `SELECT to_char(date_trunc('${grain}', e.created_at, 'UTC') AT TIME ZONE 'UTC', ${format}) AS key, count(*)::int8 AS count,
             mod(sum(recon_hash_num(e.hash)), recon_modulus())::text AS hash_sum
           FROM events e WHERE e.store_id = $1 AND e.device_id = $2 AND e.device_seq > ${Number(horizon)} ${dayFilter('e.created_at')}
           GROUP BY 1 ORDER BY 1`,
          params,
        )
      : await db.query<BucketRow>(
          `SELECT to_char(date_trunc('${grain}', r.hour, 'UTC') AT TIME ZONE 'UTC', ${format}) AS key, sum(r.events)::int8 AS count,
             mod(sum(r.hash_sum), recon_modulus())::text AS hash_sum
           FROM recon_hour r WHERE r.store_id = $1 AND r.device_id = $2 ${dayFilter('r.hour')}
           GROUP BY 1 ORDER BY 1`,
          params,
        );
  return rows.map((r) => ({ key: r.key, count: r.count, hash: sumToHex(r.hash_sum) }));
}

async function ids(db: ReadDb, storeId: string, deviceId: string, hour: string, horizon: number): Promise<EventRef[]> {
  // The hour's seq range bounds the scan of the (store, device, seq) index; created_at picks the hour's own events.
  return db.query<EventRef>(
    `SELECT e.event_id::text AS "eventId", e.device_seq AS "deviceSeq", e.hash
     FROM recon_hour r JOIN events e ON e.store_id = r.store_id AND e.device_id = r.device_id AND e.device_seq BETWEEN r.min_seq AND r.max_seq
     WHERE r.store_id = $1 AND r.device_id = $2 AND r.hour = $3::timestamptz
       AND e.created_at >= r.hour AND e.created_at < r.hour + interval '1 hour' AND e.device_seq > $4
     ORDER BY e.device_seq`,
    [storeId, deviceId, hour, horizon],
  );
}

async function events(db: ReadDb, storeId: string, eventIds: readonly string[]): Promise<EventEnvelope[]> {
  if (eventIds.length === 0) return [];
  const rows = await db.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM events WHERE store_id = $1 AND event_id = ANY($2::uuid[]) ORDER BY device_id, device_seq`,
    [storeId, eventIds],
  );
  return rows.map(toEnvelope);
}

/**
 * How a terminal stores what reconciliation found missing: through remote apply, the same checks and projections
 * as pulled events. Its own events (a device restored from a backup taking its tail back) go in `own-tail` mode.
 */
export function applyReceiver(db: Db, storeId: string, deviceId: string, route: Route): ReconcilePeer['receive'] {
  return async (incoming) => {
    const own = incoming.filter((e) => e.device_id === deviceId);
    const others = incoming.filter((e) => e.device_id !== deviceId);
    const results: RemoteApplyResult[] = [];
    if (others.length > 0) results.push(await applyRemoteEvents(db, { storeId, deviceId, mode: 'remote' }, others, route));
    if (own.length > 0) results.push(await applyRemoteEvents(db, { storeId, deviceId, mode: 'own-tail' }, own, route));
    return toReceiveResult(results);
  };
}

export function toReceiveResult(results: readonly RemoteApplyResult[]): ReceiveResult {
  return {
    applied: results.reduce((n, r) => n + r.applied, 0),
    duplicates: results.reduce((n, r) => n + r.duplicates, 0),
    refused: results.flatMap((r) => [
      ...r.refused.map((x) => ({ eventId: x.event_id, reason: x.reason })),
      ...r.parked.map((p) => ({ eventId: p.event_id, reason: `parked: ${p.reason}` })),
    ]),
  };
}
