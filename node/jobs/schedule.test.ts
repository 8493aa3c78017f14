import { describe, expect, it } from 'vitest';
import { lastScheduledAt, missedSince } from './schedule.js';

const local = (y: number, mo: number, d: number, h: number, mi: number) => new Date(y, mo - 1, d, h, mi);

describe('missed runs', () => {
  it('finds the latest scheduled minute at or before now', () => {
    expect(lastScheduledAt('30 3 * * *', local(2026, 11, 29, 9, 15))).toEqual(local(2026, 11, 29, 3, 30));
    expect(lastScheduledAt('30 3 * * *', local(2026, 11, 29, 3, 10))).toEqual(local(2026, 11, 28, 3, 30));
    expect(lastScheduledAt('0 */6 * * *', local(2026, 11, 29, 13, 59))).toEqual(local(2026, 11, 29, 12, 0));
    expect(lastScheduledAt('0 9 * * 1', local(2026, 11, 29, 8, 0))).toEqual(local(2026, 11, 23, 9, 0)); // Monday
  });

  it('a nightly run is missed when the till was off at its time, not when it ran after it', () => {
    const now = local(2026, 11, 29, 8, 0);
    expect(missedSince('30 3 * * *', local(2026, 11, 28, 3, 30), now)).toBe(true); // off last night
    expect(missedSince('30 3 * * *', local(2026, 11, 29, 3, 30), now)).toBe(false); // ran at 03:30
    expect(missedSince('30 3 * * *', local(2026, 11, 29, 7, 0), now)).toBe(false); // caught up this morning
    expect(missedSince('30 3 * * *', undefined, now)).toBe(true); // never ran
  });
});
