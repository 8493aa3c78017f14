import { PGlite, types, type Transaction } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import type { DiskGuard } from './diskguard.js';
import { asDiskFull } from './diskfull.js';
import { DbQueue } from './queue.js';
import { SyncingFs, type SyncingFsOptions } from './syncfs.js';
import type { Db, Params, Work, WriteTx } from './types.js';

export const PGLITE_VERSION = '0.5.16';

/** int8 as a JS number (sequences, counts, sizes stay far below 2^53); refuse silently losing precision. */
export const parseInt8 = (value: string): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`int8 ${value} is beyond a safe JS integer`);
  return n;
};

export interface PgliteOptions extends Omit<SyncingFsOptions, 'onNoSpace'> {
  /** How many calls may wait for the connection (node/db/queue.ts). */
  queueCapacity?: number;
  /** Refuses writes before the disk is full and frees its ballast when a write meets ENOSPC anyway. */
  disk?: DiskGuard;
}

/** The contrib extensions the migrations create (product search); PGlite loads only those it is given. */
export const PGLITE_EXTENSIONS = { btree_gin, pg_trgm, unaccent };

/** PGlite on our syncing filesystem (DESIGN.md "Durability"). */
export async function openPglite(dir: string, options: PgliteOptions = {}): Promise<PgliteDb> {
  const { disk, queueCapacity, ...fsOptions } = options;
  const fs = new SyncingFs(dir, { ...fsOptions, onNoSpace: disk && (() => disk.releaseBallast()) });
  disk?.countWrites(() => fs.stats.bytesWritten);
  const pg = await PGlite.create({ fs, parsers: { [types.INT8]: parseInt8 }, extensions: PGLITE_EXTENSIONS });
  return new PgliteDb(pg, fs, new DbQueue(queueCapacity), disk);
}

export class PgliteDb implements Db {
  readonly engine = 'pglite' as const;

  /** The one connection: every statement and transaction waits its turn here, by priority. */
  constructor(
    readonly pg: PGlite,
    readonly fs: SyncingFs,
    readonly queue = new DbQueue(),
    readonly disk?: DiskGuard,
  ) {}

  query<T>(sql: string, params?: Params, work?: Work): Promise<T[]> {
    return this.queue.run(
      async () => (await this.pg.query<T>(sql, params as unknown[] | undefined).catch(asDiskFull(this.disk))).rows,
      work?.priority,
    );
  }

  write<T>(fn: (tx: WriteTx) => Promise<T>, work?: Work): Promise<T> {
    this.disk?.assertWritable();
    return this.queue.run(async () => {
      const result = await this.pg.transaction((tx) => fn(wrapTx(tx))).catch(asDiskFull(this.disk));
      // PGlite skips the sync of a transaction's COMMIT (upstream #1065): sync before anyone is told it happened.
      this.fs.syncNow();
      return result;
    }, work?.priority);
  }

  async sizeBytes(): Promise<number> {
    const [row] = await this.query<{ size: number }>('SELECT pg_database_size(current_database())::int8 AS size');
    return row?.size ?? 0;
  }

  async close(): Promise<void> {
    await this.queue.drainThen(() => this.pg.close());
  }
}

function wrapTx(tx: Transaction): WriteTx {
  return {
    async query<T>(sql: string, params?: Params) {
      return (await tx.query<T>(sql, params as unknown[] | undefined)).rows;
    },
    async exec(sql: string) {
      await tx.exec(sql);
    },
  } as WriteTx;
}
