import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { formatHlc, parseHlc, tickHlc } from '../../shared/hlc.js';
import type { CredentialKind } from '../../shared/credentials.js';
import type { ReadDb, WriteTx } from '../db/types.js';

export type { CredentialKind };

/** scrypt's cost, stored with each hash: raising it later leaves old hashes verifiable until they are replaced. */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
  keylen: number;
}

/** About 50 ms and 16 MB per hash on a till: slow for a guesser holding a copy of the database, fine for a person. */
export const SCRYPT_PARAMS: ScryptParams = { N: 16_384, r: 8, p: 1, keylen: 32 };

export interface StoredCredential {
  hash: string;
  salt: string;
  params: ScryptParams;
}

const derive = (secret: string, salt: Buffer, { N, r, p, keylen }: ScryptParams): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const options: ScryptOptions = { N, r, p, maxmem: 128 * N * r * 2 };
    scrypt(secret.normalize('NFC'), salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key)));
  });

/** A fresh salt per credential, so the same PIN of two people gives two unrelated hashes. */
export async function hashSecret(secret: string, params: ScryptParams = SCRYPT_PARAMS): Promise<StoredCredential> {
  const salt = randomBytes(16);
  return { hash: (await derive(secret, salt, params)).toString('base64'), salt: salt.toString('base64'), params };
}

export async function verifySecret(secret: string, stored: StoredCredential): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'base64');
  const actual = await derive(secret, Buffer.from(stored.salt, 'base64'), stored.params);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Where a credential is changed: the store, the device that writes it and when. */
export interface CredentialScope {
  storeId: string;
  deviceId: string;
  now: Date;
}

/**
 * The clock of a credential change: after this device's clock and after the version it replaces (which may come from
 * another terminal whose clock is ahead), so the change wins over every version this node has seen (shared/credentials.ts).
 */
async function nextCredentialHlc(tx: WriteTx, scope: CredentialScope, userId: string, kind: CredentialKind): Promise<string> {
  const rows = await tx.query<{ hlc: string }>(
    `SELECT hlc FROM journal_head WHERE store_id = $1 AND device_id = $2
     UNION ALL SELECT hlc FROM user_credential WHERE store_id = $1 AND user_id = $3 AND kind = $4`,
    [scope.storeId, scope.deviceId, userId, kind],
  );
  const last = rows.map((r) => r.hlc).reduce<string | undefined>((a, b) => (a === undefined || b > a ? b : a), undefined);
  return formatHlc(tickHlc(last ? parseHlc(last) : undefined, scope.now.getTime(), scope.deviceId));
}

/**
 * Replaces a person's credential of one kind, inside the caller's transaction, and queues it for the store's other
 * terminals (the relay sends the hash, never the secret, to the central: node/federation/credentials.ts).
 */
export async function saveCredential(tx: WriteTx, scope: CredentialScope, userId: string, kind: CredentialKind, secret: string): Promise<void> {
  const c = await hashSecret(secret);
  const hlc = await nextCredentialHlc(tx, scope, userId, kind);
  await tx.query(
    `WITH saved AS (
       INSERT INTO user_credential (store_id, user_id, kind, hash, salt, params, hlc, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, now())
       ON CONFLICT (store_id, user_id, kind) DO UPDATE SET hash = excluded.hash, salt = excluded.salt, params = excluded.params,
         hlc = excluded.hlc, updated_at = excluded.updated_at
       RETURNING 1
     )
     INSERT INTO credential_outbox (store_id, user_id, kind, hlc) SELECT $1, $2, $3, $7 FROM saved
     ON CONFLICT (store_id, user_id, kind) DO UPDATE SET hlc = excluded.hlc`,
    [scope.storeId, userId, kind, c.hash, c.salt, JSON.stringify(c.params), hlc],
  );
}

export async function credentialOf(db: ReadDb, storeId: string, userId: string, kind: CredentialKind): Promise<StoredCredential | undefined> {
  const [row] = await db.query<StoredCredential>(
    'SELECT hash, salt, params FROM user_credential WHERE store_id = $1 AND user_id = $2 AND kind = $3',
    [storeId, userId, kind],
  );
  return row;
}

/** Whether the store has an owner who can sign in: until then the installation stands for the owner (first start). */
export async function ownerReady(db: ReadDb, storeId: string): Promise<boolean> {
  const rows = await db.query(
    `SELECT 1 FROM users u JOIN user_credential c ON c.store_id = u.store_id AND c.user_id = u.id AND c.kind = 'password'
     WHERE u.store_id = $1 AND u.role = 'owner' AND u.active LIMIT 1`,
    [storeId],
  );
  return rows.length > 0;
}
