import { describe, expect, it } from 'vitest';
import { CentralClock } from './clock.js';
import { numbersLeft, seriesToAsk, type RangeRow } from './fiscal.js';

const range = (first: number, last: number, next: number, expiresAt: string | null = null, series = 'A'): RangeRow => ({ series, docType: 'ticket', first, last, next, expiresAt });
const now = Date.parse('2026-11-29T12:00:00Z');

describe('fiscal ranges, terminal side', () => {
  it('asks for the next range while 20% or less of the active one is left, not before', () => {
    expect(seriesToAsk([range(1, 100, 80)], now)).toEqual([]); // 21 left
    expect(seriesToAsk([range(1, 100, 81)], now)).toEqual([{ series: 'A', docType: 'ticket' }]); // 20 left
    expect(seriesToAsk([range(1, 100, 101)], now)).toEqual([{ series: 'A', docType: 'ticket' }]); // exhausted
  });

  it("asks for the store's configured series it holds no range of (a terminal that joined a store), not for one it holds", () => {
    const configured = [
      { series: 'A', docType: 'ticket' as const },
      { series: 'NC', docType: 'creditNote' as const },
    ];
    expect(seriesToAsk([], now, configured)).toEqual(configured);
    expect(seriesToAsk([range(1, 100, 10)], now, configured)).toEqual([{ series: 'NC', docType: 'creditNote' }]);
  });

  it('does not ask again while a next range is already waiting', () => {
    expect(seriesToAsk([range(1, 100, 95), range(101, 200, 101)], now)).toEqual([]);
  });

  it('judges expiry by the central clock it is given', () => {
    const expiring = range(1, 100, 10, '2026-11-29T12:00:01Z');
    expect(seriesToAsk([expiring], now)).toEqual([]);
    expect(seriesToAsk([expiring], now + 1000)).toEqual([{ series: 'A', docType: 'ticket' }]);
    expect(numbersLeft([expiring, range(1, 10, 5, null, 'B')], now)).toBe(91 + 6);
    expect(numbersLeft([expiring], now + 1000)).toBe(0);
  });

  it("estimates the central's time from its last answer plus monotonic time, not the wall clock", () => {
    let mono = 1_000;
    const clock = new CentralClock(() => mono);
    expect(clock.now(null)).toBeNull();
    expect(clock.now('2026-11-29T11:00:00Z')).toBe(Date.parse('2026-11-29T11:00:00Z'));
    clock.observe('2026-11-29T12:00:00Z');
    mono += 90_000;
    expect(clock.now('2020-01-01T00:00:00Z')).toBe(now + 90_000);
  });
});
