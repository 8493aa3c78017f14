import { credentialKey, mergeCredentials } from '../../shared/credentials.js';
import type { WireCredential } from '../../shared/federation.js';
import type { Db, ReadDb, WriteTx } from '../db/types.js';
import { createLogger } from '../log.js';
import { CentralRefused, type CentralClient } from './client.js';

const log = createLogger('relay');

export const CREDENTIALS_PUSH_LIMIT = 500;
export const CREDENTIALS_PULL_LIMIT = 1_000;

/**
 * The terminal's side of the credentials' federation (docs/decisions/0013-credentials-federation.md), on the tables
 * of migration 0034: `user_credential` (the users domain's hashes, with the clock of each change) and
 * `credential_outbox` (changes the central has not taken yet). Hashes only: a PIN never leaves the users domain.
 */
const CREDENTIAL_COLUMNS = `c.user_id::text AS "userId", c.kind, c.hash, c.salt, c.params, c.hlc`;

/** Credentials changed here and not yet taken by the central (the version each outbox row names, or newer). */
export async function pendingCredentials(db: ReadDb, storeId: string, limit = CREDENTIALS_PUSH_LIMIT): Promise<WireCredential[]> {
  return db.query<WireCredential>(
    `SELECT ${CREDENTIAL_COLUMNS} FROM credential_outbox o
       JOIN user_credential c ON c.store_id = o.store_id AND c.user_id = o.user_id AND c.kind = o.kind
     WHERE o.store_id = $1 ORDER BY o.hlc LIMIT $2`,
    [storeId, limit],
  );
}

/** The central answered for these versions: their outbox rows go (a change made meanwhile keeps its row). */
async function forgetSent(db: Db, storeId: string, sent: readonly WireCredential[]): Promise<void> {
  await db.write((tx) =>
    tx.query(
      `DELETE FROM credential_outbox o USING jsonb_to_recordset($2::jsonb) AS s("userId" uuid, kind text, hlc text)
       WHERE o.store_id = $1 AND o.user_id = s."userId" AND o.kind = s.kind AND o.hlc COLLATE "C" <= s.hlc COLLATE "C"`,
      [storeId, JSON.stringify(sent.map(({ userId, kind, hlc }) => ({ userId, kind, hlc })))],
    ),
  );
}

/**
 * Stores pulled credentials that beat what this terminal holds (last writer wins, shared/credentials.ts), in one
 * transaction. A credential whose person has not arrived yet is kept all the same: sign-in finds it once they do.
 * A local change that lost leaves the outbox (the central holds a newer one). Returns how many were stored.
 */
export async function applyCredentials(tx: WriteTx, storeId: string, incoming: readonly WireCredential[]): Promise<number> {
  if (incoming.length === 0) return 0;
  const keys = JSON.stringify(incoming.map(({ userId, kind }) => ({ userId, kind })));
  const held = await tx.query<{ userId: string; kind: WireCredential['kind']; hlc: string }>(
    `SELECT c.user_id::text AS "userId", c.kind, c.hlc FROM user_credential c
       JOIN jsonb_to_recordset($2::jsonb) AS k("userId" uuid, kind text) ON c.user_id = k."userId" AND c.kind = k.kind
     WHERE c.store_id = $1 FOR UPDATE OF c`,
    [storeId, keys],
  );
  const winners = mergeCredentials(new Map(held.map((h) => [credentialKey(h), h.hlc])), incoming);
  if (winners.length === 0) return 0;
  const rows = JSON.stringify(winners);
  await tx.query(
    `INSERT INTO user_credential (store_id, user_id, kind, hash, salt, params, hlc, updated_at)
     SELECT $1, w."userId", w.kind, w.hash, w.salt, w.params, w.hlc, now()
       FROM jsonb_to_recordset($2::jsonb) AS w("userId" uuid, kind text, hash text, salt text, params jsonb, hlc text)
     ON CONFLICT (store_id, user_id, kind) DO UPDATE SET hash = excluded.hash, salt = excluded.salt, params = excluded.params,
       hlc = excluded.hlc, updated_at = excluded.updated_at`,
    [storeId, rows],
  );
  await tx.query(
    `DELETE FROM credential_outbox o USING jsonb_to_recordset($2::jsonb) AS w("userId" uuid, kind text)
     WHERE o.store_id = $1 AND o.user_id = w."userId" AND o.kind = w.kind`,
    [storeId, rows],
  );
  return winners.length;
}

/** The central lost credentials (restored from an older backup): everything this terminal holds goes to it again. */
async function requeueAll(tx: WriteTx, storeId: string): Promise<void> {
  const rows = await tx.query(
    `INSERT INTO credential_outbox (store_id, user_id, kind, hlc) SELECT store_id, user_id, kind, hlc FROM user_credential WHERE store_id = $1
     ON CONFLICT (store_id, user_id, kind) DO UPDATE SET hlc = excluded.hlc RETURNING 1`,
    [storeId],
  );
  log.warn({ credentials: rows.length }, 'the central holds fewer credential changes than this terminal saw (restored?): sending them all again');
}

async function readCursor(db: ReadDb, storeId: string): Promise<string> {
  const [row] = await db.query<{ cursor: string }>('SELECT cursor FROM credential_cursor WHERE store_id = $1', [storeId]);
  return row?.cursor ?? '0';
}

const saveCursor = (tx: WriteTx, storeId: string, cursor: string) =>
  tx.query(
    `INSERT INTO credential_cursor (store_id, cursor, pulled_at) VALUES ($1, $2, now())
     ON CONFLICT (store_id) DO UPDATE SET cursor = excluded.cursor, pulled_at = now()`,
    [storeId, cursor],
  );

/** Credential changes waiting for the central (the status's backlog counts events; this counts these). */
export async function credentialBacklog(db: ReadDb, storeId: string): Promise<number> {
  const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM credential_outbox WHERE store_id = $1', [storeId]);
  return row?.n ?? 0;
}

/**
 * The central said no (4xx) to a credentials call: a central from before these routes (404), or a credential it will
 * not take. The events' round goes on and the credentials stay queued, logged (an unreachable central still fails
 * the round, as any call does).
 */
async function unlessRefused(run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof CentralRefused)) throw error;
    if (error.status === 404) log.warn({ err: error.message }, 'the central does not take credentials yet (an older version): they stay queued');
    else log.error({ err: error.message }, 'the central refused credentials: they stay queued');
    return 0;
  }
}

/** Pulls the store's credential changes after this terminal's cursor; each page and its cursor in one transaction. */
export const pullCredentials = (db: Db, client: CentralClient, storeId: string): Promise<number> => unlessRefused(() => pullPages(db, client, storeId));

async function pullPages(db: Db, client: CentralClient, storeId: string): Promise<number> {
  let cursor = await readCursor(db, storeId);
  let stored = 0;
  for (;;) {
    const page = await client.pullCredentials(cursor, CREDENTIALS_PULL_LIMIT);
    const from = cursor;
    stored += await db.write(async (tx) => {
      if (page.restarted) await requeueAll(tx, storeId);
      const n = await applyCredentials(tx, storeId, page.credentials);
      if (page.cursor !== from) await saveCursor(tx, storeId, page.cursor);
      return n;
    });
    cursor = page.cursor;
    if (!page.more || page.cursor === from) return stored;
  }
}

/** Sends the credential outbox to the central until it is empty; a stale one (changed later elsewhere) comes back by pull. */
export const pushCredentials = (db: Db, client: CentralClient, storeId: string): Promise<number> => unlessRefused(() => pushBatches(db, client, storeId));

async function pushBatches(db: Db, client: CentralClient, storeId: string): Promise<number> {
  let sent = 0;
  for (;;) {
    const batch = await pendingCredentials(db, storeId);
    if (batch.length === 0) return sent;
    const answer = await client.pushCredentials(batch);
    await forgetSent(db, storeId, batch);
    if (answer.stale > 0) log.info({ stale: answer.stale }, 'the central already held these credentials or newer ones: the newer come back by pull');
    sent += batch.length;
  }
}
