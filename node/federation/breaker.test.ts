import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffCeilingMs, backoffMs, BACKOFF } from './backoff.js';
import { allows, BREAKER, closedBreaker, current, onFailure, onSuccess, retryAt, type BreakerState } from './breaker.js';

/** A fake clock: the breaker is pure, so time is just the number passed in. */
const run = (steps: ('ok' | 'fail' | number)[], start = 0): { state: BreakerState; now: number } => {
  let state = closedBreaker();
  let now = start;
  for (const step of steps) {
    if (step === 'ok') state = onSuccess(state, now);
    else if (step === 'fail') state = onFailure(state, now);
    else now += step;
  }
  return { state, now };
};

describe('circuit breaker', () => {
  it('opens after 5 failures in a row, not 4', () => {
    expect(run(['fail', 'fail', 'fail', 'fail']).state.phase).toBe('closed');
    const { state, now } = run(['fail', 'fail', 'fail', 'fail', 'fail'], 1000);
    expect(state.phase).toBe('open');
    expect(allows(state, now)).toBe(false);
    expect(retryAt(state)).toBe(1000 + BREAKER.openMs);
  });

  it('a success while closed forgets earlier failures', () => {
    expect(run(['fail', 'fail', 'fail', 'fail', 'ok', 'fail', 'fail', 'fail', 'fail']).state.phase).toBe('closed');
  });

  it('half-opens after 60 s, and 3 successes close it', () => {
    const open = run(['fail', 'fail', 'fail', 'fail', 'fail']);
    expect(current(open.state, open.now + BREAKER.openMs - 1).phase).toBe('open');
    expect(current(open.state, open.now + BREAKER.openMs).phase).toBe('halfOpen');
    expect(run(['fail', 'fail', 'fail', 'fail', 'fail', 60_000, 'ok', 'ok']).state.phase).toBe('halfOpen');
    expect(run(['fail', 'fail', 'fail', 'fail', 'fail', 60_000, 'ok', 'ok', 'ok']).state).toEqual(closedBreaker());
  });

  it('one failure while half-open opens it again for another 60 s', () => {
    const { state, now } = run(['fail', 'fail', 'fail', 'fail', 'fail', 60_000, 'ok', 'ok', 'fail']);
    expect(state.phase).toBe('open');
    expect(state.openedAt).toBe(now);
    expect(allows(state, now + 59_999)).toBe(false);
    expect(allows(state, now + 60_000)).toBe(true);
  });

  it('never lets a call through while open, whatever happened before', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constant<'ok'>('ok'), fc.constant<'fail'>('fail'), fc.integer({ min: 0, max: 90_000 })), { maxLength: 60 }), (steps) => {
        const { state, now } = run(steps);
        if (state.phase === 'open') expect(allows(state, now)).toBe(now - state.openedAt! >= BREAKER.openMs);
        expect(state.failures).toBeLessThanOrEqual(BREAKER.failuresToOpen);
        expect(state.successes).toBeLessThan(BREAKER.successesToClose);
      }),
    );
  });
});

describe('backoff', () => {
  it('doubles from 1 s up to 5 minutes', () => {
    expect([1, 2, 3, 4].map(backoffCeilingMs)).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffCeilingMs(20)).toBe(BACKOFF.maxMs);
    expect(backoffCeilingMs(10_000)).toBe(BACKOFF.maxMs);
  });

  it('jitters between half the ceiling and the ceiling', () => {
    expect(backoffMs(3, () => 0)).toBe(2000);
    expect(backoffMs(3, () => 0.999999)).toBe(4000);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, r) => {
        const wait = backoffMs(attempt, () => r);
        expect(wait).toBeGreaterThanOrEqual(backoffCeilingMs(attempt) / 2);
        expect(wait).toBeLessThanOrEqual(backoffCeilingMs(attempt));
      }),
    );
  });
});
