import { MAX_MINOR } from './money.js';

/**
 * The money of a sale, as pure integer arithmetic shared by the node (which decides) and the renderer (which shows
 * the same figures before the node answers). Prices include tax; amounts are integer minor units, quantities integer
 * thousandths. Products of quantity × price can pass 2^53, so they go through BigInt.
 */

export interface LineInput {
  quantity: number;
  unitPrice: number;
  discount: number;
  taxRateBp: number;
}

export interface TenderInput {
  kind: 'cash' | 'card' | 'transfer';
  /** For card and transfer: what this tender pays. Ignored for cash (its part is what remains). */
  amount?: number | undefined;
  /** For cash: what the customer handed over. */
  received?: number | undefined;
  reference?: string | null | undefined;
}

export interface TaxLine {
  rateBp: number;
  base: number;
  tax: number;
}

/** Why a sale's figures do not add up; the node turns each into a 4xx the cashier can act on. */
export type SaleMathProblem =
  | { problem: 'discountOverLine'; line: number; gross: number; discount: number }
  | { problem: 'discountOverTicket'; subtotal: number; discount: number }
  | { problem: 'tenderShort'; due: number; paid: number }
  | { problem: 'overpaidNonCash'; total: number; nonCash: number }
  | { problem: 'cashNotNeeded' }
  | { problem: 'oneCashTender' }
  | { problem: 'amountTooLarge'; line: number };

export class SaleMathError extends Error {
  constructor(readonly detail: SaleMathProblem) {
    super(detail.problem);
  }
}

/** a × b / d rounded half away from zero, exact for any safe integers. */
export function mulDivRound(a: number, b: number, d: number): number {
  const n = BigInt(a) * BigInt(b);
  const den = BigInt(d);
  const q = n / den;
  const r = n % den;
  const up = (r < 0n ? -r : r) * 2n >= (den < 0n ? -den : den);
  return Number(up ? q + (n < 0n !== den < 0n ? -1n : 1n) : q);
}

/** What a line costs before any discount: quantity (thousandths) × unit price, to the nearest minor unit. */
export const lineGross = (quantity: number, unitPrice: number): number => mulDivRound(quantity, unitPrice, 1000);

/** What the customer pays for a line before the ticket discount. */
export function lineTotal(line: LineInput, index = 0): number {
  const gross = lineGross(line.quantity, line.unitPrice);
  if (!Number.isSafeInteger(gross) || gross > MAX_MINOR) throw new SaleMathError({ problem: 'amountTooLarge', line: index });
  if (line.discount > gross) throw new SaleMathError({ problem: 'discountOverLine', line: index, gross, discount: line.discount });
  return gross - line.discount;
}

/**
 * Splits `amount` over `weights` in proportion, by largest remainder: the shares are integers, sum to `amount`
 * exactly, and a heavier weight never gets less than a lighter one. Ties go to the earlier weight.
 */
export function spread(amount: number, weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  if (total === 0) return weights.map((_, i) => (i === 0 ? amount : 0));
  const exact = weights.map((w) => BigInt(amount) * BigInt(w));
  const shares = exact.map((e) => Number(e / BigInt(total)));
  let left = amount - shares.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => ({ i, rem: e % BigInt(total) })).sort((x, y) => (x.rem === y.rem ? x.i - y.i : x.rem > y.rem ? -1 : 1));
  for (const { i } of order) {
    if (left <= 0) break;
    shares[i]! += 1;
    left -= 1;
  }
  return shares;
}

/** Base and tax of a tax-inclusive amount at a rate in basis points: tax = round(gross × r / (1 + r)). */
export function splitTax(gross: number, rateBp: number): { base: number; tax: number } {
  const tax = mulDivRound(gross, rateBp, 10_000 + rateBp);
  return { base: gross - tax, tax };
}

/** Taxes per rate (ascending) of lines after the ticket discount, spread over the rates in proportion. */
export function taxesOf(lines: readonly { total: number; taxRateBp: number }[], ticketDiscount: number): TaxLine[] {
  const byRate = new Map<number, number>();
  for (const line of lines) byRate.set(line.taxRateBp, (byRate.get(line.taxRateBp) ?? 0) + line.total);
  const rates = [...byRate.keys()].sort((a, b) => a - b);
  const grosses = rates.map((r) => byRate.get(r)!);
  const shares = spread(ticketDiscount, grosses);
  return rates.map((rateBp, i) => ({ rateBp, ...splitTax(grosses[i]! - shares[i]!, rateBp) }));
}

/** The nearest multiple of `step` (halves up); step 0 or 1 means no cash rounding. */
export function roundCash(amount: number, step: number): number {
  if (step <= 1) return amount;
  return mulDivRound(amount, 1, step) * step;
}

export interface Payment {
  tenders: { kind: TenderInput['kind']; amount: number; received: number; reference: string | null }[];
  /** Signed cash rounding on the cash part. */
  rounding: number;
  change: number;
  cashDue: number;
}

/**
 * How the tenders pay `total`: card and transfer pay their stated amounts (never more than the total: they give no
 * change); cash pays the rest, rounded to the store's cash step, and gives change from what was handed over.
 * The tenders are never short of the total.
 */
export function settle(total: number, tenders: readonly TenderInput[], cashStep: number): Payment {
  const cash = tenders.filter((t) => t.kind === 'cash');
  if (cash.length > 1) throw new SaleMathError({ problem: 'oneCashTender' });
  const nonCash = tenders.filter((t) => t.kind !== 'cash').reduce((sum, t) => sum + (t.amount ?? 0), 0);
  if (nonCash > total) throw new SaleMathError({ problem: 'overpaidNonCash', total, nonCash });
  const rest = total - nonCash;
  const handed = cash[0];
  if (!handed) {
    if (rest > 0) throw new SaleMathError({ problem: 'tenderShort', due: total, paid: nonCash });
    return { tenders: tenders.map((t) => ({ kind: t.kind, amount: t.amount ?? 0, received: t.amount ?? 0, reference: t.reference ?? null })), rounding: 0, change: 0, cashDue: 0 };
  }
  if (rest === 0) throw new SaleMathError({ problem: 'cashNotNeeded' });
  const cashDue = roundCash(rest, cashStep);
  const received = handed.received ?? handed.amount ?? 0;
  if (received < cashDue) throw new SaleMathError({ problem: 'tenderShort', due: nonCash + cashDue, paid: nonCash + received });
  return {
    tenders: tenders.map((t) =>
      t.kind === 'cash'
        ? { kind: 'cash', amount: cashDue, received, reference: t.reference ?? null }
        : { kind: t.kind, amount: t.amount ?? 0, received: t.amount ?? 0, reference: t.reference ?? null },
    ),
    rounding: cashDue - rest,
    change: received - cashDue,
    cashDue,
  };
}

export interface SaleFigures {
  lineTotals: number[];
  subtotal: number;
  total: number;
  taxes: TaxLine[];
}

/** Line totals, subtotal, total after the ticket discount, and taxes per rate. */
export function saleFigures(lines: readonly LineInput[], ticketDiscount: number): SaleFigures {
  const lineTotals = lines.map((line, i) => lineTotal(line, i));
  const subtotal = lineTotals.reduce((a, b) => a + b, 0);
  if (subtotal > MAX_MINOR) throw new SaleMathError({ problem: 'amountTooLarge', line: lines.length - 1 });
  if (ticketDiscount > subtotal) throw new SaleMathError({ problem: 'discountOverTicket', subtotal, discount: ticketDiscount });
  const taxes = taxesOf(
    lines.map((l, i) => ({ total: lineTotals[i]!, taxRateBp: l.taxRateBp })),
    ticketDiscount,
  );
  return { lineTotals, subtotal, total: subtotal - ticketDiscount, taxes };
}

/** How much of `amount` (a refund) falls on each tax rate of the refunded lines' amounts. */
export const refundTaxes = (lines: readonly { total: number; taxRateBp: number }[]): TaxLine[] => taxesOf(lines, 0);

/** Each line's share of the ticket discount taken off: what the customer paid for the line in the end. */
export const lineNets = (lineTotals: readonly number[], ticketDiscount: number): number[] => {
  const shares = spread(ticketDiscount, lineTotals);
  return lineTotals.map((t, i) => t - shares[i]!);
};

/**
 * Money back for `quantity` more of a line whose customer paid `net` for `sold`, `before` already refunded.
 * Cumulative rounding: however a line is refunded in parts, the parts add up to `net` exactly.
 */
export const refundAmount = (net: number, sold: number, before: number, quantity: number): number =>
  mulDivRound(net, before + quantity, sold) - mulDivRound(net, before, sold);
