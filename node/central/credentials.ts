import type { z } from 'zod';
import { credentialKey, mergeCredentials } from '../../shared/credentials.js';
import type { credentialsPullResponse, credentialsPushResponse, WireCredential } from '../../shared/federation.js';
import type { Db, ReadDb } from '../db/types.js';
import type { SignedDevice } from './signature.js';

export const CREDENTIALS_PULL_MAX = 1_000;

/**
 * The central's copy of each store's PIN and password hashes (migration 0035; docs/decisions/0013-credentials-
 * federation.md): the newest version of each, last writer wins by its clock like on every terminal. Each stored
 * version takes the next number of the store's credential order, so terminals pull changes by cursor.
 */
export async function storeCredentials(db: Db, device: SignedDevice, incoming: readonly WireCredential[]): Promise<z.infer<typeof credentialsPushResponse>> {
  return db.write(async (tx) => {
    // The store's counter row first: held until commit, it orders this store's writers (commit order = number order).
    const [counter] = await tx.query<{ seq: string }>(
      `INSERT INTO central_credential_order AS o (store_id, seq) VALUES ($1, 0)
       ON CONFLICT (store_id) DO UPDATE SET seq = o.seq RETURNING seq`,
      [device.storeId],
    );
    const held = await tx.query<{ userId: string; kind: WireCredential['kind']; hlc: string }>(
      `SELECT c.user_id::text AS "userId", c.kind, c.hlc FROM central_credentials c
         JOIN jsonb_to_recordset($2::jsonb) AS k("userId" uuid, kind text) ON c.user_id = k."userId" AND c.kind = k.kind
       WHERE c.store_id = $1`,
      [device.storeId, JSON.stringify(incoming.map(({ userId, kind }) => ({ userId, kind })))],
    );
    const winners = mergeCredentials(new Map(held.map((h) => [credentialKey(h), h.hlc])), incoming);
    const stale = incoming.length - winners.length;
    if (winners.length === 0) return { stored: 0, stale };
    const from = Number(counter!.seq);
    await tx.query(
      `INSERT INTO central_credentials (store_id, user_id, kind, hash, salt, params, hlc, device_id, store_seq, received_at)
       SELECT $1, w."userId", w.kind, w.hash, w.salt, w.params, w.hlc, $2, $3 + w.n, now()
         FROM jsonb_to_recordset($4::jsonb) AS w("userId" uuid, kind text, hash text, salt text, params jsonb, hlc text, n bigint)
       ON CONFLICT (store_id, user_id, kind) DO UPDATE SET hash = excluded.hash, salt = excluded.salt, params = excluded.params,
         hlc = excluded.hlc, device_id = excluded.device_id, store_seq = excluded.store_seq, received_at = excluded.received_at`,
      [device.storeId, device.deviceId, from, JSON.stringify(winners.map((w, i) => ({ ...w, n: i + 1 })))],
    );
    await tx.query('UPDATE central_credential_order SET seq = $2 WHERE store_id = $1', [device.storeId, from + winners.length]);
    return { stored: winners.length, stale };
  });
}

/**
 * The store's credentials changed after the cursor (the last store_seq handed out), each in its newest version. A
 * cursor past the store's counter comes from before a restore of this database: the answer starts over from 0.
 */
export async function pullCredentials(db: ReadDb, device: SignedDevice, after: number, limit: number): Promise<z.infer<typeof credentialsPullResponse>> {
  const [counter] = await db.query<{ seq: string }>('SELECT seq FROM central_credential_order WHERE store_id = $1', [device.storeId]);
  const restarted = after > Number(counter?.seq ?? 0);
  const from = restarted ? 0 : after;
  const rows = await db.query<WireCredential & { store_seq: string }>(
    `SELECT user_id::text AS "userId", kind, hash, salt, params, hlc, store_seq FROM central_credentials
     WHERE store_id = $1 AND store_seq > $2 ORDER BY store_seq LIMIT $3`,
    [device.storeId, from, limit],
  );
  const last = rows.at(-1);
  return {
    credentials: rows.map(({ store_seq: _seq, ...c }) => c),
    cursor: String(last ? Number(last.store_seq) : from),
    more: rows.length === limit,
    restarted,
  };
}
