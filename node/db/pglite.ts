import { PGlite, types, type Transaction } from '@electric-sql/pglite';
import { Mutex } from './mutex.js';
import { SyncingFs, type SyncingFsOptions } from './syncfs.js';
import type { Db, Params, WriteTx } from './types.js';

export const PGLITE_VERSION = '0.5.16';

/** int8 as a JS number (sequences, counts, sizes stay far below 2^53); refuse silently losing precision. */
export const parseInt8 = (value: string): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`int8 ${value} is beyond a safe JS integer`);
  return n;
};

export type PgliteOptions = SyncingFsOptions;

/** PGlite on our syncing filesystem (DESIGN.md "Durability"). */
export async function openPglite(dir: string, options: PgliteOptions = {}): Promise<PgliteDb> {
  const fs = new SyncingFs(dir, options);
  const pg = await PGlite.create({ fs, parsers: { [types.INT8]: parseInt8 } });
  return new PgliteDb(pg, fs);
}

export class PgliteDb implements Db {
  readonly engine = 'pglite' as const;
  readonly #writes = new Mutex();

  constructor(
    readonly pg: PGlite,
    readonly fs: SyncingFs,
  ) {}

  async query<T>(sql: string, params?: Params): Promise<T[]> {
    const result = await this.pg.query<T>(sql, params as unknown[] | undefined);
    return result.rows;
  }

  write<T>(fn: (tx: WriteTx) => Promise<T>): Promise<T> {
    return this.#writes.run(async () => {
      const result = await this.pg.transaction((tx) => fn(wrapTx(tx)));
      // PGlite skips the sync of a transaction's COMMIT (upstream #1065): sync before anyone is told it happened.
      this.fs.syncNow();
      return result;
    });
  }

  async sizeBytes(): Promise<number> {
    const [row] = await this.query<{ size: number }>('SELECT pg_database_size(current_database())::int8 AS size');
    return row?.size ?? 0;
  }

  async close(): Promise<void> {
    await this.#writes.run(() => this.pg.close());
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
