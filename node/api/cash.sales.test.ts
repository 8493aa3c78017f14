import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids.js';
import { startTestNode, type TestNode } from '../../test/support/node.js';

/** The till totals what the sales domain records in its session: sales by tender, a void, a refund, then the Z. */
describe('the till with sales', () => {
  let t: TestNode;
  let session: string;
  const cmd = async (method: string, input: unknown) => {
    const res = await t.call(method, input, { commandId: newId() });
    if (res.status !== 200) throw new Error(`${method}: ${res.status} ${JSON.stringify(res.body.error)}`);
    return res.body.result;
  };

  beforeAll(async () => {
    t = await startTestNode();
  }, 120_000);
  afterAll(async () => t?.stop());

  it('refuses a sale with the till closed, and totals sales, voids and refunds by tender in the X and the Z', async () => {
    const product = await cmd('products.create', { name: 'Yerba 1 kg', price: 250_000, taxRateBp: 2_100, trackStock: false });
    const line = { productId: product.id, quantity: 2_000 };
    const closedSale = await t.call('sales.complete', { tillSessionId: newId(), lines: [line], tenders: [{ kind: 'cash', received: 500_000 }] }, { commandId: newId() });
    expect(closedSale.status).toBeGreaterThanOrEqual(400);
    expect(closedSale.status).toBeLessThan(500);

    session = (await cmd('cash.open', { float: [{ denomination: 100_000, count: 5 }] })).id;
    // 500 000: card 200 000 + cash 300 000 (handed 400 000, change 100 000)
    const first = await cmd('sales.complete', { tillSessionId: session, lines: [line], tenders: [{ kind: 'card', amount: 200_000 }, { kind: 'cash', received: 400_000 }] });
    expect(first.change).toBe(100_000);
    const second = await cmd('sales.complete', { tillSessionId: session, lines: [{ productId: product.id, quantity: 1_000 }], tenders: [{ kind: 'transfer', amount: 250_000 }] });
    await cmd('sales.void', { saleId: second.saleId, tillSessionId: session, reason: 'Cliente se arrepintió' });
    const sale = await t.call('sales.find', { code: first.saleId });
    const lineId = sale.body.result.lines[0].lineId;
    const refund = await cmd('sales.refund', { saleId: first.saleId, tillSessionId: session, lines: [{ lineId, quantity: 1_000 }], refundTo: 'cash', reason: 'Vencida' });
    expect(refund.total).toBe(250_000);
    await cmd('cash.move', { kind: 'out', amount: 10_000, reason: 'Flete' });

    const x = (await t.call('cash.x', {})).body.result;
    const byKind = Object.fromEntries(x.tenders.map((l: { kind: string }) => [l.kind, l]));
    expect(byKind.cash).toMatchObject({ float: 500_000, sales: 300_000, refunds: 250_000, cashOut: 10_000, expected: 540_000 });
    expect(byKind.card).toMatchObject({ sales: 200_000, expected: 200_000 });
    expect(byKind.transfer).toMatchObject({ sales: 0, voids: 250_000, expected: 0 });
    expect(x.counts).toMatchObject({ sales: 1, voids: 1, refunds: 1, cashOut: 1 });
    expect(x.totals).toMatchObject({ sales: 500_000, refunds: 250_000, voids: 250_000, net: 250_000 });
    expect(x.taxes.reduce((a: number, r: { base: number; tax: number }) => a + r.base + r.tax, 0)).toBe(250_000);

    // blind count: 5 × 100 000 + 4 × 10 000 = 540 000 cash; the card batch says 200 000
    const z = (await t.call('cash.close', { cashCount: [{ denomination: 100_000, count: 5 }, { denomination: 10_000, count: 4 }], otherCounts: [{ kind: 'card', amount: 200_000 }] }, { commandId: newId() })).body.result;
    expect(z.kind).toBe('Z');
    expect(z.totals).toMatchObject({ overShort: 0, counted: 740_000, expected: 740_000 });
    expect(z.tenders.map((l: { kind: string; overShort: number }) => [l.kind, l.overShort])).toEqual([['cash', 0], ['card', 0], ['transfer', 0]]);

    const after = await t.call('sales.complete', { tillSessionId: session, lines: [line], tenders: [{ kind: 'cash', received: 500_000 }] }, { commandId: newId() });
    expect(after.status).toBe(409);
    const { allProjections, route } = await import('../domains.js');
    const { verifyReadModels } = await import('../journal/verify.js');
    expect(await verifyReadModels(t.node.store.db, t.node.own.storeId, allProjections, route)).toEqual([]);
  });
});
