import type { z } from 'zod';
import type { checkpointResponse, ownTailResponse, pullResponse, WireEvent } from '../../shared/federation.js';
import type { ReadDb } from '../db/types.js';
import { EVENT_COLUMNS, type EventRow } from '../journal/store.js';
import { createLogger } from '../log.js';
import type { SignedDevice } from './signature.js';

const log = createLogger('central-pull');

export const PULL_MAX = 5_000;

const toWire = (row: EventRow): WireEvent => ({ ...row, device_seq: Number(row.device_seq), created_at: row.created_at.toISOString() });

/** A pull cursor: `<store_seq>.<event_id at it>` (a bare number from an older node is read as the store_seq alone). */
export const PULL_CURSOR = /^\d{1,16}(\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})?$/;

const cursorOf = (row: { store_seq: number; event_id: string }): string => `${Number(row.store_seq)}.${row.event_id}`;

/**
 * The store's events after the cursor in the central's per-store order, other devices' and the central's own. The
 * cursor is the last store_seq looked at and the event there (the caller's own events are passed over, not
 * returned). Store order is commit order (migration 0021), so no event can appear later below a cursor already
 * handed out — unless this database was restored from an older backup: then the order is shorter, or numbers the
 * cursor's place again with other events. A cursor whose event is not where it says is answered with `restart` and
 * the order's current end: the node reconciles (node/reconcile), then pulls on from there.
 */
export async function pull(db: ReadDb, device: SignedDevice, after: string, limit: number): Promise<z.infer<typeof pullResponse>> {
  const [seqText, anchor] = after.split('.');
  const seq = Number(seqText);
  const centralTime = new Date().toISOString();
  if (seq > 0) {
    const [at] = await db.query<{ event_id: string }>('SELECT event_id::text AS event_id FROM events WHERE store_id = $1 AND store_seq = $2', [device.storeId, seq]);
    if (!at || (anchor !== undefined && at.event_id !== anchor)) {
      const [end] = await db.query<{ store_seq: number; event_id: string }>(
        'SELECT store_seq, event_id::text AS event_id FROM events WHERE store_id = $1 AND store_seq IS NOT NULL ORDER BY store_seq DESC LIMIT 1',
        [device.storeId],
      );
      log.warn({ ...device, cursor: after, end: end ? cursorOf(end) : '0' }, "ALERT: a device's pull cursor is past what this central holds (restored from an older backup?): it reconciles");
      return { events: [], cursor: end ? cursorOf(end) : '0', more: false, restart: true, centralTime };
    }
  }
  const rows = await db.query<EventRow & { store_seq: number }>(
    `SELECT ${EVENT_COLUMNS}, store_seq FROM events WHERE store_id = $1 AND store_seq > $2 ORDER BY store_seq LIMIT $3`,
    [device.storeId, seq, limit],
  );
  const last = rows.at(-1);
  return {
    events: rows.filter((r) => r.device_id !== device.deviceId).map(({ store_seq: _seq, ...row }) => toWire(row)),
    cursor: last ? cursorOf(last) : after,
    more: rows.length === limit,
    centralTime,
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
