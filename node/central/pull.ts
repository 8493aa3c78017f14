import type { z } from 'zod';
import type { checkpointResponse, ownTailResponse, pullResponse, WireEvent } from '../../shared/federation.js';
import type { ReadDb } from '../db/types.js';
import { EVENT_COLUMNS, type EventRow } from '../journal/store.js';
import type { SignedDevice } from './signature.js';

export const PULL_MAX = 5_000;

const toWire = (row: EventRow): WireEvent => ({ ...row, device_seq: Number(row.device_seq), created_at: row.created_at.toISOString() });

/**
 * The store's events after the cursor in the central's per-store order, other devices' and the central's own. The
 * cursor is the last store_seq looked at (the caller's own events are passed over, not returned). Store order is
 * commit order (migration 0021), so no event can appear later below a cursor already handed out.
 */
export async function pull(db: ReadDb, device: SignedDevice, after: number, limit: number): Promise<z.infer<typeof pullResponse>> {
  const rows = await db.query<EventRow & { store_seq: number }>(
    `SELECT ${EVENT_COLUMNS}, store_seq FROM events WHERE store_id = $1 AND store_seq > $2 ORDER BY store_seq LIMIT $3`,
    [device.storeId, after, limit],
  );
  const last = rows.at(-1);
  return {
    events: rows.filter((r) => r.device_id !== device.deviceId).map(({ store_seq: _seq, ...row }) => toWire(row)),
    cursor: String(last ? Number(last.store_seq) : after),
    more: rows.length === limit,
    centralTime: new Date().toISOString(),
  };
}

/** The calling device's own events past `after` (a terminal restored from a backup takes its tail back). */
export async function ownTail(db: ReadDb, device: SignedDevice, after: number, limit: number): Promise<z.infer<typeof ownTailResponse>> {
  const rows = await db.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM events WHERE store_id = $1 AND device_id = $2 AND device_seq > $3 ORDER BY device_seq LIMIT $4`,
    [device.storeId, device.deviceId, after, limit],
  );
  return { events: rows.map(toWire), more: rows.length === limit };
}

/** The highest contiguous device_seq the central holds for the device, and its hash. */
export async function checkpoint(db: ReadDb, device: SignedDevice): Promise<z.infer<typeof checkpointResponse>> {
  const [head] = await db.query<{ seq: number; hash: string }>('SELECT seq, hash FROM journal_head WHERE store_id = $1 AND device_id = $2', [
    device.storeId,
    device.deviceId,
  ]);
  const seq = Number(head?.seq ?? 0);
  return { ackedSeq: seq, lastHash: seq > 0 ? head!.hash : null };
}
