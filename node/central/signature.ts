import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../shared/errors.js';
import { fedHeaders, SIGNATURE_WINDOW_MS } from '../../shared/federation.js';
import type { Db } from '../db/types.js';
import { createLogger } from '../log.js';

const log = createLogger('central-auth');

/** The hex SHA-256 of a raw body; '' when there is none (a GET), as shared/federation.ts says. */
export const bodyHash = (body: Buffer | string | undefined): string =>
  body === undefined || body.length === 0 ? '' : createHash('sha256').update(body).digest('hex');

/** What a device signs: method, path with query, timestamp (ms), nonce, body hash, one per line. */
export const signingString = (method: string, pathWithQuery: string, timestamp: string, nonce: string, hash: string): string =>
  `${method.toUpperCase()}\n${pathWithQuery}\n${timestamp}\n${nonce}\n${hash}`;

export const sign = (secret: string, text: string): string => createHmac('sha256', Buffer.from(secret, 'base64url')).update(text).digest('hex');

/** The headers of a signed request (the relay's side; also used by tests and bench:ingest). */
export function signedHeaders(device: { deviceId: string; secret: string }, method: string, pathWithQuery: string, body?: string, now = Date.now(), nonce = cryptoNonce()) {
  const timestamp = String(now);
  return {
    [fedHeaders.device]: device.deviceId,
    [fedHeaders.timestamp]: timestamp,
    [fedHeaders.nonce]: nonce,
    [fedHeaders.signature]: sign(device.secret, signingString(method, pathWithQuery, timestamp, nonce, bodyHash(body))),
  };
}

const cryptoNonce = () => createHash('sha256').update(`${Math.random()}${process.hrtime.bigint()}`).digest('base64url').slice(0, 22);

export interface SignedDevice {
  storeId: string;
  deviceId: string;
}

export interface RateLimit {
  /** Requests a device may make per window, across every central process. */
  max: number;
  windowMs: number;
}

export const DEFAULT_RATE_LIMIT: RateLimit = { max: 1200, windowMs: 60_000 };

interface RequestParts {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer | string | undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NONCE = /^[A-Za-z0-9_-]{16,64}$/;
const HEX_SIG = /^[0-9a-f]{64}$/;

function refuse(why: string, parts: Omit<RequestParts, 'body'>, deviceId?: string): never {
  log.warn({ deviceId, method: parts.method, path: parts.url.split('?')[0], why }, 'federation request refused');
  throw new AppError('Unauthorized', `Federation request refused: ${why}.`);
}

/**
 * The checks that need neither the body nor the database (headers, window): run as soon as the request line and
 * headers arrive, so an unsigned or stale request is refused before its body is read.
 */
export function precheckSigned(parts: Omit<RequestParts, 'body'>, now = Date.now()): { deviceId: string; timestamp: string; nonce: string; signature: string } {
  const header = (name: string) => {
    const value = parts.headers[name];
    return typeof value === 'string' ? value : undefined;
  };
  const deviceId = header(fedHeaders.device);
  const timestamp = header(fedHeaders.timestamp);
  const nonce = header(fedHeaders.nonce);
  const signature = header(fedHeaders.signature);
  if (!deviceId || !UUID.test(deviceId) || !timestamp || !/^\d{1,16}$/.test(timestamp) || !nonce || !NONCE.test(nonce) || !signature || !HEX_SIG.test(signature)) {
    return refuse('missing or malformed signature headers', parts, deviceId);
  }
  const skew = Number(timestamp) - now;
  if (Math.abs(skew) > SIGNATURE_WINDOW_MS) return refuse(`timestamp ${Math.round(skew / 1000)} s from the central's clock (window ±300 s)`, parts, deviceId);
  return { deviceId, timestamp, nonce, signature };
}

/**
 * Checks a signed federation request (R16) and returns the device it speaks for. Every check that can fail without
 * writing comes first (headers, window, device, revocation, signature), so a refused request stores nothing; then
 * one statement records the nonce (a replay finds it) and, only for a fresh nonce, counts the request against the
 * device's rate limit.
 */
export async function verifySigned(db: Db, parts: RequestParts, limit: RateLimit = DEFAULT_RATE_LIMIT, now = Date.now()): Promise<SignedDevice> {
  const { deviceId, timestamp, nonce, signature } = precheckSigned(parts, now);
  const [device] = await db.query<{ store_id: string; secret: string; revoked: boolean }>(
    'SELECT store_id::text AS store_id, secret, revoked_at IS NOT NULL AS revoked FROM central_devices WHERE device_id = $1',
    [deviceId],
  );
  if (!device) return refuse('unknown device', parts, deviceId);
  if (device.revoked) return refuse('the device was revoked', parts, deviceId);
  const expected = sign(device.secret, signingString(parts.method, parts.url, timestamp, nonce, bodyHash(parts.body)));
  if (!timingSafeEqual(Buffer.from(expected), Buffer.from(signature))) return refuse('wrong signature', parts, deviceId);
  const [row] = await db.query<{ fresh: number; used: number }>(
    `WITH n AS (
       INSERT INTO fed_nonces (store_id, device_id, nonce, expires_at)
       VALUES ($1, $2, $3, to_timestamp($4::float8 / 1000) + make_interval(secs => $5::float8 / 1000))
       ON CONFLICT DO NOTHING RETURNING 1
     ), r AS (
       INSERT INTO fed_rate AS r (store_id, device_id, window_start, count) SELECT $1, $2, now(), 1 FROM n
       ON CONFLICT (store_id, device_id) DO UPDATE SET
         window_start = CASE WHEN r.window_start < now() - make_interval(secs => $6::float8 / 1000) THEN now() ELSE r.window_start END,
         count = CASE WHEN r.window_start < now() - make_interval(secs => $6::float8 / 1000) THEN 1 ELSE r.count + 1 END
       RETURNING count
     )
     SELECT (SELECT count(*) FROM n)::int AS fresh, (SELECT count FROM r) AS used`,
    [device.store_id, deviceId, nonce, Number(timestamp), SIGNATURE_WINDOW_MS, limit.windowMs],
  );
  if (!row || Number(row.fresh) !== 1) return refuse('nonce already used (a replay)', parts, deviceId);
  if (Number(row.used) > limit.max) {
    log.warn({ deviceId, used: row.used }, 'federation rate limit reached');
    throw new AppError('RateLimited', `Too many requests from this device; wait a little.`).retryAfter(Math.ceil(limit.windowMs / 1000));
  }
  return { storeId: device.store_id, deviceId };
}

/** Nonces whose timestamp left the window can no longer be replayed: any central process may drop them. */
export async function dropExpiredNonces(db: Db): Promise<number> {
  const rows = await db.query('DELETE FROM fed_nonces WHERE expires_at < now() RETURNING 1');
  return rows.length;
}
