import type { EventEnvelope } from '../../shared/events.js';
import type { ReadDb, WriteTx } from '../db/types.js';
import { EVENT_COLUMNS, toEnvelope, type EventRow } from './store.js';

/** The central: today the only target a terminal relays to; the checkpoint is kept per target all the same. */
export const CENTRAL = 'central';

/** How far a target has acknowledged this device's events (0: nothing yet). */
export async function acknowledgedSeq(db: ReadDb, storeId: string, target: string): Promise<number> {
  const [row] = await db.query<{ acked_seq: number }>('SELECT acked_seq FROM outbox_checkpoint WHERE store_id = $1 AND target = $2', [storeId, target]);
  return row?.acked_seq ?? 0;
}

/**
 * The next events to send to a target, in device_seq order after its checkpoint, capped by count and by bytes of
 * their JSON (at least one event, however large).
 */
export async function pendingEvents(db: ReadDb, storeId: string, target: string, limits: { maxEvents: number; maxBytes: number }): Promise<EventEnvelope[]> {
  const rows = await db.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM events WHERE store_id = $1 AND event_id IN (
       SELECT event_id FROM outbox WHERE store_id = $1
         AND device_seq > (SELECT coalesce(max(acked_seq), 0) FROM outbox_checkpoint WHERE store_id = $1 AND target = $2)
       ORDER BY device_seq LIMIT $3)
     ORDER BY device_seq`,
    [storeId, target, limits.maxEvents],
  );
  return capByBytes(rows, limits.maxBytes);
}

/** Journal rows as events, in order, stopping before the one that would pass `maxBytes` (the first always goes). */
export function capByBytes(rows: readonly EventRow[], maxBytes: number): EventEnvelope[] {
  const out: EventEnvelope[] = [];
  let bytes = 0;
  for (const row of rows) {
    const event = toEnvelope(row);
    bytes += Buffer.byteLength(JSON.stringify(event));
    if (out.length > 0 && bytes > maxBytes) break;
    out.push(event);
  }
  return out;
}

/**
 * Journal rows (in device_seq order) as consecutive batches of at most `maxBytes` of JSON each (a single larger
 * event is a batch of its own). When the rows are a full window (`full`: the read hit its row limit), the last batch
 * is dropped unless it is the only one: it was cut by the limit, not by bytes, and the next window reads it whole.
 */
export function splitByBytes(rows: readonly EventRow[], maxBytes: number, full = false): EventEnvelope[][] {
  const batches: EventEnvelope[][] = [];
  let current: EventEnvelope[] = [];
  let bytes = 0;
  for (const row of rows) {
    const event = toEnvelope(row);
    const size = Buffer.byteLength(JSON.stringify(event));
    if (current.length > 0 && bytes + size > maxBytes) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(event);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  if (full && batches.length > 1) batches.pop();
  return batches;
}

/**
 * This device's outbox after `afterSeq` (at or above the target's checkpoint): one window of at most `maxEvents`
 * rows read by one statement, cut into batches of at most `maxBytes` (splitByBytes). The relay pushes them one after
 * the other while it reads the next window.
 */
export async function pendingBatches(db: ReadDb, storeId: string, afterSeq: number, limits: { maxEvents: number; maxBytes: number }): Promise<EventEnvelope[][]> {
  const rows = await db.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM events WHERE store_id = $1 AND event_id IN (
       SELECT event_id FROM outbox WHERE store_id = $1 AND device_seq > $2 ORDER BY device_seq LIMIT $3)
     ORDER BY device_seq`,
    [storeId, afterSeq, limits.maxEvents],
  );
  return splitByBytes(rows, limits.maxBytes, rows.length === limits.maxEvents);
}

/**
 * Records that a target holds every event up to `seq` (the highest contiguous one it acknowledged). The checkpoint
 * only moves forward; outbox rows every target has acknowledged are pruned in the same transaction.
 */
export async function acknowledge(tx: WriteTx, storeId: string, target: string, seq: number): Promise<void> {
  await tx.query(
    `WITH moved AS (
       INSERT INTO outbox_checkpoint (store_id, target, acked_seq, acked_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (store_id, target) DO UPDATE SET acked_seq = greatest(outbox_checkpoint.acked_seq, excluded.acked_seq),
         acked_at = excluded.acked_at
       RETURNING acked_seq
     )
     DELETE FROM outbox WHERE store_id = $1 AND device_seq <= least((SELECT acked_seq FROM moved),
       (SELECT min(acked_seq) FROM outbox_checkpoint WHERE store_id = $1 AND target <> $2))`,
    [storeId, target, seq],
  );
}
