import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseDigest } from '../../test/support/digest.js';
import { openCounter, openTill, product, type Counter } from '../sales/testing/counter.js';
import { applyFiscalEvent, type FiscalEvent } from './ranges.model.js';

/**
 * Fiscal ranges on a standalone node (it grants itself the next block when a fifth is left) and on an enrolled one
 * (it never does: with nothing left it refuses until the central grants). Ranges are moved on by SQL here to reach
 * the edges without a thousand sales.
 */
describe('fiscal ranges, local side', () => {
  let c: Counter;
  let till: string;
  let item: string;
  const sell = () => c.run('sales.complete', { tillSessionId: till, lines: [{ productId: item, quantity: 1000 }], tenders: [{ kind: 'cash', received: 100 }] });
  const setNext = (first: number, next: number) => c.store.db.query('UPDATE fiscal_ranges SET next = $2 WHERE store_id = $1 AND first = $3', [c.own.storeId, next, first]);
  const types = async () => (await c.store.db.query<{ type: string }>('SELECT type FROM events ORDER BY device_seq')).map((e) => e.type);

  beforeAll(async () => {
    c = await openCounter();
    item = await product(c, { name: 'Chicle', price: 100, trackStock: false });
    till = await openTill(c);
  }, 120_000);
  afterAll(async () => c?.close());

  it('grants itself a first range before the first sale, in the same command', async () => {
    const sale = await sell();
    expect(sale.fiscal.number).toBe(1);
    expect((await types()).slice(-2)).toEqual(['FiscalRangeGranted', 'SaleCreated']);
    const [range] = await c.store.db.query<{ first: number; last: number; next: number; granted_by: string }>('SELECT first, last, next, granted_by FROM fiscal_ranges');
    expect(range).toEqual({ first: 1, last: 1000, next: 2, granted_by: 'self' });
  });

  it('grants the next block when a fifth is left, and keeps using the current range until it is used up', async () => {
    await setNext(1, 800);
    const sale = await sell();
    expect(sale.fiscal.number).toBe(800);
    expect((await types()).slice(-2)).toEqual(['FiscalRangeGranted', 'SaleCreated']);
    expect((await c.ask('fiscal.status', {})).series).toEqual([{ series: 'B-0001', docType: 'ticket', left: 200 + 1000, next: 801 }]);
    expect((await sell()).fiscal.number).toBe(801);
    expect((await types()).slice(-2)).toEqual(['SaleCreated', 'SaleCreated']);
    await setNext(1, 1001);
    const next = await sell();
    expect(next.fiscal.number).toBe(1001);
    expect(next.fiscal.rangeId).not.toBe(sale.fiscal.rangeId);
  });

  it('an enrolled terminal never grants itself: with no numbers left it refuses with 503 and changes nothing', async () => {
    await c.store.db.query(`INSERT INTO fiscal_authority (store_id, authority) VALUES ($1, 'central')`, [c.own.storeId]);
    await setNext(1001, 1999);
    expect((await sell()).fiscal.number).toBe(1999);
    expect((await types()).at(-1)).toBe('SaleCreated');
    await setNext(1001, 2001);
    const before = await databaseDigest(c.store.db);
    await expect(sell()).rejects.toMatchObject({ code: 'Unavailable', key: 'noFiscalNumbers', message: /connect to the central/ });
    expect(await databaseDigest(c.store.db)).toEqual(before);
    expect(await c.ask('fiscal.status', {})).toEqual({ authority: 'central', series: [{ series: 'B-0001', docType: 'ticket', left: 0, next: null }] });
  });

  it('advances a range from another device’s documents even before its grant arrives', () => {
    const envelope = { event_id: 'e', command_id: 'c', store_id: 's', device_id: 'd2', device_seq: 1, version: 1, actor_id: 'a', hlc: 'h', created_at: 't', prev_hash: '', hash: '' };
    const fiscal = { series: 'B-0002', docType: 'ticket' as const, number: 7, rangeId: 'r' };
    const sale = { ...envelope, type: 'SaleCreated', payload: { fiscal } } as unknown as FiscalEvent;
    const grant = { ...envelope, type: 'FiscalRangeGranted', payload: { rangeId: 'r', series: 'B-0002', docType: 'ticket', deviceId: 'd2', first: 5, last: 9, grantedBy: 'central', expiresAt: null } } as unknown as FiscalEvent;
    const early = applyFiscalEvent(undefined, sale, 'r');
    expect(early).toMatchObject({ granted: false, next: 8, first: 7, last: 7 });
    expect(applyFiscalEvent(early, grant, 'r')).toEqual(applyFiscalEvent(applyFiscalEvent(undefined, grant, 'r'), sale, 'r'));
    expect(applyFiscalEvent(early, grant, 'r')).toMatchObject({ granted: true, first: 5, last: 9, next: 8 });
  });
});
