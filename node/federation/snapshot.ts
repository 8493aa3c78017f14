import type { SnapshotHead, SnapshotRows } from '../../shared/federation.js';
import type { snapshotLine } from '../../shared/federation.js';
import type { z } from 'zod';
import type { WriteTx } from '../db/types.js';
import { installBase } from '../journal/horizon.js';
import type { AnyProjection } from '../journal/projection.js';
import { writeCursor } from './store.js';

/** A snapshot that cannot be used here (cut, of another store, of a read model this build lacks): replay instead. */
export class SnapshotUnusable extends Error {}

export interface Snapshot {
  head: SnapshotHead;
  chunks: SnapshotRows[];
  rows: number;
}

/** The lines as they came, checked to be one whole snapshot: a head first, an end last whose counts match. */
export function assembleSnapshot(lines: readonly z.infer<typeof snapshotLine>[]): Snapshot {
  const [head, ...rest] = lines;
  const end = rest.pop();
  if (head?.kind !== 'head' || end?.kind !== 'end') throw new SnapshotUnusable('the snapshot is cut: no head or no end line');
  const chunks = rest.filter((l): l is SnapshotRows => l.kind === 'rows');
  const rows = chunks.reduce((sum, c) => sum + c.rows.length, 0);
  if (chunks.length !== rest.length || chunks.length !== end.chunks || rows !== end.rows) {
    throw new SnapshotUnusable(`the snapshot is not whole: ${chunks.length} chunks and ${rows} rows, the end line says ${end.chunks} and ${end.rows}`);
  }
  return { head, chunks, rows };
}

/**
 * Installs a store's snapshot on a terminal joining it (docs/decisions/0012-snapshot.md), inside the enrollment's
 * transaction: the base (rows, horizons, chain heads, clock: journal/horizon.ts), where it was taken, and the pull
 * cursor at the snapshot's position, so the pull continues with exactly the events it does not cover.
 */
export async function installSnapshot(
  tx: WriteTx,
  scope: { storeId: string; deviceId: string },
  snapshot: Snapshot,
  projections: readonly AnyProjection[],
): Promise<void> {
  const { head } = snapshot;
  if (head.storeId !== scope.storeId) throw new SnapshotUnusable(`the snapshot is of store ${head.storeId}, not ${scope.storeId}`);
  // Its own events come back by the own-tail path, which never reissues a device_seq: not from a snapshot.
  if (head.horizons.some((h) => h.deviceId === scope.deviceId)) throw new SnapshotUnusable('the central holds events of this device: it takes its own tail back instead');
  await installBase(tx, scope, { horizons: head.horizons, chunks: snapshot.chunks }, projections);
  await tx.query('INSERT INTO snapshot_base (store_id, cursor, taken_at, row_count) VALUES ($1, $2, $3, $4)', [scope.storeId, head.cursor, head.takenAt, snapshot.rows]);
  await writeCursor(tx, scope.storeId, head.cursor);
}
