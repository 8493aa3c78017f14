import { describe, expect, it } from 'vitest';
import { SIGNATURE_WINDOW_MS } from '../../shared/federation.js';
import { verifySignature, signedHeaders } from './signing.js';
import { CentralClock, SKEW_FLAG_MS, skewFlagged } from './clock.js';

const HOUR = 3600_000;

/** The clock the relay signs with, on a fake monotonic clock and a fake wall clock set two hours off. */
describe('the central clock the relay signs with', () => {
  const fake = (wallOffset: number) => {
    const t = { mono: 5_000, real: Date.parse('2026-12-07T12:00:00Z') };
    const clock = new CentralClock(
      () => t.mono,
      () => t.real + wallOffset,
    );
    const pass = (ms: number) => {
      t.mono += ms;
      t.real += ms;
    };
    return { t, clock, pass };
  };

  it("signs with this machine's clock before any answer, then with the central's time plus monotonic time", () => {
    const { t, clock, pass } = fake(2 * HOUR);
    expect(clock.signingTime()).toBe(t.real + 2 * HOUR);
    expect(clock.skewMs).toBeNull();
    clock.observe(t.real);
    expect(clock.signingTime()).toBe(t.real);
    expect(clock.skewMs).toBe(2 * HOUR);
    pass(90_000);
    expect(clock.signingTime()).toBe(t.real);
    // The wall clock moved by hand in between: the estimate follows monotonic time, not the wall.
    const moved = new CentralClock(
      () => t.mono,
      () => t.real - 5 * HOUR,
    );
    moved.observe(new Date(t.real).toISOString());
    pass(30_000);
    expect(moved.signingTime()).toBe(t.real);
  });

  it('a signature made with it is inside the central window however far the wall clock is off', () => {
    for (const offset of [-2 * HOUR, 2 * HOUR, 26 * HOUR]) {
      const { t, clock, pass } = fake(offset);
      const secret = Buffer.alloc(32, 3).toString('base64url');
      const sign = () => signedHeaders({ deviceId: 'd', secret }, { method: 'GET', path: '/fed/v1/checkpoint' }, clock.signingTime(), 'nonce-nonce-nonce-1');
      const check = (headers: Record<string, string>) =>
        verifySignature(secret, { method: 'GET', path: '/fed/v1/checkpoint', timestampMs: Number(headers['x-mostrador-timestamp']), nonce: 'nonce-nonce-nonce-1' }, headers['x-mostrador-signature']!, t.real);
      expect(check(sign())).toEqual({ ok: false, reason: 'stale' });
      clock.observe(t.real);
      pass(SIGNATURE_WINDOW_MS - 1_000);
      expect(check(sign())).toEqual({ ok: true });
    }
  });

  it('flags a skew past two minutes once, and clears it once', () => {
    const { t, clock } = fake(0);
    expect(clock.observe(t.real - 60_000)).toBeNull();
    expect(skewFlagged(clock.skewMs)).toBe(false);
    expect(clock.observe(t.real - SKEW_FLAG_MS - 1)).toBe('flagged');
    expect(clock.observe(t.real + 2 * HOUR)).toBeNull();
    expect(clock.skewMs).toBe(-2 * HOUR);
    expect(skewFlagged(clock.skewMs)).toBe(true);
    expect(clock.observe(t.real)).toBe('cleared');
    expect(clock.observe('not a time')).toBeNull();
    expect(clock.skewMs).toBe(0);
    expect(skewFlagged(null)).toBe(false);
  });
});
