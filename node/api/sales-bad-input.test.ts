import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids.js';
import { databaseDigest } from '../../test/support/digest.js';
import { startTestNode, type TestNode } from '../../test/support/node.js';

/**
 * The counter's bad inputs through the API: each refused with a 4xx and a readable message, never a 5xx, and the
 * database byte for byte unchanged (digest before and after).
 */
describe('sales: bad input is refused and changes nothing', () => {
  let t: TestNode;
  let till: string;
  let closedTill: string;
  let productId: string;
  let sale: { saleId: string; lineId: string };
  const cmd = (method: string, input: unknown) => t.call(method, input, { commandId: newId() });
  const ok = async (method: string, input: unknown) => {
    const res = await cmd(method, input);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.result;
  };

  beforeAll(async () => {
    t = await startTestNode();
    const { denominations } = (await t.call('cash.settings', {})).body.result;
    const float = [{ denomination: denominations[0], count: 1 }];
    closedTill = (await ok('cash.open', { float })).id;
    await ok('cash.close', { cashCount: float });
    till = (await ok('cash.open', { float })).id;
    productId = (await ok('products.create', { name: 'Galletitas', price: 120000 })).id;
    const done = await ok('sales.complete', { tillSessionId: till, lines: [{ productId, quantity: 2000 }], tenders: [{ kind: 'cash', received: 240000 }] });
    const view = (await t.call('sales.find', { code: done.saleId })).body.result;
    sale = { saleId: done.saleId, lineId: view.lines[0].lineId };
  }, 180_000);
  afterAll(async () => t?.stop());

  const line = (over: Record<string, unknown> = {}) => ({ productId, quantity: 1000, ...over });
  const complete = (over: Record<string, unknown>) => ({ tillSessionId: till, lines: [line()], tenders: [{ kind: 'cash', received: 200000 }], ...over });
  const huge = 'x'.repeat(100_000);

  const cases: [string, string, () => unknown, number][] = [
    ['negative quantity', 'sales.complete', () => complete({ lines: [line({ quantity: -1000 })] }), 400],
    ['NaN quantity (null in JSON)', 'sales.complete', () => complete({ lines: [line({ quantity: Number.NaN })] }), 400],
    ['fractional quantity', 'sales.complete', () => complete({ lines: [line({ quantity: 1.5 })] }), 400],
    ['quantity as text', 'sales.complete', () => complete({ lines: [line({ quantity: '1000' })] }), 400],
    ['no lines', 'sales.complete', () => complete({ lines: [] }), 400],
    ['no tenders', 'sales.complete', () => complete({ tenders: [] }), 400],
    ['unknown product', 'sales.complete', () => complete({ lines: [line({ productId: newId() })] }), 404],
    ['tender short', 'sales.complete', () => complete({ tenders: [{ kind: 'cash', received: 119999 }] }), 400],
    ['card past the total', 'sales.complete', () => complete({ tenders: [{ kind: 'card', amount: 120001 }] }), 400],
    ['cash without what was received', 'sales.complete', () => complete({ tenders: [{ kind: 'cash', amount: 120000 }] }), 400],
    ['unknown tender kind', 'sales.complete', () => complete({ tenders: [{ kind: 'bitcoin', amount: 120000 }] }), 400],
    ['negative discount', 'sales.complete', () => complete({ lines: [line({ discount: -5 })] }), 400],
    ['discount over the line', 'sales.complete', () => complete({ lines: [line({ discount: 120001 })] }), 400],
    ['amount past the money bound', 'sales.complete', () => complete({ lines: [line({ quantity: 1_000_000_000, unitPrice: 1_000_000_000_000 })] }), 400],
    ['closed till', 'sales.complete', () => complete({ tillSessionId: closedTill }), 409],
    ['unknown till', 'sales.complete', () => complete({ tillSessionId: newId() }), 404],
    ['huge reference', 'sales.complete', () => complete({ tenders: [{ kind: 'card', amount: 120000, reference: huge }] }), 400],
    ['unknown field', 'sales.complete', () => complete({ customer: 'x' }), 400],
    ['over-refund', 'sales.refund', () => ({ saleId: sale.saleId, tillSessionId: till, lines: [{ lineId: sale.lineId, quantity: 2001 }], reason: 'x' }), 409],
    ['refund of a line of another sale', 'sales.refund', () => ({ saleId: sale.saleId, tillSessionId: till, lines: [{ lineId: newId(), quantity: 1 }], reason: 'x' }), 400],
    ['refund of an unknown sale', 'sales.refund', () => ({ saleId: newId(), tillSessionId: till, lines: [{ lineId: sale.lineId, quantity: 1 }], reason: 'x' }), 404],
    ['refund with a huge reason', 'sales.refund', () => ({ saleId: sale.saleId, tillSessionId: till, lines: [{ lineId: sale.lineId, quantity: 1 }], reason: huge }), 400],
    ['refund on a closed till', 'sales.refund', () => ({ saleId: sale.saleId, tillSessionId: closedTill, lines: [{ lineId: sale.lineId, quantity: 1 }], reason: 'x' }), 409],
    ['void with an empty reason', 'sales.void', () => ({ saleId: sale.saleId, tillSessionId: till, reason: '  ' }), 400],
    ['void of an unknown sale', 'sales.void', () => ({ saleId: newId(), tillSessionId: till, reason: 'x' }), 404],
    ['void from another session', 'sales.void', () => ({ saleId: sale.saleId, tillSessionId: closedTill, reason: 'x' }), 409],
    ['find by a huge code', 'sales.find', () => ({ code: huge }), 400],
    ['find by nothing', 'sales.find', () => ({}), 400],
    ['receipt of an unknown document', 'sales.receipt', () => ({ documentId: newId() }), 404],
    ['find by a code that names nothing', 'sales.find', () => ({ code: 'B-0001.999999' }), 404],
    ['stock of too many products', 'stock.levels', () => ({ productIds: Array.from({ length: 501 }, () => newId()) }), 400],
  ];

  for (const [name, method, input, status] of cases) {
    it(`${method}: ${name} → ${status}`, async () => {
      const before = await databaseDigest(t.node.store.db);
      const res = await cmd(method, input());
      expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(status);
      expect(typeof res.body.error.message).toBe('string');
      expect(res.body.error.message.length).toBeGreaterThan(5);
      expect(await databaseDigest(t.node.store.db)).toEqual(before);
    });
  }
});
