import { loadMigrations, migrate } from '../db/migrate.js';
import { openPostgres, PostgresDb } from '../db/postgres.js';
import type { Db, WriteTx } from '../db/types.js';
import { createLogger } from '../log.js';
import { ensureIdentity, type Identity } from '../runtime/identity.js';
import { openDataDir } from '../runtime/open.js';
import { migrationsDir } from '../runtime/paths.js';

const log = createLogger('central');

export interface CentralDb {
  db: Db;
  /** The central's own device: the author of the events it writes into a store's log (fiscal grants). */
  identity: Identity;
  close(): Promise<void>;
}

/**
 * The central's database: PostgreSQL through `pg` when a connection string is given (production, several central
 * processes on one database), otherwise PGlite in the data folder (the demo, tests). Both get the central migrations.
 */
export async function openCentralDb(options: { databaseUrl?: string; dataDir?: string; poolSize?: number }): Promise<CentralDb> {
  if (options.databaseUrl) {
    const db = openPostgres(options.databaseUrl, { max: options.poolSize ?? 20 });
    try {
      await migrate(db, loadMigrations(migrationsDir(), 'central'));
      const identity = await ensureIdentity(db, 'central', 'ARS');
      return { db, identity, close: () => db.close() };
    } catch (error) {
      await db.close().catch(() => undefined);
      throw error;
    }
  }
  if (!options.dataDir) throw new Error('the central needs DATABASE_URL or a data folder');
  const store = await openDataDir(options.dataDir, { role: 'central', purpose: 'central' });
  return { db: store.db, identity: store.identity, close: () => store.close() };
}

const SERIALIZATION_FAILURES = new Set(['40001', '40P01']);
const isSerializationFailure = (error: unknown) => SERIALIZATION_FAILURES.has((error as { code?: string }).code ?? '');

/**
 * One SERIALIZABLE transaction, retried on a serialization failure or deadlock. On PostgreSQL the writers of one
 * key (`lockKey`) first queue on a session advisory lock taken before the transaction's snapshot, so they seldom
 * fail and retry; the serializable transaction is what makes it correct, the lock only makes it cheap.
 */
export async function serializableWrite<T>(db: Db, lockKey: string, fn: (tx: WriteTx) => Promise<T>, attempts = 200): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      if (db instanceof PostgresDb) return await pgSerializable(db, lockKey, fn);
      return await db.write(async (tx) => {
        await tx.query('SET TRANSACTION ISOLATION LEVEL SERIALIZABLE');
        return fn(tx);
      });
    } catch (error) {
      if (!isSerializationFailure(error) || attempt >= attempts) throw error;
      log.debug({ attempt, lockKey }, 'serialization failure; retrying');
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, attempt * 2)));
    }
  }
}

async function pgSerializable<T>(db: PostgresDb, lockKey: string, fn: (tx: WriteTx) => Promise<T>): Promise<T> {
  const client = await db.pool.connect();
  let locked = false;
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [lockKey]);
    locked = true;
    await client.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
    const tx = {
      query: async (sql: string, params?: readonly unknown[]) => (await client.query(sql, params as unknown[] | undefined)).rows,
      exec: async (sql: string) => void (await client.query(sql)),
    } as unknown as WriteTx;
    try {
      const result = await fn(tx);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  } finally {
    // A connection whose unlock failed may still hold the lock: it is closed, not returned to the pool.
    const unlocked = !locked || (await client.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey]).then(() => true, () => false));
    client.release(!unlocked);
  }
}
