/**
 * The database seen by the rest of the node. Reads and writes are different types: a query gets a `ReadDb` and
 * cannot open a transaction; only the command path and the migration runner get a `WriteTx`, through `Db.write`,
 * which commits and makes the commit durable before it resolves.
 */
import type { Priority } from './queue.js';

export type Params = readonly unknown[];

export interface ReadDb {
  query<T = Record<string, unknown>>(sql: string, params?: Params): Promise<T[]>;
}

declare const writeBrand: unique symbol;

export interface WriteTx extends ReadDb {
  readonly [writeBrand]: true;
  /** Several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export type Engine = 'pglite' | 'postgres';

/**
 * Where the connection is shared (PGlite), which waiting work goes first (node/db/queue.ts). Unset, it is the
 * priority of the API call being served (from its contract method), else `normal`.
 */
export interface Work {
  priority?: Priority;
}

export interface Db extends ReadDb {
  readonly engine: Engine;
  query<T = Record<string, unknown>>(sql: string, params?: Params, work?: Work): Promise<T[]>;
  /** One transaction: commits, then syncs to storage (R27), then resolves. Writes are serialised. */
  write<T>(fn: (tx: WriteTx) => Promise<T>, work?: Work): Promise<T>;
  /** Bytes the database occupies. */
  sizeBytes(): Promise<number>;
  close(): Promise<void>;
}

export const one = <T>(rows: T[], what: string): T => {
  const row = rows[0];
  if (row === undefined) throw new Error(`expected one ${what}, got none`);
  return row;
};
