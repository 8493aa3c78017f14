import { describe, expect, it } from 'vitest';
import type { Product } from '../../shared/contract/index.js';
import { newId } from '../../shared/ids.js';
import { lineTotal } from '../../shared/ticket-totals.js';
import { addProduct, emptyTicket, park, removeLine, setQuantity } from './cart.js';

const product = (over: Partial<Product> = {}): Product => ({
  id: newId(),
  name: 'Yerba',
  sku: null,
  barcodes: ['7790001000011'],
  cost: null,
  taxRateBp: 2100,
  category: null,
  unit: 'unit',
  trackStock: true,
  minStock: null,
  price: 450000,
  currency: 'ARS',
  createdAt: '',
  createdBy: '',
  updatedAt: '',
  updatedBy: '',
  version: 1,
  ...over,
});

describe('the cart', () => {
  it('adds one to the line of a product scanned again, when the store merges repeat scans', () => {
    const p = product();
    let t = addProduct(emptyTicket(), p, { merge: true }).ticket;
    t = addProduct(t, p, { merge: true }).ticket;
    expect(t.lines).toHaveLength(1);
    expect(t.lines[0]!.quantity).toBe(2000);
    expect(t.revision).toBe(3);
  });

  it('makes a line per scan when the store prefers separate lines', () => {
    const p = product();
    let t = addProduct(emptyTicket(), p, { merge: false }).ticket;
    t = addProduct(t, p, { merge: false }).ticket;
    expect(t.lines).toHaveLength(2);
  });

  it('never merges weighed lines: each scale label is its own line', () => {
    const p = product({ unit: 'kg', price: 200000 });
    let t = addProduct(emptyTicket(), p, { merge: true, quantity: 1234 }).ticket;
    t = addProduct(t, p, { merge: true, quantity: 500 }).ticket;
    expect(t.lines.map((l) => l.quantity)).toEqual([1234, 500]);
    expect(lineTotal(t.lines[0]!)).toBe(246800);
  });

  it('charges exactly the price a price label carries', () => {
    const p = product({ unit: 'kg', price: 333300 });
    const t = addProduct(emptyTicket(), p, { merge: true, labelPrice: 100000 }).ticket;
    expect(lineTotal(t.lines[0]!)).toBe(100000);
    expect(t.lines[0]!.quantity).toBe(301);
  });

  it('changes quantities, removes lines and parks, each a newer revision', () => {
    const { ticket, lineId } = addProduct(emptyTicket(), product(), { merge: true });
    const more = setQuantity(ticket, lineId, 5000);
    expect(more.lines[0]!.quantity).toBe(5000);
    const none = removeLine(more, lineId);
    expect(none.lines).toEqual([]);
    const parked = park(none, 'Mesa 2');
    expect(parked).toMatchObject({ status: 'parked', label: 'Mesa 2', revision: ticket.revision + 3 });
  });
});

describe('quantities typed by the cashier', async () => {
  const { parseQuantity, formatQuantity } = await import('./quantity.js');
  it.each([
    ['2', 'unit', 2000],
    ['0', 'unit', undefined],
    ['1,5', 'unit', undefined],
    ['1,250', 'kg', 1250],
    ['0.5', 'kg', 500],
    ['2', 'kg', 2000],
    ['0,0004', 'kg', undefined],
    ['-1', 'kg', undefined],
    ['abc', 'kg', undefined],
  ] as const)('%s (%s) is %s thousandths', (text, unit, want) => {
    expect(parseQuantity(text, unit)).toBe(want);
  });
  it('shows kilograms with three decimals', () => {
    expect(formatQuantity(1250, 'kg', 'es-AR')).toBe('1,250 kg');
    expect(formatQuantity(3000, 'unit', 'es-AR')).toBe('3');
  });
});

describe('what a cashier may do alone', async () => {
  const { discountWithinLimit, overrideNeedsApproval } = await import('./limits.js');
  const settings = { discountLimits: { supervisor: { maxPercentBp: 5000, maxAmount: null }, cashier: { maxPercentBp: 1000, maxAmount: 5000 }, stockClerk: { maxPercentBp: 0, maxAmount: 0 } } };
  it.each([
    ['owner', 90_000, 100_000, true],
    ['cashier', 1000, 100_000, true], // 1 %
    ['cashier', 10_000, 100_000, false], // 10 % but over the amount cap
    ['cashier', 2000, 10_000, false], // 20 %
    ['supervisor', 40_000, 100_000, true],
    ['stockClerk', 1, 100, false],
  ] as const)('%s giving %i off %i: %s', (role, discount, base, ok) => {
    expect(discountWithinLimit(settings, role, discount, base)).toBe(ok);
  });
  it('asks approval for a price override by a cashier only', () => {
    expect(overrideNeedsApproval('cashier')).toBe(true);
    expect(overrideNeedsApproval('supervisor')).toBe(false);
  });
});
