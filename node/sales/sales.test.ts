import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids.js';
import { databaseDigest } from '../../test/support/digest.js';
import { allProjections, route } from '../domains.js';
import { verifyReadModels } from '../journal/verify.js';
import { openCounter, openTill, product, type Counter } from './testing/counter.js';

/** The counter's sales in one store: complete, split tender, approvals, void, refunds, receipts, stock, fiscal. */
describe('sales', () => {
  let c: Counter;
  let till: string;
  let yerba: string; // 1 unit = 2.500,00, 21 %
  let queso: string; // per kg 8.000,00, 10.5 %
  const level = async (productId: string) => ((await c.ask('stock.levels', { productIds: [productId] })).items[0]?.quantity ?? 0) as number;
  const count = async (table: string) => (await c.store.db.query<{ n: number }>(`SELECT count(*)::int8 AS n FROM ${table}`))[0]!.n;

  beforeAll(async () => {
    c = await openCounter();
    yerba = await product(c, { name: 'Yerba 1kg', price: 250000, taxRateBp: 2100, barcodes: ['7790001000012'] });
    queso = await product(c, { name: 'Queso cremoso', price: 800000, taxRateBp: 1050, unit: 'kg' });
    till = await openTill(c);
  }, 120_000);
  afterAll(async () => c?.close());

  const sell = (input: Record<string, unknown>, role: 'owner' | 'cashier' = 'owner', commandId?: string) =>
    c.run('sales.complete', { tillSessionId: till, ...input }, role, commandId);

  it('completes a sale in one command: totals, taxes per rate, change, fiscal number, stock, receipt', async () => {
    const commandId = newId();
    const input = { lines: [{ productId: yerba, quantity: 2000 }, { productId: queso, quantity: 350 }], tenders: [{ kind: 'cash', received: 1000000 }] };
    const sale = await sell(input, 'owner', commandId);
    expect(sale.total).toBe(780000); // 2 × 2.500 + 0,350 × 8.000
    expect(sale.change).toBe(220000);
    expect(sale.fiscal).toMatchObject({ series: 'B-0001', docType: 'ticket', number: 1 });
    expect(sale.warnings.map((w: { name: string }) => w.name).sort()).toEqual(['Queso cremoso', 'Yerba 1kg']);
    expect(sale.receipt).toMatchObject({ kind: 'sale', total: 780000, change: 220000, barcode: 'B-0001.1', copy: false });
    expect(sale.receipt.taxes).toEqual([
      { rateBp: 1050, base: 253394, tax: 26606 },
      { rateBp: 2100, base: 413223, tax: 86777 },
    ]);
    expect(await level(yerba)).toBe(-2000);
    expect(await level(queso)).toBe(-350);
    expect(await sell(input, 'owner', commandId)).toEqual(sale);
    expect(await level(yerba)).toBe(-2000);
    expect((await c.ask('fiscal.status', {})).series).toEqual([{ series: 'B-0001', docType: 'ticket', left: 999, next: 2 }]);
  });

  it('takes split tenders: card pays its part, cash the rest with change; short or over-card tenders are refused', async () => {
    const sale = await sell({ lines: [{ productId: yerba, quantity: 1000 }], tenders: [{ kind: 'card', amount: 100000, reference: 'VISA 1234' }, { kind: 'cash', received: 200000 }] });
    expect(sale.change).toBe(50000);
    expect(sale.receipt.tenders).toEqual([
      { kind: 'card', amount: 100000, received: 100000, reference: 'VISA 1234' },
      { kind: 'cash', amount: 150000, received: 200000, reference: null },
    ]);
    const before = await databaseDigest(c.store.db);
    await expect(sell({ lines: [{ productId: yerba, quantity: 1000 }], tenders: [{ kind: 'cash', received: 249999 }] })).rejects.toMatchObject({ code: 'ValidationError', key: 'tenderShort' });
    await expect(sell({ lines: [{ productId: yerba, quantity: 1000 }], tenders: [{ kind: 'card', amount: 260000 }] })).rejects.toMatchObject({ key: 'overpaidNonCash' });
    await expect(sell({ lines: [{ productId: newId(), quantity: 1000 }], tenders: [{ kind: 'card', amount: 1 }] })).rejects.toMatchObject({ code: 'NotFound' });
    await expect(sell({ tillSessionId: newId(), lines: [{ productId: yerba, quantity: 1000 }], tenders: [{ kind: 'card', amount: 250000 }] })).rejects.toMatchObject({ code: 'NotFound' });
    expect(await databaseDigest(c.store.db)).toEqual(before);
  });

  it('lets a cashier discount within the limit; an override or a bigger discount needs approval (403 without)', async () => {
    const ok = await sell({ lines: [{ productId: yerba, quantity: 1000, discount: 25000 }], tenders: [{ kind: 'transfer', amount: 225000 }] }, 'cashier');
    expect(ok.total).toBe(225000);
    const before = await databaseDigest(c.store.db);
    await expect(sell({ lines: [{ productId: yerba, quantity: 1000, discount: 25001 }], tenders: [{ kind: 'cash', received: 300000 }] }, 'cashier')).rejects.toMatchObject({ code: 'Forbidden' });
    await expect(sell({ lines: [{ productId: yerba, quantity: 1000, unitPrice: 200000 }], tenders: [{ kind: 'cash', received: 300000 }] }, 'cashier')).rejects.toMatchObject({ code: 'Forbidden' });
    await expect(sell({ lines: [{ productId: yerba, quantity: 1000 }], ticketDiscount: 100000, tenders: [{ kind: 'cash', received: 300000 }] }, 'cashier')).rejects.toMatchObject({ code: 'Forbidden' });
    expect(await databaseDigest(c.store.db)).toEqual(before);
    const owner = await sell({ lines: [{ productId: yerba, quantity: 1000, unitPrice: 200000 }], ticketDiscount: 100000, tenders: [{ kind: 'cash', received: 100000 }] });
    expect(owner).toMatchObject({ total: 100000, change: 0 });
    expect(owner.receipt.lines[0]).toMatchObject({ unitPrice: 200000, total: 200000 });
  });

  it('rounds cash to the store step when the setting asks, and shows it', async () => {
    await c.run('settings.update', { changes: { cashRounding: { mode: 'nearest', step: 1000 } } });
    const sale = await sell({ lines: [{ productId: queso, quantity: 123 }], tenders: [{ kind: 'cash', received: 100000 }] });
    expect(sale.total).toBe(98400);
    expect(sale.rounding).toBe(-400);
    expect(sale.change).toBe(2000);
    await c.run('settings.update', { changes: { cashRounding: { mode: 'none' } } });
  });

  it('voids a whole sale of this session with a credit note, puts the stock back, once; a cashier needs approval', async () => {
    const sale = await sell({ lines: [{ productId: yerba, quantity: 3000 }], tenders: [{ kind: 'card', amount: 750000 }] });
    const stock = await level(yerba);
    await expect(c.run('sales.void', { saleId: sale.saleId, tillSessionId: till, reason: 'cliente arrepentido' }, 'cashier')).rejects.toMatchObject({ code: 'Forbidden' });
    const voided = await c.run('sales.void', { saleId: sale.saleId, tillSessionId: till, reason: 'cliente arrepentido' }, 'owner');
    expect(voided.creditNote).toMatchObject({ series: 'NC-0001', docType: 'creditNote', number: 1 });
    expect(voided.receipt).toMatchObject({ kind: 'void', total: 750000, barcode: 'NC-0001.1' });
    expect(await level(yerba)).toBe(stock + 3000);
    await expect(c.run('sales.void', { saleId: sale.saleId, tillSessionId: till, reason: 'otra vez' })).rejects.toMatchObject({ code: 'Conflict', key: 'saleAlreadyVoided' });
    expect((await c.ask('sales.find', { code: sale.saleId })).status).toBe('voided');
  });

  it('refunds lines in parts, never past what was sold, restocking or not; finds the sale by barcode or number', async () => {
    const sale = await sell({ lines: [{ productId: yerba, quantity: 3000 }, { productId: queso, quantity: 500 }], ticketDiscount: 50000, tenders: [{ kind: 'card', amount: 200000 }, { kind: 'cash', received: 1000000 }] });
    expect(sale.total).toBe(1100000);
    const found = await c.ask('sales.find', { code: sale.receipt.barcode });
    expect(found.saleId).toBe(sale.saleId);
    expect(await c.ask('sales.find', { code: `${sale.fiscal.series}.${sale.fiscal.number}` })).toEqual(found);
    const [yLine, qLine] = found.lines;
    const stock = await level(yerba);
    const first = await c.run('sales.refund', { saleId: sale.saleId, tillSessionId: till, lines: [{ lineId: yLine.lineId, quantity: 1000 }], reason: 'vencido' });
    expect(first.total).toBe(Math.round((yLine.net * 1000) / 3000));
    expect(first.receipt.tenders.reduce((s: number, t: { amount: number }) => s + t.amount, 0)).toBe(first.total);
    expect(await level(yerba)).toBe(stock + 1000);
    const second = await c.run('sales.refund', { saleId: sale.saleId, tillSessionId: till, lines: [{ lineId: yLine.lineId, quantity: 2000, restock: false }, { lineId: qLine.lineId, quantity: 500 }], refundTo: 'cash', reason: 'roto' });
    expect(second.receipt.tenders).toEqual([{ kind: 'cash', amount: second.total, received: second.total, reference: null }]);
    expect(first.total + second.total).toBe(sale.total);
    expect(await level(yerba)).toBe(stock + 1000);
    const before = await databaseDigest(c.store.db);
    await expect(c.run('sales.refund', { saleId: sale.saleId, tillSessionId: till, lines: [{ lineId: yLine.lineId, quantity: 1 }], reason: 'más' })).rejects.toMatchObject({ code: 'Conflict', key: 'refundOverSold', params: { left: 0 } });
    await expect(c.run('sales.refund', { saleId: sale.saleId, tillSessionId: till, lines: [{ lineId: yLine.lineId, quantity: 1 }], reason: 'más' }, 'cashier')).rejects.toMatchObject({ code: 'Conflict' });
    await expect(c.run('sales.void', { saleId: sale.saleId, tillSessionId: till, reason: 'anular' })).rejects.toMatchObject({ key: 'voidHasRefunds' });
    expect(await databaseDigest(c.store.db)).toEqual(before);
    const after = await c.ask('sales.find', { code: sale.saleId });
    expect(after.lines.map((l: { refundable: number }) => l.refundable)).toEqual([0, 0]);
    expect(after.refunds.map((r: { creditNote: { number: number } }) => r.creditNote.number)).toEqual([first.creditNote.number, first.creditNote.number + 1]);
    const copy = await c.ask('sales.receipt', { documentId: first.documentId, copy: true });
    expect(copy).toEqual({ ...first.receipt, copy: true });
    expect(await c.ask('sales.receipt', { documentId: sale.saleId })).toEqual(sale.receipt);
  });

  it('keeps fiscal numbers unique and gapless per series, stock equal to the sum of movements, read models rebuildable', async () => {
    const numbers = await c.store.db.query<{ series: string; n: number }>(
      `SELECT fiscal_series AS series, fiscal_number AS n FROM sales ORDER BY 1, 2`,
    );
    expect(numbers.map((r) => r.n)).toEqual(numbers.map((_, i) => i + 1));
    const drift = await c.store.db.query<{ n: number }>(
      `SELECT count(*)::int8 AS n FROM stock_levels l FULL JOIN (SELECT product_id, location, sum(quantity) AS q FROM stock_movements GROUP BY 1, 2) m
       USING (product_id, location) WHERE l.quantity IS DISTINCT FROM m.q`,
    );
    expect(drift[0]!.n).toBe(0);
    expect(await count('stock_movements')).toBeGreaterThan(0);
    expect(await verifyReadModels(c.store.db, c.own.storeId, allProjections, route)).toEqual([]);
  });
});
