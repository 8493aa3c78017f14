import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDraft } from '../../shared/events.js';
import { newId } from '../../shared/ids.js';
import { allProjections, route } from '../domains.js';
import { emptyHead, sealEvents } from '../journal/chain.js';
import { applyRemoteEvents } from '../journal/remote.js';
import { verifyReadModels } from '../journal/verify.js';
import { openCounter, openTill, product, type Counter } from './testing/counter.js';

/**
 * A sale of this terminal refunded here and, while both were offline, on another terminal of the store: together
 * past what was sold. The other terminal's refund arrives through remote apply: applied (never refused or parked),
 * shown on the sale's lines and in the store's anomalies, and nothing more of the line can be refunded.
 */
describe('an over-refund reaching a terminal', () => {
  let c: Counter;
  let till: string;
  let yerba: string;
  const other = newId();

  beforeAll(async () => {
    c = await openCounter();
    yerba = await product(c, { name: 'Yerba 1kg', price: 250000, taxRateBp: 2100 });
    till = await openTill(c);
  }, 120_000);
  afterAll(async () => c?.close());

  it('is applied, shown per line, listed with both refunds, and refuses any further refund of the line', async () => {
    const sale = await c.run('sales.complete', { tillSessionId: till, lines: [{ productId: yerba, quantity: 2000 }], tenders: [{ kind: 'cash', received: 500000 }] });
    const view = await c.ask('sales.find', { code: sale.saleId });
    const line = view.lines[0];
    expect(await c.ask('sales.anomalies', {})).toEqual({ items: [] });
    const mine = await c.run('sales.refund', { saleId: sale.saleId, tillSessionId: till, lines: [{ lineId: line.lineId, quantity: 2000 }], refundTo: 'cash', reason: 'vencida' });

    // The other terminal's refund of the same line, made offline against its own view (nothing refunded yet).
    const refundId = newId();
    const draft: EventDraft = {
      type: 'SaleRefunded',
      payload: {
        refundId,
        saleId: sale.saleId,
        tillSessionId: newId(),
        lines: [{ lineId: line.lineId, productId: yerba, quantity: 1000, amount: 250000, restock: true, location: 'main' }],
        total: 250000,
        taxes: [{ rateBp: 2100, base: 206612, tax: 43388 }],
        tenders: [{ kind: 'cash', amount: 250000, reference: null }],
        creditNote: null,
        reason: 'no le gustó',
        approval: null,
      },
    };
    const { events } = sealEvents(emptyHead(other), [draft], { storeId: c.own.storeId, deviceId: other, commandId: newId(), actorId: 'cajero', now: new Date(), newId });
    const applied = await applyRemoteEvents(c.store.db, { storeId: c.own.storeId, deviceId: c.store.identity.deviceId, mode: 'remote' }, events, route);
    expect(applied).toMatchObject({ applied: 1, refused: [], parked: [] });

    const after = await c.ask('sales.find', { code: sale.saleId });
    expect(after.lines[0]).toMatchObject({ quantity: 2000, refunded: 3000, refundable: 0, overRefunded: 1000 });
    const { items } = await c.ask('sales.anomalies', {});
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      saleId: sale.saleId,
      fiscal: sale.fiscal,
      voided: false,
      lines: [{ lineId: line.lineId, sold: 2000, refunded: 3000, over: 1000, soldAmount: 500000, refundedAmount: 750000, overAmount: 250000 }],
    });
    expect(items[0].refunds.map((r: { refundId: string; deviceId: string }) => [r.refundId, r.deviceId]).sort()).toEqual(
      [[mine.documentId, c.store.identity.deviceId], [refundId, other]].sort(),
    );
    // Nothing is left of the line: a further refund is refused, saying so.
    await expect(
      c.run('sales.refund', { saleId: sale.saleId, tillSessionId: till, lines: [{ lineId: line.lineId, quantity: 1 }], reason: 'otra vez' }),
    ).rejects.toMatchObject({ code: 'Conflict', key: 'refundOverSold', params: { left: 0, asked: 1 } });
    // The read models rebuilt from the log say the same.
    expect(await verifyReadModels(c.store.db, c.own.storeId, allProjections, route)).toEqual([]);
  });
});
