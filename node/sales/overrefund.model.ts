import type { PayloadOf } from '../../shared/events.js';
import { netByLine, refundedByLine, type SaleRow } from './sales.model.js';

/**
 * Over-refunds: two terminals of a store, both offline, each refund a line of the same sale within what their own
 * view left, and together they give back more than was sold (or one voids the sale while the other refunds it).
 * Both refunds are facts (the money left the till): they are applied everywhere and never refused; this file only
 * says what went too far. Pure and computed from the sale's row alone, whose refunds every node holds in clock
 * order, so every node (and a read model rebuilt from the log) finds the same, whatever order the events came in.
 */

/** A line given back past what was sold: quantities in thousandths, amounts in minor units. */
export interface OverRefundedLine {
  lineId: string;
  productId: string;
  name: string;
  /** Sold on the sale. */
  sold: number;
  refunded: number;
  /** refunded − sold (− 0 on a voided sale: its void gave everything back), never below 0. */
  over: number;
  /** What the customer paid for the line after the ticket discount. */
  soldAmount: number;
  refundedAmount: number;
  /** Money given back past what the customer paid (everything refunded, on a voided sale). */
  overAmount: number;
}

/** A refund that touched an over-refunded line (clock order). */
export interface OverRefundingRefund {
  refundId: string;
  eventId: string;
  deviceId: string;
  at: string;
  by: string;
  creditNote: PayloadOf<'SaleRefunded'>['creditNote'];
  lines: { lineId: string; quantity: number; amount: number }[];
}

export interface OverRefund {
  saleId: string;
  fiscal: PayloadOf<'SaleCreated'>['fiscal'];
  /** The terminal that made the sale. */
  deviceId: string;
  createdAt: string;
  currency: string;
  voided: boolean;
  lines: OverRefundedLine[];
  refunds: OverRefundingRefund[];
}

/** Quantity given back past what could be, per line id (only lines with some). A sale not held yet has none. */
export function excessByLine(row: SaleRow): Map<string, number> {
  const out = new Map<string, number>();
  if (!row.sale) return out;
  const refunded = refundedByLine(row);
  for (const line of row.sale.lines) {
    const limit = row.voided ? 0 : line.quantity;
    const over = Math.max(0, (refunded.get(line.lineId) ?? 0) - limit);
    if (over > 0) out.set(line.lineId, over);
  }
  return out;
}

/** The sale's over-refund, or undefined when every line's refunds stay within what was sold (and it was not voided). */
export function overRefundOf(row: SaleRow): OverRefund | undefined {
  const excess = excessByLine(row);
  if (excess.size === 0 || !row.sale || !row.created) return undefined;
  const nets = netByLine(row.sale);
  const refunded = refundedByLine(row);
  const amounts = new Map<string, number>();
  for (const r of row.refunds) for (const l of r.payload.lines) amounts.set(l.lineId, (amounts.get(l.lineId) ?? 0) + l.amount);
  const voided = row.voided !== null;
  const lines = row.sale.lines
    .filter((l) => excess.has(l.lineId))
    .map((l): OverRefundedLine => {
      const soldAmount = nets.get(l.lineId)!;
      const refundedAmount = amounts.get(l.lineId) ?? 0;
      return {
        lineId: l.lineId,
        productId: l.productId,
        name: l.name,
        sold: l.quantity,
        refunded: refunded.get(l.lineId) ?? 0,
        over: excess.get(l.lineId)!,
        soldAmount,
        refundedAmount,
        overAmount: Math.max(0, refundedAmount - (voided ? 0 : soldAmount)),
      };
    });
  const refunds = row.refunds
    .filter((r) => r.payload.lines.some((l) => excess.has(l.lineId)))
    .map((r) => ({
      refundId: r.payload.refundId,
      eventId: r.eventId,
      deviceId: r.deviceId,
      at: r.at,
      by: r.by,
      creditNote: r.payload.creditNote,
      lines: r.payload.lines.filter((l) => excess.has(l.lineId)).map((l) => ({ lineId: l.lineId, quantity: l.quantity, amount: l.amount })),
    }));
  return { saleId: row.saleId, fiscal: row.sale.fiscal, deviceId: row.created.deviceId, createdAt: row.created.at, currency: row.sale.currency, voided, lines, refunds };
}

const fiscalText = (fiscal: OverRefund['fiscal'], id: string) => (fiscal ? `${fiscal.series} ${fiscal.number}` : `sale ${id}`);
const qty = (thousandths: number) => String(thousandths / 1000);

/**
 * One line of an over-refund as the central's operator reads it (English, like the other alerts): the sale's fiscal
 * number, the line and product, sold against refunded (quantities and money) and every refund with its device.
 */
export function overRefundReason(o: OverRefund, line: OverRefundedLine): string {
  const refunds = o.refunds
    .filter((r) => r.lines.some((l) => l.lineId === line.lineId))
    .map((r) => {
      const mine = r.lines.filter((l) => l.lineId === line.lineId);
      const q = mine.reduce((s, l) => s + l.quantity, 0);
      const a = mine.reduce((s, l) => s + l.amount, 0);
      return `refund ${r.refundId}${r.creditNote ? ` (${r.creditNote.series} ${r.creditNote.number})` : ''} on device ${r.deviceId}: ${qty(q)} for ${a}`;
    });
  return (
    `over-refund on ${fiscalText(o.fiscal, o.saleId)}${o.voided ? ' (voided)' : ''}, line ${line.lineId} "${line.name}" (product ${line.productId}): ` +
    `sold ${qty(line.sold)} for ${line.soldAmount}, refunded ${qty(line.refunded)} for ${line.refundedAmount} ` +
    `(${qty(line.over)} and ${line.overAmount} too many); ${refunds.join('; ')}`
  );
}
