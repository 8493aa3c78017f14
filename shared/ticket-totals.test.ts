import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { grossOf, lineTotal, taxInside, ticketTotals } from './ticket-totals.js';

describe('the open ticket arithmetic', () => {
  it.each([
    [1000, 450000, 450000], // one unit
    [3000, 1999, 5997],
    [1234, 150000, 185100], // 1.234 kg at 1500.00/kg
    [1, 1, 0], // a gram of something at one cent a kilo rounds to nothing
    [500, 1, 1], // half a cent rounds up
  ])('%i thousandths at %i is %i', (q, p, want) => {
    expect(grossOf(q, p)).toBe(want);
  });

  it('takes tax out of a price that includes it', () => {
    expect(taxInside(12100, 2100)).toBe(2100);
    expect(taxInside(10000, 0)).toBe(0);
    expect(taxInside(110, 1050)).toBe(10);
  });

  it('never lets a discount make a line negative', () => {
    expect(lineTotal({ quantity: 1000, unitPrice: 100, discount: 500, taxRateBp: 0 })).toBe(0);
  });

  it('spreads the ticket discount over the rates so that the parts add up to the total', () => {
    const line = fc.record({
      quantity: fc.integer({ min: 1, max: 100_000 }),
      unitPrice: fc.integer({ min: 0, max: 10_000_000 }),
      discount: fc.integer({ min: 0, max: 1000 }),
      taxRateBp: fc.constantFrom(0, 1050, 2100, 2700),
    });
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), fc.integer({ min: 0, max: 1_000_000_000 }), (lines, discount) => {
        const t = ticketTotals(lines, discount);
        expect(t.subtotal).toBe(lines.reduce((s, l) => s + lineTotal(l), 0));
        expect(t.total).toBe(t.subtotal - t.ticketDiscount);
        expect(t.total).toBeGreaterThanOrEqual(0);
        expect(t.taxes.reduce((s, x) => s + x.amount, 0)).toBe(t.total);
        for (const x of t.taxes) expect(x.base + x.tax).toBe(x.amount);
      }),
    );
  });
});
