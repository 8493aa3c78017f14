import { SNAPSHOT_CHUNK_ROWS, SNAPSHOT_FORMAT, type SnapshotHead } from '../../shared/federation.js';
import { AppError } from '../../shared/errors.js';
import type { Db, WriteTx } from '../db/types.js';
import type { AnyProjection } from '../journal/projection.js';
import { createLogger } from '../log.js';

const log = createLogger('central-snapshot');

/** The text of a snapshot (shared/federation.ts): NDJSON lines, each at most one chunk of one read model. */
export interface SnapshotText {
  lines: string[];
  bytes: number;
  rows: number;
}

/**
 * A snapshot of a store's read models for a terminal joining it (docs/decisions/0012-snapshot.md), read in ONE
 * repeatable-read transaction: the central commits a store's batches in store order while holding the counter row
 * (0010-central-order.md), so the transaction sees a prefix of the store's log. Its read models are that prefix
 * folded (projectAtCentral, same transaction as the events), the counter is the pull cursor after it, and each
 * device's head is its horizon. Every read model the domains declare is included: another device's open till
 * session is a projection of its events like the rest. Kept as lines of at most SNAPSHOT_CHUNK_ROWS rows, never
 * one string; the transaction ends before the body is sent.
 */
export async function takeSnapshot(db: Db, storeId: string, projections: readonly AnyProjection[]): Promise<SnapshotText> {
  return db.write(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    await refuseStale(tx, storeId);
    const [order] = await tx.query<{ seq: number }>('SELECT seq FROM store_order WHERE store_id = $1', [storeId]);
    const heads = await tx.query<{ device_id: string; seq: number; hash: string; hlc: string }>(
      'SELECT device_id::text AS device_id, seq, hash, hlc FROM journal_head WHERE store_id = $1 AND seq > 0 ORDER BY device_id',
      [storeId],
    );
    const head: SnapshotHead = {
      kind: 'head',
      format: SNAPSHOT_FORMAT,
      storeId,
      cursor: String(Number(order?.seq ?? 0)),
      takenAt: new Date().toISOString(),
      horizons: heads.map((h) => ({ deviceId: h.device_id, seq: Number(h.seq), hash: h.hash, hlc: h.hlc })),
    };
    const lines = [JSON.stringify(head)];
    let rows = 0;
    for (const projection of projections) {
      const all = [...(await projection.loadAll(tx, storeId))];
      for (let i = 0; i < all.length; i += SNAPSHOT_CHUNK_ROWS) {
        lines.push(JSON.stringify({ kind: 'rows', projection: projection.name, rows: all.slice(i, i + SNAPSHOT_CHUNK_ROWS) }));
      }
      rows += all.length;
    }
    lines.push(JSON.stringify({ kind: 'end', chunks: lines.length - 1, rows }));
    const bytes = lines.reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0);
    log.info({ storeId, cursor: head.cursor, devices: head.horizons.length, rows, bytes }, 'snapshot taken');
    return { lines, bytes, rows };
  });
}

/**
 * The central's read models missed a batch it stored (projectAtCentral raised an alert): they are not the fold of
 * the log until rebuilt, so a snapshot of them would be wrong. The terminal then replays the history instead.
 */
async function refuseStale(tx: WriteTx, storeId: string): Promise<void> {
  const [stale] = await tx.query("SELECT 1 FROM central_alerts WHERE store_id = $1 AND reason LIKE 'read models refused%' LIMIT 1", [storeId]);
  if (stale) throw new AppError('Conflict', "This store's read models at the central need a rebuild: no snapshot; the terminal replays the history instead.");
}
