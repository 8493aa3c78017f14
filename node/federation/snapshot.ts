import type { z } from 'zod';
import type { SnapshotHead, snapshotLine } from '../../shared/federation.js';
import type { Db, WriteTx } from '../db/types.js';
import { installBase, stageChunk } from '../journal/horizon.js';
import type { AnyProjection } from '../journal/projection.js';
import { writeCursor } from './store.js';

/** A snapshot that cannot be used here (cut, of another store, covering this device): the history is pulled instead. */
export class SnapshotUnusable extends Error {}

export type SnapshotLine = z.infer<typeof snapshotLine>;

/** A whole snapshot whose rows are staged in `snapshot_rows`, ready to install. */
export interface StagedSnapshot {
  head: SnapshotHead;
  rows: number;
}

/**
 * Takes a snapshot's lines as they arrive (docs/decisions/0012-snapshot.md) and stages each chunk of rows in
 * `snapshot_rows`, one small transaction each, so neither the body nor the rows are ever held whole in memory; checks
 * that the lines are one whole snapshot: a head first, an end last whose counts match what came between.
 */
export class SnapshotStager {
  #head: SnapshotHead | undefined;
  #chunks = 0;
  #rows = 0;
  #ended = false;

  constructor(
    private readonly db: Db,
    private readonly storeId: string,
  ) {}

  /** Drops anything staged for the store (a previous attempt, or this one given up). */
  async discard(): Promise<void> {
    await this.db.write((tx) => tx.query('DELETE FROM snapshot_rows WHERE store_id = $1', [this.storeId]));
  }

  async take(line: SnapshotLine): Promise<void> {
    if (this.#ended) throw new SnapshotUnusable('the snapshot goes on after its end line');
    if (line.kind === 'head') {
      if (this.#head) throw new SnapshotUnusable('the snapshot has two head lines');
      if (line.storeId !== this.storeId) throw new SnapshotUnusable(`the snapshot is of store ${line.storeId}, not ${this.storeId}`);
      this.#head = line;
      return;
    }
    if (!this.#head) throw new SnapshotUnusable('the snapshot is cut: no head line');
    if (line.kind === 'end') {
      if (line.chunks !== this.#chunks || line.rows !== this.#rows) {
        throw new SnapshotUnusable(`the snapshot is not whole: ${this.#chunks} chunks and ${this.#rows} rows, the end line says ${line.chunks} and ${line.rows}`);
      }
      this.#ended = true;
      return;
    }
    const chunk = this.#chunks++;
    this.#rows += line.rows.length;
    await this.db.write((tx) => stageChunk(tx, this.storeId, line.projection, chunk, line.rows));
  }

  done(): StagedSnapshot {
    if (!this.#head || !this.#ended) throw new SnapshotUnusable('the snapshot is cut: no head or no end line');
    return { head: this.#head, rows: this.#rows };
  }
}

/**
 * Installs a staged snapshot on a terminal joining its store, inside the enrollment's transaction: the base (rows,
 * horizons, chain heads, clock: journal/horizon.ts), where it was taken, and the pull cursor at the snapshot's
 * position, so the pull continues with exactly the events it does not cover.
 */
export async function installSnapshot(tx: WriteTx, scope: { storeId: string; deviceId: string }, staged: StagedSnapshot, projections: readonly AnyProjection[]): Promise<void> {
  const { head } = staged;
  if (head.storeId !== scope.storeId) throw new SnapshotUnusable(`the snapshot is of store ${head.storeId}, not ${scope.storeId}`);
  // Its own events come back by the own-tail path, which never reissues a device_seq: not from a snapshot.
  if (head.horizons.some((h) => h.deviceId === scope.deviceId)) throw new SnapshotUnusable('the central holds events of this device: it takes its own tail back instead');
  await installBase(tx, scope, head.horizons, projections);
  await tx.query('INSERT INTO snapshot_base (store_id, cursor, taken_at, row_count) VALUES ($1, $2, $3, $4)', [scope.storeId, head.cursor, head.takenAt, staged.rows]);
  await writeCursor(tx, scope.storeId, head.cursor);
}
