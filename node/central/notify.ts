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
  /** A device was revoked: every process closes its WebSocket. */
  publishRevoked(deviceId: string): Promise<void>;
  onRevoked(listener: (deviceId: string) => void): () => void;
  close(): Promise<void>;
}

const REVOKED = 'revoked:';

/** Tells every central process on the database that a device was revoked (the CLI's way; the API uses its notifier). */
export async function announceRevoked(db: Db, deviceId: string): Promise<void> {
  if (db instanceof PostgresDb) await db.query('SELECT pg_notify($1, $2)', [CHANNEL, `${REVOKED}${deviceId}`]);
}

/** Tells every central process that store S has news (the CLI's way): its terminals run a round now. */
export async function announceMore(db: Db, storeId: string): Promise<void> {
  if (db instanceof PostgresDb) await db.query('SELECT pg_notify($1, $2)', [CHANNEL, storeId]);
}

export async function openNotifier(db: Db): Promise<StoreNotifier> {
  const local = new EventEmitter();
  local.setMaxListeners(0);
  const on = (kind: 'more' | 'revoked') => (listener: (id: string) => void) => {
    local.on(kind, listener);
    return () => void local.off(kind, listener);
  };
  const dispatch = (message: string) =>
    message.startsWith(REVOKED) ? local.emit('revoked', message.slice(REVOKED.length)) : local.emit('more', message);
  const listeners = { subscribe: on('more'), onRevoked: on('revoked') };
  if (!(db instanceof PostgresDb)) {
    return {
      ...listeners,
      publish: async (storeId) => void dispatch(storeId),
      publishRevoked: async (deviceId) => void dispatch(`${REVOKED}${deviceId}`),
      close: async () => undefined,
    };
  }
  const options = db.pool.options as pg.PoolConfig;
  const listener = new pg.Client({ ...options });
  listener.on('notification', (message) => {
    if (message.channel === CHANNEL && message.payload) dispatch(message.payload);
  });
  listener.on('error', (error) => log.error({ err: error }, 'the LISTEN connection failed: devices will learn of new events at their next pull'));
  await listener.connect();
  await listener.query(`LISTEN ${CHANNEL}`);
  return {
    ...listeners,
    publish: async (storeId) => void (await db.query('SELECT pg_notify($1, $2)', [CHANNEL, storeId])),
    publishRevoked: (deviceId) => announceRevoked(db, deviceId),
    close: () => listener.end(),
  };
}
