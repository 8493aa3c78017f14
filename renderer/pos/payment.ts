import type { InputOf, OpenTicket } from '../../shared/contract/index.js';
import { parseMoney } from '../../shared/money.js';
import { SaleMathError, settle, type Payment } from '../../shared/sale-math.js';
import type { CashRounding } from '../../shared/settings.js';

export type TenderKind = 'cash' | 'card' | 'transfer';

/** A tender row as the cashier types it: cash is what was handed over; card and transfer are what they pay. */
export interface TenderRow {
  key: string;
  kind: TenderKind;
  amount: string;
  reference: string;
}

export type Settled = { ok: true; payment: Payment } | { ok: false; problem: 'short'; missing: number } | { ok: false; problem: 'overpaid' | 'oneCash' | 'cashNotNeeded' | 'typing' };

export const cashStep = (rounding: CashRounding): number => (rounding.mode === 'nearest' ? rounding.step : 0);

/** What the rows pay against `total`, by the same rules the node applies (shared/sale-math.ts). */
export function settleRows(total: number, rows: readonly TenderRow[], currency: string, rounding: CashRounding): Settled {
  const tenders = [];
  for (const row of rows) {
    const value = row.amount.trim() === '' ? 0 : parseMoney(row.amount, currency);
    if (value === undefined) return { ok: false, problem: 'typing' };
    tenders.push(row.kind === 'cash' ? { kind: row.kind, received: value } : { kind: row.kind, amount: value, reference: row.reference.trim() || null });
  }
  try {
    return { ok: true, payment: settle(total, tenders, cashStep(rounding)) };
  } catch (e) {
    if (!(e instanceof SaleMathError)) throw e;
    const detail = e.detail;
    if (detail.problem === 'tenderShort') return { ok: false, problem: 'short', missing: detail.due - detail.paid };
    if (detail.problem === 'overpaidNonCash') return { ok: false, problem: 'overpaid' };
    if (detail.problem === 'oneCashTender') return { ok: false, problem: 'oneCash' };
    if (detail.problem === 'cashNotNeeded') return { ok: false, problem: 'cashNotNeeded' };
    return { ok: false, problem: 'typing' };
  }
}

/** The sale command for the open ticket and the tenders as typed. */
export function saleInput(ticket: OpenTicket, tillSessionId: string, rows: readonly TenderRow[], currency: string): InputOf<'sales.complete'> {
  let discountApproval = ticket.ticketDiscountApprovalId ?? undefined;
  let overrideApproval: string | undefined;
  const lines = ticket.lines.map((l) => {
    const overridden = l.unitPrice !== l.listPrice;
    if (l.approvalId && overridden) overrideApproval = l.approvalId;
    else if (l.approvalId) discountApproval = l.approvalId;
    return { productId: l.productId, quantity: l.quantity, discount: l.discount, ...(overridden ? { unitPrice: l.unitPrice } : {}) };
  });
  const tenders = rows.map((r) => {
    const value = parseMoney(r.amount || '0', currency) ?? 0;
    return r.kind === 'cash' ? { kind: r.kind, received: value } : { kind: r.kind, amount: value, ...(r.reference.trim() ? { reference: r.reference.trim() } : {}) };
  });
  const approvalIds = { ...(discountApproval ? { discount: discountApproval } : {}), ...(overrideApproval ? { priceOverride: overrideApproval } : {}) };
  return {
    tillSessionId,
    ticketId: ticket.ticketId,
    lines,
    ticketDiscount: ticket.ticketDiscount,
    tenders,
    ...(Object.keys(approvalIds).length ? { approvalIds } : {}),
  };
}
