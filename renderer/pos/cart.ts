import type { OpenTicket, Product, TicketLine } from '../../shared/contract/index.js';
import { grossOf, lineTotal } from '../../shared/ticket-totals.js';
import { newId } from '../../shared/ids.js';

/**
 * The open ticket's changes as pure functions: each returns a new ticket with its revision one higher, which is what
 * the node keeps (newest revision wins). Quantities are thousandths: 1000 is one unit or one kilogram.
 */

export const ONE = 1000;

export function emptyTicket(): OpenTicket {
  return { ticketId: newId(), revision: 1, status: 'open', label: '', lines: [], ticketDiscount: 0, ticketDiscountApprovalId: null };
}

const next = (ticket: OpenTicket, lines: TicketLine[], extra: Partial<OpenTicket> = {}): OpenTicket => ({
  ...ticket,
  ...extra,
  lines,
  revision: ticket.revision + 1,
});

export interface AddOptions {
  /** Thousandths; a unit product defaults to one, a kg product needs its weight. */
  quantity?: number;
  /** The barcode it was scanned by (kept on the line for the receipt and the audit). */
  barcode?: string | null;
  /** The store prefers one line per product (true) or a line per scan (false). */
  merge: boolean;
  /** A price from a scale label: the line is priced by it, not by the catalog. */
  labelPrice?: number;
}

/** Whether a repeat scan may add to this line: same product, by the unit, at the catalog price, undiscounted. */
const mergeable = (line: TicketLine, product: Product) =>
  line.productId === product.id && line.unit === 'unit' && line.unitPrice === product.price && line.discount === 0 && line.approvalId === null;

/** Adds a product: one more on its line when the store merges repeat scans, else a new line at the end. */
export function addProduct(ticket: OpenTicket, product: Product, opts: AddOptions): { ticket: OpenTicket; lineId: string } {
  const quantity = opts.quantity ?? ONE;
  const weighed = opts.quantity !== undefined || opts.labelPrice !== undefined;
  if (opts.merge && !weighed) {
    const found = ticket.lines.find((l) => mergeable(l, product));
    if (found) {
      const lines = ticket.lines.map((l) => (l === found ? { ...l, quantity: l.quantity + quantity } : l));
      return { ticket: next(ticket, lines), lineId: found.lineId };
    }
  }
  const line: TicketLine = {
    lineId: newId(),
    productId: product.id,
    name: product.name,
    barcode: opts.barcode ?? null,
    quantity,
    unit: product.unit,
    unitPrice: product.price,
    listPrice: product.price,
    discount: 0,
    taxRateBp: product.taxRateBp,
    approvalId: null,
  };
  if (opts.labelPrice !== undefined) priceByLabel(line, opts.labelPrice);
  return { ticket: next(ticket, [...ticket.lines, line]), lineId: line.lineId };
}

/**
 * A label that carries the price: the quantity is what that price buys at the catalog price (grams for kg goods),
 * rounded up to whole thousandths, and what that rounding adds is taken off as a discount, so the line charges what
 * the label says.
 */
function priceByLabel(line: TicketLine, price: number): void {
  if (line.unitPrice <= 0) {
    line.unitPrice = price;
    line.listPrice = price;
    return;
  }
  line.quantity = Math.max(1, Math.ceil((price * ONE) / line.unitPrice));
  line.discount = Math.max(0, grossOf(line.quantity, line.unitPrice) - price);
}

export function setQuantity(ticket: OpenTicket, lineId: string, quantity: number): OpenTicket {
  return next(ticket, ticket.lines.map((l) => (l.lineId === lineId ? { ...l, quantity, discount: Math.min(l.discount, grossOf(quantity, l.unitPrice)) } : l)));
}

export function removeLine(ticket: OpenTicket, lineId: string): OpenTicket {
  return next(ticket, ticket.lines.filter((l) => l.lineId !== lineId));
}

export function setLineDiscount(ticket: OpenTicket, lineId: string, discount: number, approvalId: string | null): OpenTicket {
  return next(ticket, ticket.lines.map((l) => (l.lineId === lineId ? { ...l, discount, approvalId: approvalId ?? l.approvalId } : l)));
}

export function overridePrice(ticket: OpenTicket, lineId: string, unitPrice: number, approvalId: string | null): OpenTicket {
  return next(ticket, ticket.lines.map((l) => (l.lineId === lineId ? { ...l, unitPrice, discount: 0, approvalId } : l)));
}

export function setTicketDiscount(ticket: OpenTicket, discount: number, approvalId: string | null): OpenTicket {
  return next(ticket, ticket.lines, { ticketDiscount: discount, ticketDiscountApprovalId: approvalId });
}

export function park(ticket: OpenTicket, label: string): OpenTicket {
  return next(ticket, ticket.lines, { status: 'parked', label });
}

export function resume(ticket: OpenTicket): OpenTicket {
  return next(ticket, ticket.lines, { status: 'open' });
}

/** What a line charges, as the cart shows it. */
export const lineAmount = (line: TicketLine): number => lineTotal(line);
