import type { Horizons } from '../../shared/reconcile.js';
import type { ReadDb, WriteTx } from '../db/types.js';
import type { AnyProjection } from './projection.js';
import { advanceClockPast } from './remote.js';

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

/** What a node starts from instead of the history: per device its horizon, and the read models' rows in chunks. */
export interface SnapshotBase {
  horizons: readonly ({ deviceId: string } & Horizon)[];
  chunks: readonly { projection: string; rows: SnapshotPairs }[];
}

/** One chunk of a snapshot's rows, staged as it arrives and kept after the install (a rebuild starts from them). */
export async function stageChunk(tx: WriteTx, storeId: string, projection: string, chunk: number, pairs: SnapshotPairs): Promise<void> {
  await tx.query('INSERT INTO snapshot_rows (store_id, projection, chunk, rows) VALUES ($1, $2, $3, $4::jsonb)', [storeId, projection, chunk, JSON.stringify(pairs)]);
}

/**
 * Installs a snapshot whose rows are staged in `snapshot_rows`, in the caller's transaction, a chunk at a time: the
 * rows through each read model's own `save` (so whatever it keeps beside them, like stock levels, follows), per
 * device the horizon and a chain head at it (the next event must link to it), and this node's clock past the
 * horizons' (a later edit here wins over what the snapshot holds). The joining terminal (node/federation) and the
 * rebuild from a journal file (node/cli) both start this way.
 */
export async function installBase(tx: WriteTx, scope: { storeId: string; deviceId: string }, horizonList: SnapshotBase['horizons'], projections: readonly AnyProjection[]): Promise<void> {
  const byName = new Map(projections.map((p) => [p.name, p]));
  let after = { projection: '', chunk: -1 };
  for (;;) {
    const [staged] = await tx.query<{ projection: string; chunk: number; rows: SnapshotPairs }>(
      'SELECT projection, chunk, rows FROM snapshot_rows WHERE store_id = $1 AND (projection, chunk) > ($2, $3) ORDER BY projection, chunk LIMIT 1',
      [scope.storeId, after.projection, after.chunk],
    );
    if (!staged) break;
    const projection = byName.get(staged.projection);
    if (!projection) throw new Error(`the snapshot holds a read model this version does not know (${staged.projection}): update it`);
    await projection.save(tx, scope.storeId, staged.rows.map(([, row]) => row));
    after = { projection: staged.projection, chunk: staged.chunk };
  }
  const horizons = JSON.stringify(horizonList.map((h) => ({ device_id: h.deviceId, seq: h.seq, hash: h.hash, hlc: h.hlc })));
  await tx.query(
    `INSERT INTO snapshot_horizon (store_id, device_id, seq, hash, hlc)
     SELECT $1, h.device_id, h.seq, h.hash, h.hlc FROM jsonb_to_recordset($2::jsonb) AS h(device_id uuid, seq bigint, hash text, hlc text)`,
    [scope.storeId, horizons],
  );
  await tx.query(
    `INSERT INTO journal_head (store_id, device_id, seq, hash, hlc)
     SELECT $1, h.device_id, h.seq, h.hash, h.hlc FROM jsonb_to_recordset($2::jsonb) AS h(device_id uuid, seq bigint, hash text, hlc text)
     ON CONFLICT (store_id, device_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, hlc = excluded.hlc`,
    [scope.storeId, horizons],
  );
  await advanceClockPast(tx, scope, horizonList.map((h) => h.hlc));
}

/** The base as this node keeps it (a journal export carries it, so a rebuild of this folder starts from it too). */
export async function readBase(db: ReadDb, storeId: string): Promise<SnapshotBase | undefined> {
  const horizons = await readHorizons(db, storeId);
  if (horizons.size === 0) return undefined;
  const chunks = await db.query<{ projection: string; rows: SnapshotPairs }>('SELECT projection, rows FROM snapshot_rows WHERE store_id = $1 ORDER BY projection, chunk', [storeId]);
  return { horizons: [...horizons].map(([deviceId, h]) => ({ deviceId, ...h })), chunks };
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
