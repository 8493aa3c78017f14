import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { Db } from '../db/types.js';
import { PostgresDb } from '../db/postgres.js';
import { createLogger } from '../log.js';

const log = createLogger('central-notify');
const CHANNEL = 'mostrador_more';

/**
 * "There is more to pull in store S", told to every central process after an ingest or a grant commits: through
 * PostgreSQL LISTEN/NOTIFY on one database (whichever process took the events), in-process on PGlite (one process).
 */
export interface StoreNotifier {
  publish(storeId: string): Promise<void>;
  subscribe(listener: (storeId: string) => void): () => void;
  close(): Promise<void>;
}

export async function openNotifier(db: Db): Promise<StoreNotifier> {
  const local = new EventEmitter();
  local.setMaxListeners(0);
  const subscribe = (listener: (storeId: string) => void) => {
    local.on('more', listener);
    return () => void local.off('more', listener);
  };
  if (!(db instanceof PostgresDb)) {
    return { publish: async (storeId) => void local.emit('more', storeId), subscribe, close: async () => undefined };
  }
  const options = db.pool.options as pg.PoolConfig;
  const listener = new pg.Client({ ...options });
  listener.on('notification', (message) => {
    if (message.channel === CHANNEL && message.payload) local.emit('more', message.payload);
  });
  listener.on('error', (error) => log.error({ err: error }, 'the LISTEN connection failed: devices will learn of new events at their next pull'));
  await listener.connect();
  await listener.query(`LISTEN ${CHANNEL}`);
  return {
    publish: async (storeId) => void (await db.query('SELECT pg_notify($1, $2)', [CHANNEL, storeId])),
    subscribe,
    close: () => listener.end(),
  };
}
