import type { Horizons } from '../../shared/reconcile.js';
import type { ReadDb, WriteTx } from '../db/types.js';
import type { AnyProjection } from './projection.js';

/**
 * A terminal that joined its store from a snapshot (docs/decisions/0012-snapshot.md) holds, per device, no event at
 * or below the snapshot's horizon: the last device_seq the snapshot covers, with that event's hash (the next event
 * must link to it) and clock. Every node has the table (terminal 0029, central 0033); it is empty where the whole
 * history is held, and then every function here answers as for a log that starts at the genesis.
 */
export interface Horizon {
  seq: number;
  hash: string;
  hlc: string;
}

export async function readHorizons(db: ReadDb, storeId: string): Promise<Map<string, Horizon>> {
  const rows = await db.query<{ device_id: string; seq: number; hash: string; hlc: string }>(
    'SELECT device_id::text AS device_id, seq, hash, hlc FROM snapshot_horizon WHERE store_id = $1',
    [storeId],
  );
  return new Map(rows.map((r) => [r.device_id, { seq: Number(r.seq), hash: r.hash, hlc: r.hlc }]));
}

/** The horizons as reconciliation carries them (device → seq). */
export const horizonSeqs = (horizons: ReadonlyMap<string, Horizon>): Horizons => Object.fromEntries([...horizons].map(([device, h]) => [device, h.seq]));

/** Rows of the snapshot per chunk: [key, row] pairs of one projection. */
export type SnapshotPairs = [string, unknown][];

/** Keeps a chunk of the installed snapshot (a rebuild starts from these rows). */
export async function keepSnapshotRows(tx: WriteTx, storeId: string, projection: string, chunk: number, pairs: SnapshotPairs): Promise<void> {
  await tx.query('INSERT INTO snapshot_rows (store_id, projection, chunk, rows) VALUES ($1, $2, $3, $4::jsonb)', [storeId, projection, chunk, JSON.stringify(pairs)]);
}

/**
 * The read models as the installed snapshot left them, in the in-memory form of a rebuild (projection → key → row):
 * the base a rebuild folds the events above the horizons into. Empty without a snapshot.
 */
export async function snapshotBase(db: ReadDb, storeId: string, projections: readonly AnyProjection[]): Promise<Map<AnyProjection, Map<string, unknown>>> {
  const base = new Map<AnyProjection, Map<string, unknown>>(projections.map((p) => [p, new Map()]));
  const byName = new Map(projections.map((p) => [p.name, p]));
  const chunks = await db.query<{ projection: string; rows: SnapshotPairs }>('SELECT projection, rows FROM snapshot_rows WHERE store_id = $1 ORDER BY projection, chunk', [
    storeId,
  ]);
  for (const { projection, rows } of chunks) {
    const target = byName.get(projection);
    if (!target) throw new Error(`the snapshot holds rows of a read model this build does not have: ${projection}`);
    for (const [key, row] of rows) base.get(target)!.set(key, row);
  }
  return base;
}
