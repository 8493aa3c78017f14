/**
 * The open ticket's arithmetic, in integers (CONVENTIONS.md: minor units, thousandths): what the checkout paints and
 * what the node records when a ticket is abandoned. Prices include tax, so a rate's tax is taken out of its amount.
 */

export interface PricedLine {
  quantity: number; // thousandths
  unitPrice: number; // minor units per unit or kg, tax included
  discount: number;
  taxRateBp: number;
}

export interface TaxPart {
  rateBp: number;
  /** What the customer pays at this rate (tax included), after the ticket discount's share. */
  amount: number;
  base: number;
  tax: number;
}

export interface TicketTotals {
  /** Σ line totals, before the ticket discount. */
  subtotal: number;
  ticketDiscount: number;
  total: number;
  taxes: TaxPart[];
}

/** round(quantity × price / 1000), half up, exact past 2^53 (a tonne at a high price). */
export function grossOf(quantity: number, unitPrice: number): number {
  return Number((BigInt(quantity) * BigInt(unitPrice) + 500n) / 1000n);
}

/** A line's total: gross − its discount, never below zero. */
export const lineTotal = (line: PricedLine): number => Math.max(0, grossOf(line.quantity, line.unitPrice) - line.discount);

/** Tax inside an amount that includes it, at `rateBp` basis points, rounded half up. */
export function taxInside(amount: number, rateBp: number): number {
  if (rateBp === 0 || amount === 0) return 0;
  return Number((BigInt(amount) * BigInt(rateBp) * 2n + BigInt(10_000 + rateBp)) / (BigInt(10_000 + rateBp) * 2n));
}

/**
 * Totals with tax per rate. The ticket discount is spread over the rates in proportion to their amounts (largest
 * remainder last, so the parts add up exactly to the discount).
 */
export function ticketTotals(lines: readonly PricedLine[], ticketDiscount: number): TicketTotals {
  const byRate = new Map<number, number>();
  for (const line of lines) byRate.set(line.taxRateBp, (byRate.get(line.taxRateBp) ?? 0) + lineTotal(line));
  const subtotal = [...byRate.values()].reduce((a, b) => a + b, 0);
  const discount = Math.min(ticketDiscount, subtotal);
  const rates = [...byRate.keys()].sort((a, b) => a - b);
  let left = discount;
  const taxes = rates.map((rateBp, i) => {
    const gross = byRate.get(rateBp)!;
    const share = i === rates.length - 1 ? left : subtotal === 0 ? 0 : Math.floor((discount * gross) / subtotal);
    left -= share;
    const amount = gross - share;
    const tax = taxInside(amount, rateBp);
    return { rateBp, amount, base: amount - tax, tax };
  });
  return { subtotal, ticketDiscount: discount, total: subtotal - discount, taxes };
}
