import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineGross } from '../../shared/sale-math.js';
import { allProjections, route } from '../domains.js';
import { verifyReadModels } from '../journal/verify.js';
import { openCounter, openTill, product, type Counter } from './testing/counter.js';

const PRICES = [150000, 120000, 99900];

type Op =
  | { kind: 'sell'; lines: { p: number; quantity: number }[]; cash: boolean }
  | { kind: 'refund'; sale: number; line: number; quantity: number; restock: boolean }
  | { kind: 'void'; sale: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('sell' as const), lines: fc.array(fc.record({ p: fc.nat(2), quantity: fc.integer({ min: 1, max: 5000 }) }), { minLength: 1, maxLength: 3 }), cash: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('refund' as const), sale: fc.nat(), line: fc.nat(), quantity: fc.integer({ min: 1, max: 6000 }), restock: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('void' as const), sale: fc.nat() }) },
);

/**
 * Random days at one counter (sales, partial and over-asked refunds, voids): whatever is accepted or refused,
 * stock is the sum of its movements and matches a model kept here, fiscal numbers are unique and gapless per
 * series, nothing is refunded past what was sold, and the read models rebuild from the log.
 */
describe('sales invariants (property)', () => {
  let c: Counter;
  let till: string;
  let products: string[];

  beforeAll(async () => {
    c = await openCounter();
    products = [
      await product(c, { name: 'Pan', price: PRICES[0], unit: 'kg', taxRateBp: 1050 }),
      await product(c, { name: 'Leche', price: PRICES[1], taxRateBp: 2100 }),
      await product(c, { name: 'Fideos', price: PRICES[2], taxRateBp: 2100 }),
    ];
    till = await openTill(c);
  }, 120_000);
  afterAll(async () => c?.close());

  it('holds after any sequence of sales, refunds and voids', async () => {
    const expected = new Map<string, number>();
    const move = (id: string, q: number) => expected.set(id, (expected.get(id) ?? 0) + q);
    const sales: { saleId: string; lines: { lineId: string; productId: string; quantity: number; refunded: number }[]; voided: boolean }[] = [];
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 10 }), async (ops) => {
        for (const o of ops) {
          if (o.kind === 'sell') {
            const lines = o.lines.map((l) => ({ productId: products[l.p]!, quantity: l.quantity }));
            const total = o.lines.reduce((sum, l) => sum + lineGross(l.quantity, PRICES[l.p]!), 0);
            const tenders = o.cash ? [{ kind: 'cash', received: 100_000_000 }] : [{ kind: 'card', amount: total }];
            const sale = await c.run('sales.complete', { tillSessionId: till, lines, tenders });
            const view = await c.ask('sales.find', { code: sale.saleId });
            sales.push({ saleId: sale.saleId, voided: false, lines: view.lines.map((l: { lineId: string; productId: string; quantity: number }) => ({ ...l, refunded: 0 })) });
            for (const l of lines) move(l.productId, -l.quantity);
          } else if (sales.length > 0) {
            const sale = sales[o.sale % sales.length]!;
            if (o.kind === 'void') {
              const ok = !sale.voided && sale.lines.every((l) => l.refunded === 0);
              const res = c.run('sales.void', { saleId: sale.saleId, tillSessionId: till, reason: 'prueba' });
              if (ok) {
                await res;
                sale.voided = true;
                for (const l of sale.lines) move(l.productId, l.quantity);
              } else await expect(res).rejects.toMatchObject({ code: 'Conflict' });
            } else {
              const line = sale.lines[o.line % sale.lines.length]!;
              const ok = !sale.voided && o.quantity <= line.quantity - line.refunded;
              const res = c.run('sales.refund', { saleId: sale.saleId, tillSessionId: till, lines: [{ lineId: line.lineId, quantity: o.quantity, restock: o.restock }], refundTo: 'cash', reason: 'prueba' });
              if (ok) {
                await res;
                line.refunded += o.quantity;
                if (o.restock) move(line.productId, o.quantity);
              } else await expect(res).rejects.toMatchObject({ code: 'Conflict' });
            }
          }
        }
        const levels = (await c.ask('stock.levels', { productIds: products })).items as { productId: string; quantity: number }[];
        expect(new Map(levels.map((l) => [l.productId, l.quantity]))).toEqual(expected);
        const [sums] = await c.store.db.query<{ bad: number }>(
          `SELECT count(*)::int8 AS bad FROM stock_levels l FULL JOIN (SELECT product_id, location, sum(quantity) AS q FROM stock_movements GROUP BY 1, 2) m
           USING (product_id, location) WHERE l.quantity IS DISTINCT FROM m.q`,
        );
        expect(sums!.bad).toBe(0);
        const docs = await c.store.db.query<{ series: string; numbers: number[] }>(
          `SELECT series, array_agg(n ORDER BY n) AS numbers FROM (
             SELECT fiscal_series AS series, fiscal_number AS n FROM sales WHERE fiscal_number IS NOT NULL
             UNION ALL SELECT row->'voided'->'payload'->'creditNote'->>'series', (row->'voided'->'payload'->'creditNote'->>'number')::int8 FROM sales WHERE row->'voided' <> 'null'
             UNION ALL SELECT r->'payload'->'creditNote'->>'series', (r->'payload'->'creditNote'->>'number')::int8 FROM sales, jsonb_array_elements(row->'refunds') r
           ) d GROUP BY series`,
        );
        for (const { numbers } of docs) expect(numbers.map(Number)).toEqual(numbers.map((_, i) => i + 1));
        for (const sale of sales) {
          const view = await c.ask('sales.find', { code: sale.saleId });
          for (const l of view.lines) expect(l.refunded).toBeLessThanOrEqual(l.quantity);
        }
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 4) },
    );
    expect(await verifyReadModels(c.store.db, c.own.storeId, allProjections, route)).toEqual([]);
  }, 600_000);
});
