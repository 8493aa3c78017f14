import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineGross, lineNets, mulDivRound, refundAmount, roundCash, saleFigures, SaleMathError, settle, splitTax, spread, taxesOf } from './sale-math.js';

const money = fc.integer({ min: 0, max: 10_000_000 });
const rate = fc.constantFrom(0, 500, 1050, 2100, 2700);
const line = fc.record({ quantity: fc.integer({ min: 1, max: 50_000 }), unitPrice: money, discount: fc.constant(0), taxRateBp: rate });

describe('sale math', () => {
  it('rounds quantity × price half up, exactly past 2^53', () => {
    expect(lineGross(1500, 1999)).toBe(2999); // 2998.5 → 2999
    expect(lineGross(333, 100)).toBe(33);
    expect(mulDivRound(9_000_000_000, 1_000_000_000, 1000)).toBe(9_000_000_000_000_000);
    expect(() => saleFigures([{ quantity: 1_000_000_000, unitPrice: 1_000_000_000_000, discount: 0, taxRateBp: 0 }], 0)).toThrow(SaleMathError);
    expect(mulDivRound(-5, 1, 2)).toBe(-3);
  });

  it('splits tax out of a tax-inclusive amount: base + tax = gross', () => {
    expect(splitTax(12100, 2100)).toEqual({ base: 10000, tax: 2100 });
    expect(splitTax(100, 0)).toEqual({ base: 100, tax: 0 });
    fc.assert(fc.property(money, rate, (gross, bp) => {
      const { base, tax } = splitTax(gross, bp);
      expect(base + tax).toBe(gross);
      expect(tax).toBeGreaterThanOrEqual(0);
    }));
  });

  it('spreads an amount exactly, in proportion, never giving a heavier weight less', () => {
    expect(spread(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(spread(0, [5, 7])).toEqual([0, 0]);
    fc.assert(fc.property(fc.array(money, { minLength: 1, maxLength: 8 }), fc.nat(), (weights, raw) => {
      const total = weights.reduce((a, b) => a + b, 0);
      const amount = total === 0 ? 0 : raw % (total + 1);
      const shares = spread(amount, weights);
      expect(shares.reduce((a, b) => a + b, 0)).toBe(amount);
      shares.forEach((s, i) => expect(s).toBeLessThanOrEqual(weights[i]!));
    }));
  });

  it('taxes per rate add up to the total after the ticket discount', () => {
    fc.assert(fc.property(fc.array(line, { minLength: 1, maxLength: 6 }), fc.nat(), (lines, raw) => {
      const subtotal = lines.reduce((s, l) => s + lineGross(l.quantity, l.unitPrice), 0);
      const discount = raw % (subtotal + 1);
      const figures = saleFigures(lines, discount);
      expect(figures.total).toBe(subtotal - discount);
      expect(figures.taxes.reduce((s, t) => s + t.base + t.tax, 0)).toBe(figures.total);
      expect(new Set(figures.taxes.map((t) => t.rateBp)).size).toBe(figures.taxes.length);
    }));
    expect(taxesOf([{ total: 12100, taxRateBp: 2100 }, { total: 1050, taxRateBp: 1050 }], 0)).toEqual([
      { rateBp: 1050, base: 950, tax: 100 },
      { rateBp: 2100, base: 10000, tax: 2100 },
    ]);
  });

  it('refuses a discount larger than what it is taken off', () => {
    expect(() => saleFigures([{ quantity: 1000, unitPrice: 100, discount: 101, taxRateBp: 0 }], 0)).toThrow(SaleMathError);
    expect(() => saleFigures([{ quantity: 1000, unitPrice: 100, discount: 0, taxRateBp: 0 }], 101)).toThrow(SaleMathError);
  });

  it('rounds cash to the store step, halves up', () => {
    expect(roundCash(1234, 0)).toBe(1234);
    expect(roundCash(1234, 5)).toBe(1235);
    expect(roundCash(1232, 5)).toBe(1230);
    expect(roundCash(1250, 100)).toBe(1300);
  });

  it('change = cash tendered − cash due; only cash gives change; tenders never short', () => {
    fc.assert(fc.property(money, money, money, fc.constantFrom(0, 5, 10, 100), (total, cardRaw, extra, step) => {
      const card = cardRaw % (total + 1);
      const cashDue = roundCash(total - card, step);
      const tenders = [
        ...(card > 0 ? [{ kind: 'card' as const, amount: card }] : []),
        { kind: 'cash' as const, received: cashDue + extra },
      ];
      if (total - card === 0) {
        expect(() => settle(total, tenders, step)).toThrow(SaleMathError);
        return;
      }
      const paid = settle(total, tenders, step);
      expect(paid.change).toBe(cashDue + extra - cashDue);
      expect(paid.change).toBe(extra);
      expect(paid.rounding).toBe(cashDue - (total - card));
      const cash = paid.tenders.find((t) => t.kind === 'cash')!;
      expect(cash.received - cash.amount).toBe(paid.change);
      expect(paid.tenders.reduce((s, t) => s + t.amount, 0)).toBe(total + paid.rounding);
      for (const t of paid.tenders) if (t.kind !== 'cash') expect(t.received).toBe(t.amount);
    }));
  });

  it('refuses short tenders, card over the total, and two cash tenders', () => {
    const problem = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return (e as SaleMathError).detail.problem;
      }
      return 'none';
    };
    expect(problem(() => settle(1000, [{ kind: 'cash', received: 999 }], 0))).toBe('tenderShort');
    expect(problem(() => settle(1000, [{ kind: 'card', amount: 999 }], 0))).toBe('tenderShort');
    expect(problem(() => settle(1000, [{ kind: 'card', amount: 1001 }], 0))).toBe('overpaidNonCash');
    expect(problem(() => settle(1000, [{ kind: 'cash', received: 500 }, { kind: 'cash', received: 500 }], 0))).toBe('oneCashTender');
    expect(problem(() => settle(1000, [{ kind: 'card', amount: 1000 }, { kind: 'cash', received: 10 }], 0))).toBe('cashNotNeeded');
    expect(settle(1000, [{ kind: 'card', amount: 400 }, { kind: 'transfer', amount: 600 }], 0).change).toBe(0);
  });

  it('refunds of a line in any parts add up to what was paid for it', () => {
    fc.assert(fc.property(money, fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 6 }), (net, parts) => {
      const sold = parts.reduce((a, b) => a + b, 0);
      let before = 0;
      let back = 0;
      for (const q of parts) {
        const amount = refundAmount(net, sold, before, q);
        expect(amount).toBeGreaterThanOrEqual(0);
        back += amount;
        before += q;
      }
      expect(back).toBe(net);
    }));
    expect(lineNets([100, 300], 40)).toEqual([90, 270]);
  });
});
