import type { salesDomain } from '../../shared/domains/sales.js';
import { AppError } from '../../shared/errors.js';
import type { DomainHandlers } from '../domain.js';
import { fiscalStatus } from '../fiscal/status.js';
import { decideComplete } from './complete.js';
import { anomaliesOf, receiptOf, findSale, stockLevelsOf } from './queries.js';
import { isHeld, refundReceipt, saleReceipt, voidReceipt } from './receipt.js';
import { decideRefund } from './refund.js';
import { salesProjection } from './sales.projection.js';
import { commandCounterSettings, queryCounterSettings } from './settings.js';
import { decideVoid } from './void.js';

const vanished = () => new AppError('Internal', 'the sale vanished while it was being saved');

/** The counter's API: sales, voids, refunds, receipts, and the stock and fiscal views they drive. */
export const salesHandlers: DomainHandlers<typeof salesDomain> = {
  async 'sales.complete'(ctx, input) {
    const settings = await commandCounterSettings(ctx);
    const { saleId, events, warnings } = await decideComplete(ctx, input, settings);
    return {
      events,
      async result(read) {
        const row = await read(salesProjection, saleId);
        if (!isHeld(row)) throw vanished();
        const { fiscal, total, rounding, change } = row.sale;
        return { saleId, fiscal, total, rounding, change, warnings, receipt: saleReceipt(row, settings, false) };
      },
    };
  },

  async 'sales.void'(ctx, input) {
    const settings = await commandCounterSettings(ctx);
    const events = await decideVoid(ctx, input, settings);
    return {
      events,
      async result(read) {
        const row = await read(salesProjection, input.saleId);
        const receipt = isHeld(row) ? voidReceipt(row, settings, false) : undefined;
        if (!receipt || !row?.voided) throw vanished();
        return { documentId: input.saleId, saleId: input.saleId, creditNote: row.voided.payload.creditNote, total: receipt.total, receipt };
      },
    };
  },

  async 'sales.refund'(ctx, input) {
    const settings = await commandCounterSettings(ctx);
    const { refundId, events } = await decideRefund(ctx, input, settings);
    return {
      events,
      async result(read) {
        const row = await read(salesProjection, input.saleId);
        const receipt = isHeld(row) ? refundReceipt(row, refundId, settings, false) : undefined;
        if (!receipt) throw vanished();
        return { documentId: refundId, saleId: input.saleId, creditNote: receipt.fiscal, total: receipt.total, receipt };
      },
    };
  },

  'sales.find': (input, ctx) => findSale(ctx.db, ctx.store, input),
  'sales.receipt': async (input, ctx) => receiptOf(ctx.db, ctx.store, input, await queryCounterSettings(ctx.db, ctx.store)),
  'sales.anomalies': (_input, ctx) => anomaliesOf(ctx.db, ctx.store),
  'stock.levels': (input, ctx) => stockLevelsOf(ctx.db, ctx.store, input.productIds),
  'fiscal.status': (_input, ctx) => fiscalStatus(ctx.db, ctx.store, new Date()),
};
