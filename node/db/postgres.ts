import pg from 'pg';
import { Mutex } from './mutex.js';
import { parseInt8 } from './pglite.js';
import type { Db, Params, WriteTx } from './types.js';
import { createLogger } from '../log.js';

const log = createLogger('postgres');

const typeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20 && format !== 'binary') return parseInt8;
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

/** PostgreSQL through `pg` (the central's engine). The server itself makes commits durable (synchronous_commit). */
export function openPostgres(connectionString: string, options: { max?: number } = {}): PostgresDb {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10, types: typeParsers });
  return new PostgresDb(pool);
}

export class PostgresDb implements Db {
  readonly engine = 'postgres' as const;
  /** Used only where one process must not interleave its own writers (tests, single-node central). */
  readonly serial = new Mutex();

  constructor(readonly pool: pg.Pool) {
    // An idle connection the server closes (restart, failover, an administrator) must not crash the process: pg
    // raises it on the pool, and the pool replaces the connection on the next query.
    pool.on('error', (error) => log.warn({ err: error }, 'an idle PostgreSQL connection was closed'));
  }

  async query<T>(sql: string, params?: Params): Promise<T[]> {
    const result = await this.pool.query(sql, params as unknown[] | undefined);
    return result.rows as T[];
  }

  async write<T>(fn: (tx: WriteTx) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const tx = {
        async query<R>(sql: string, params?: Params) {
          return (await client.query(sql, params as unknown[] | undefined)).rows as R[];
        },
        async exec(sql: string) {
          await client.query(sql);
        },
      } as WriteTx;
      const result = await fn(tx);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async sizeBytes(): Promise<number> {
    const [row] = await this.query<{ size: number }>('SELECT pg_database_size(current_database())::int8 AS size');
    return row?.size ?? 0;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
