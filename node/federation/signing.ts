import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { fedHeaders, SIGNATURE_WINDOW_MS } from '../../shared/federation.js';

/**
 * The signature of a federation request (shared/federation.ts): HMAC-SHA256, keyed with the 32 bytes the device
 * secret encodes (base64url), over `METHOD\npath?query\ntimestamp ms\nnonce\nhex sha256(body)`, sent as lowercase hex.
 * Pure and shared by both ends: the relay signs, the central verifies with the same functions.
 */
export interface SignInput {
  method: string;
  /** The path with its query string, exactly as sent (`/fed/v1/pull?after=0&limit=500`). */
  path: string;
  timestampMs: number;
  nonce: string;
  /** The raw body as sent; '' (or undefined) for none. */
  body?: string | Uint8Array;
}

export const bodyHash = (body: string | Uint8Array | undefined): string =>
  body === undefined || body.length === 0 ? '' : createHash('sha256').update(body).digest('hex');

export const canonicalRequest = (input: SignInput): string =>
  [input.method.toUpperCase(), input.path, String(input.timestampMs), input.nonce, bodyHash(input.body)].join('\n');

export function signature(secret: string, input: SignInput): string {
  return createHmac('sha256', Buffer.from(secret, 'base64url')).update(canonicalRequest(input)).digest('hex');
}

export const newNonce = (): string => randomBytes(16).toString('base64url');

/** The headers of one signed request. */
export function signedHeaders(
  credentials: { deviceId: string; secret: string },
  request: Omit<SignInput, 'timestampMs' | 'nonce'> & { requestId?: string },
  now: number = Date.now(),
  nonce: string = newNonce(),
): Record<string, string> {
  const headers: Record<string, string> = {
    [fedHeaders.device]: credentials.deviceId,
    [fedHeaders.timestamp]: String(now),
    [fedHeaders.nonce]: nonce,
    [fedHeaders.signature]: signature(credentials.secret, { ...request, timestampMs: now, nonce }),
  };
  if (request.requestId) headers[fedHeaders.requestId] = request.requestId;
  return headers;
}

export type Verdict = { ok: true } | { ok: false; reason: 'stale' | 'bad-signature' };

/** The central's check of the signature and the window (the nonce and the device's state are its own business). */
export function verifySignature(secret: string, input: SignInput, given: string, now: number = Date.now()): Verdict {
  if (!Number.isSafeInteger(input.timestampMs) || Math.abs(now - input.timestampMs) > SIGNATURE_WINDOW_MS) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(signature(secret, input), 'hex');
  const actual = Buffer.from(/^[0-9a-f]{64}$/.test(given) ? given : '', 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected) ? { ok: true } : { ok: false, reason: 'bad-signature' };
}
