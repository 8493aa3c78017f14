import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatHlc, MAX_COUNTER, MAX_DRIFT_MS, observeSkew, parseHlc, receiveHlc, tickHlc, type Hlc } from './hlc.js';

const YEAR_MS = 365 * 24 * 3600 * 1000;
const NOW = 1_780_000_000_000;
// Walls that fit the 15-digit form with room for carries (until the year 33658).
const anyWall = fc.integer({ min: 0, max: 10 ** 15 - 10 ** 6 });
// Walls close together, so that equal walls, counters near the top and carries happen often.
const nearWall = fc.integer({ min: NOW - 3, max: NOW + 3 });
const wall = fc.oneof(anyWall, nearWall);
const counter = fc.oneof(fc.integer({ min: 0, max: MAX_COUNTER }), fc.integer({ min: MAX_COUNTER - 2, max: MAX_COUNTER }));
const node = fc.constantFrom('a', 'b', '0190c0de-0000-7000-8000-000000000000', 'z');
const hlc: fc.Arbitrary<Hlc> = fc.record({ wall, counter, node });

const sign = (n: number) => (n > 0 ? 1 : n < 0 ? -1 : 0);
const compareText = (a: Hlc, b: Hlc) => sign(formatHlc(a) < formatHlc(b) ? -1 : formatHlc(a) > formatHlc(b) ? 1 : 0);
const compareTuple = (a: Hlc, b: Hlc) => sign(a.wall - b.wall || a.counter - b.counter || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));

describe('the hybrid logical clock', () => {
  it('keeps its text form: parse(format(h)) is h', () => {
    fc.assert(
      fc.property(hlc, (h) => {
        expect(parseHlc(formatHlc(h))).toEqual(h);
      }),
    );
  });

  it('sorts as text exactly as it sorts as (wall, counter, node)', () => {
    fc.assert(fc.property(hlc, hlc, (a, b) => compareText(a, b) === compareTuple(a, b)));
  });

  it('ticks strictly forward under any wall clock, received clocks included', () => {
    const step = fc.oneof(
      fc.record({ now: wall }),
      fc.record({ now: wall, remote: hlc }),
      // A remote clock near this node's wall clock, within the cap or just past it.
      fc.record({ now: nearWall, remote: fc.record({ wall: fc.integer({ min: NOW - 2 * MAX_DRIFT_MS, max: NOW + 2 * MAX_DRIFT_MS }), counter, node }) }),
    );
    fc.assert(
      fc.property(fc.option(hlc, { nil: undefined }), fc.array(step, { minLength: 1, maxLength: 40 }), (start, steps) => {
        let last = start;
        for (const s of steps) {
          const next = 'remote' in s ? receiveHlc(last, s.remote, s.now, 'me') : tickHlc(last, s.now, 'me');
          if (last) expect(formatHlc(next) > formatHlc(last), `${formatHlc(next)} after ${formatHlc(last)}`).toBe(true);
          if (last) expect(compareTuple(next, last)).toBe(1);
          expect(formatHlc(next)).toMatch(/^\d{15}-\d{6}-me$/);
          last = next;
        }
      }),
    );
  });

  it('orders every timestamp after its causes, as text, across nodes that exchange clocks', () => {
    // Each node's wall clock is off by up to ±2 minutes, so every received clock is within the cap.
    const nodes = ['n0', 'n1', 'n2'];
    const action = fc.record({ at: fc.nat(2), from: fc.nat(2), advance: fc.integer({ min: 0, max: 50 }), receive: fc.boolean() });
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -120_000, max: 120_000 }), { minLength: 3, maxLength: 3 }), fc.array(action, { maxLength: 60 }), (offsets, actions) => {
        let real = NOW;
        const latest = new Map<string, Hlc>();
        for (const a of actions) {
          real += a.advance;
          const me = nodes[a.at]!;
          const now = real + offsets[a.at]!;
          const mine = latest.get(me);
          const sent = latest.get(nodes[a.from]!);
          const causes = [mine, a.receive ? sent : undefined].filter((h): h is Hlc => h !== undefined);
          let next: Hlc;
          if (a.receive && sent) {
            expect(observeSkew(sent, now).capped).toBe(false);
            next = tickHlc(receiveHlc(mine, sent, now, me), now, me);
          } else {
            next = tickHlc(mine, now, me);
          }
          for (const cause of causes) expect(formatHlc(next) > formatHlc(cause), `${formatHlc(next)} after ${formatHlc(cause)}`).toBe(true);
          latest.set(me, next);
        }
      }),
    );
  });

  it('adopts a received clock at most MAX_DRIFT_MS ahead of the wall clock, and flags the rest', () => {
    fc.assert(
      fc.property(fc.option(hlc, { nil: undefined }), hlc, wall, (local, remote, now) => {
        const merged = receiveHlc(local, remote, now, 'me');
        const skew = observeSkew(remote, now);
        expect(skew.skewMs).toBe(remote.wall - now);
        expect(skew.capped).toBe(remote.wall - now > MAX_DRIFT_MS);
        // The wall never moves past the cap (a carry adds at most 1 ms to the larger of the two).
        expect(merged.wall).toBeLessThanOrEqual(Math.max(now + MAX_DRIFT_MS, local?.wall ?? 0) + 1);
        if (skew.capped) expect(merged).toEqual(tickHlc(local, now, 'me'));
        else expect(formatHlc(merged) > formatHlc(remote)).toBe(true);
        if (local) expect(formatHlc(merged) > formatHlc(local)).toBe(true);
      }),
    );
  });

  it('is not dragged by a clock a year ahead, and ticks on at the local wall clock', () => {
    const local = tickHlc(undefined, NOW, 'me');
    const ahead: Hlc = { wall: NOW + YEAR_MS, counter: 7, node: 'broken-cmos' };
    expect(observeSkew(ahead, NOW + 1)).toEqual({ skewMs: YEAR_MS - 1, capped: true });
    const merged = receiveHlc(local, ahead, NOW + 1, 'me');
    expect(merged).toEqual({ wall: NOW + 1, counter: 0, node: 'me' });
    expect(tickHlc(merged, NOW + 2, 'me')).toEqual({ wall: NOW + 2, counter: 0, node: 'me' });
  });

  it('adopts a clock just within the cap', () => {
    const ahead: Hlc = { wall: NOW + MAX_DRIFT_MS, counter: 3, node: 'other' };
    expect(observeSkew(ahead, NOW)).toEqual({ skewMs: MAX_DRIFT_MS, capped: false });
    expect(receiveHlc(undefined, ahead, NOW, 'me')).toEqual({ wall: NOW + MAX_DRIFT_MS, counter: 4, node: 'me' });
  });

  it('carries a full counter into the wall instead of widening the text', () => {
    const full: Hlc = { wall: NOW, counter: MAX_COUNTER, node: 'me' };
    const next = tickHlc(full, NOW - 1000, 'me');
    expect(next).toEqual({ wall: NOW + 1, counter: 0, node: 'me' });
    expect(formatHlc(next) > formatHlc(full)).toBe(true);
    expect(receiveHlc(undefined, { ...full, node: 'other' }, NOW, 'me')).toEqual({ wall: NOW + 1, counter: 0, node: 'me' });
  });

  it('keeps ticking from a clock that was set back a year', () => {
    let last: Hlc = { wall: NOW + YEAR_MS, counter: MAX_COUNTER - 1, node: 'me' };
    for (let i = 0; i < 3; i++) {
      const next = tickHlc(last, NOW, 'me');
      expect(formatHlc(next) > formatHlc(last)).toBe(true);
      last = next;
    }
    expect(last).toEqual({ wall: NOW + YEAR_MS + 1, counter: 1, node: 'me' });
  });
});
