import { describe, expect, it } from 'vitest';
import { stockVerdict, validateStock } from './stock-policy.js';

/** Seed 002 "Deliverable 5", every row of its table, online and offline (a standalone node counts as online). */
describe('offline stock policy (seed 002 D5)', () => {
  const rows: { condition: string; trackStock: boolean; available: number | undefined; requested: number; online: string; offline: string }[] = [
    { condition: 'stock > quantity asked', trackStock: true, available: 5000, requested: 2000, online: 'allow', offline: 'allow' },
    { condition: 'stock = quantity asked (leaves zero)', trackStock: true, available: 2000, requested: 2000, online: 'allow', offline: 'allow' },
    { condition: '0 < stock < quantity asked', trackStock: true, available: 1000, requested: 2000, online: 'warn', offline: 'warn' },
    { condition: 'stock = 0', trackStock: true, available: 0, requested: 1000, online: 'warn', offline: 'block' },
    { condition: 'stock < 0', trackStock: true, available: -3000, requested: 1000, online: 'warn', offline: 'block' },
    { condition: 'product without track stock', trackStock: false, available: -3000, requested: 1000, online: 'allow', offline: 'allow' },
    { condition: 'stock could not be read (fail open)', trackStock: true, available: undefined, requested: 1000, online: 'allow', offline: 'allow' },
  ];
  for (const row of rows) {
    it(`${row.condition}: online ${row.online}, offline ${row.offline}`, () => {
      expect(stockVerdict({ ...row, online: true })).toBe(row.online);
      expect(stockVerdict({ ...row, online: false })).toBe(row.offline);
    });
  }

  it('adds up one product over several lines, and reports warnings and errors with the figures', () => {
    const items = [
      { productId: 'a', name: 'Yerba', quantity: 1000, trackStock: true, available: 1500 },
      { productId: 'a', name: 'Yerba', quantity: 1000, trackStock: true, available: 1500 },
      { productId: 'b', name: 'Pan', quantity: 500, trackStock: true, available: 0 },
    ];
    expect(validateStock(items, true)).toEqual({
      valid: true,
      warnings: [
        { productId: 'a', name: 'Yerba', requested: 2000, available: 1500 },
        { productId: 'b', name: 'Pan', requested: 500, available: 0 },
      ],
      errors: [],
    });
    const offline = validateStock(items, false);
    expect(offline.valid).toBe(false);
    expect(offline.errors).toEqual([{ productId: 'b', name: 'Pan', requested: 500, available: 0 }]);
    expect(offline.warnings).toHaveLength(1);
  });
});
