import { describe, expect, it } from 'vitest';
import { fedHeaders } from '../../shared/federation.js';
import { bodyHash, canonicalRequest, signature, signedHeaders, verifySignature } from './signing.js';

// Fixed vectors, computed once outside this module (node -e with crypto.createHmac over the documented string):
// a change to the canonical string or the key encoding breaks every enrolled device, so it must break this test.
const secret = 'BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc'; // 32 bytes of 0x07
const at = 1_700_000_000_000;
const push = { method: 'POST', path: '/fed/v1/push', timestampMs: at, nonce: 'nonce-1', body: '{"events":[]}' };
const pull = { method: 'GET', path: '/fed/v1/pull?after=0&limit=500', timestampMs: at, nonce: 'nonce-2' };

describe('federation request signing', () => {
  it('matches the fixed vectors', () => {
    expect(bodyHash(push.body)).toBe('24de1c4a19c43ad41b013f13dcd858c17b0daa7f33a53f19913e5b11366d1c2e');
    expect(signature(secret, push)).toBe('93a1f50fe496a16c518352f962601fcf83b3603f5312a7d3e934acf980f83bfb');
    expect(signature(secret, pull)).toBe('d1ecc5833b1fdfa701fac0d3ea4db6f5ab31f73c4170145bdd4c054dd31b4b19');
    expect(canonicalRequest(pull)).toBe(`GET\n/fed/v1/pull?after=0&limit=500\n${at}\nnonce-2\n`);
  });

  it('verifies its own signature and refuses any change to what was signed', () => {
    const good = signature(secret, push);
    expect(verifySignature(secret, push, good, at + 1000)).toEqual({ ok: true });
    expect(verifySignature(secret, { ...push, body: '{"events":[1]}' }, good, at)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifySignature(secret, { ...push, path: '/fed/v1/pull' }, good, at)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifySignature(secret, { ...push, nonce: 'other' }, good, at)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifySignature(Buffer.alloc(32, 8).toString('base64url'), push, good, at)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifySignature(secret, push, 'not hex', at)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuses a timestamp outside five minutes either way', () => {
    const good = signature(secret, push);
    expect(verifySignature(secret, push, good, at + 5 * 60_000 + 1).ok).toBe(false);
    expect(verifySignature(secret, push, good, at - 5 * 60_000 - 1).ok).toBe(false);
    expect(verifySignature(secret, push, good, at - 5 * 60_000).ok).toBe(true);
  });

  it('puts device, time, nonce, signature and the correlation id in the headers', () => {
    const headers = signedHeaders({ deviceId: 'd', secret }, { method: 'POST', path: push.path, body: push.body, requestId: 'req-9' }, at, 'nonce-1');
    expect(headers).toEqual({
      [fedHeaders.device]: 'd',
      [fedHeaders.timestamp]: String(at),
      [fedHeaders.nonce]: 'nonce-1',
      [fedHeaders.signature]: '93a1f50fe496a16c518352f962601fcf83b3603f5312a7d3e934acf980f83bfb',
      [fedHeaders.requestId]: 'req-9',
    });
  });
});
