import type { Db } from '../db/types.js';
import { PostgresDb } from '../db/postgres.js';

/** The first key of our advisory locks: what kind of work holds the lock (the second is the store). */
const LOCK_NAMESPACE = 'mostrador.store-work';
/** PGlite: who holds what, per database (one process opens a folder). */
const heldHere = new WeakMap<Db, Set<string>>();

export type Locked<T> = { ran: true; value: T } | { ran: false; why: string };

/**
 * Runs `fn` while holding the store's lock for `work` (e.g. `reconcile`), or not at all when someone holds it. On
 * PostgreSQL (several central processes) a session advisory lock on its own connection, held for the whole work and
 * released even when the process dies (the server drops the session); on PGlite (one process per folder, by the
 * folder lock) a lock in this process.
 */
export async function withStoreLock<T>(db: Db, work: string, storeId: string, fn: () => Promise<T>): Promise<Locked<T>> {
  if (db instanceof PostgresDb) return withAdvisoryLock(db, work, storeId, fn);
  const key = `${work}/${storeId}`;
  const held = heldHere.get(db) ?? new Set<string>();
  heldHere.set(db, held);
  if (held.has(key)) return { ran: false, why: `${work} of store ${storeId} is already running in this process` };
  held.add(key);
  try {
    return { ran: true, value: await fn() };
  } finally {
    held.delete(key);
  }
}

async function withAdvisoryLock<T>(db: PostgresDb, work: string, storeId: string, fn: () => Promise<T>): Promise<Locked<T>> {
  const client = await db.pool.connect();
  const keys = [`${LOCK_NAMESPACE}/${work}`, storeId];
  try {
    const [row] = (await client.query<{ got: boolean }>('SELECT pg_try_advisory_lock(hashtext($1), hashtext($2)) AS got', keys)).rows;
    if (!row?.got) return { ran: false, why: `${work} of store ${storeId} is running in another central process` };
    try {
      return { ran: true, value: await fn() };
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1), hashtext($2))', keys);
    }
  } finally {
    client.release();
  }
}
