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
