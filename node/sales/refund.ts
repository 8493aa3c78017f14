import { managers, type ParsedInputOf } from '../../shared/contract/index.js';
import { AppError } from '../../shared/errors.js';
import type { EventDraft, PayloadOf } from '../../shared/events.js';
import { newId } from '../../shared/ids.js';
import { refundAmount, refundTaxes, spread } from '../../shared/sale-math.js';
import { takeFiscalNumber } from '../fiscal/take.js';
import type { CommandContext } from '../journal/command.js';
import { requireApproval } from '../users/approvals.js';
import { netByLine, refundedByLine } from './sales.model.js';
import type { CounterSettings } from './settings.js';
import { requireOpenSession } from '../cash/index.js';
import { heldSale } from './void.js';

type Input = ParsedInputOf<'sales.refund'>;
type Sale = PayloadOf<'SaleCreated'>;
type Refunded = PayloadOf<'SaleRefunded'>;

/** Money back: all in cash, or over the sale's own tenders in proportion to what each paid. */
function refundTenders(sale: Sale, total: number, to: Input['refundTo']): Refunded['tenders'] {
  if (to === 'cash' || total === 0) return [{ kind: 'cash', amount: total, reference: null }];
  const shares = spread(total, sale.tenders.map((t) => t.amount));
  const out = sale.tenders.map((t, i) => ({ kind: t.kind, amount: shares[i]!, reference: t.reference })).filter((t) => t.amount > 0);
  return out.length > 0 ? out : [{ kind: 'cash', amount: total, reference: null }];
}

/**
 * The refund's lines with their money: never more than is left of a line across every refund this node holds
 * (the same line twice in one refund counts twice); amounts by cumulative rounding, so a line refunded in parts
 * gives back exactly what was paid for it.
 */
function refundLines(sale: Sale, done: Map<string, number>, input: Input): Refunded['lines'] {
  const nets = netByLine(sale);
  const taken = new Map(done);
  return input.lines.map((asked, i) => {
    const line = sale.lines.find((l) => l.lineId === asked.lineId);
    if (!line) throw AppError.t('ValidationError', 'refundLineUnknown', { line: i + 1 });
    const before = taken.get(line.lineId) ?? 0;
    // Past zero after two offline terminals refunded the same line (node/sales/overrefund.model.ts): nothing is left.
    const left = Math.max(0, line.quantity - before);
    if (asked.quantity > left) throw AppError.t('Conflict', 'refundOverSold', { name: line.name, left, asked: asked.quantity });
    taken.set(line.lineId, before + asked.quantity);
    const amount = refundAmount(nets.get(line.lineId)!, line.quantity, before, asked.quantity);
    return { lineId: line.lineId, productId: line.productId, quantity: asked.quantity, amount, restock: asked.restock, location: line.location };
  });
}

/** sales.refund: lines of an earlier sale held here, recorded against its id, with a credit note number. */
export async function decideRefund(ctx: CommandContext, input: Input, settings: CounterSettings): Promise<{ refundId: string; events: EventDraft[] }> {
  await requireOpenSession(ctx, input.tillSessionId);
  const row = await heldSale(ctx, input.saleId);
  const lines = refundLines(row.sale, refundedByLine(row), input);
  const rateOf = new Map(row.sale.lines.map((l) => [l.lineId, l.taxRateBp]));
  const total = lines.reduce((sum, l) => sum + l.amount, 0);
  const approval = managers.includes(ctx.principal.staffRole) ? null : await requireApproval(ctx, input.approvalId, 'refund');
  const { grants, ref } = await takeFiscalNumber(ctx, 'creditNote', settings.series.creditNote, settings.rangeSize);
  const refundId = newId();
  const payload: Refunded = {
    refundId,
    saleId: input.saleId,
    tillSessionId: input.tillSessionId,
    lines,
    total,
    taxes: refundTaxes(lines.map((l) => ({ total: l.amount, taxRateBp: rateOf.get(l.lineId)! }))),
    tenders: refundTenders(row.sale, total, input.refundTo),
    creditNote: ref,
    reason: input.reason,
    approval,
  };
  return { refundId, events: [...grants, { type: 'SaleRefunded', payload }] };
}
