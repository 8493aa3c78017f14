import { z } from 'zod';
import { eventDef } from '../eventdef.js';
import { minorUnitsSchema } from '../money.js';

/**
 * The counter's events (sales, refunds, voids, the till, fiscal ranges), written down before their domains so that
 * the sales, cash, stock and fiscal read models, the audit log and the federation agree on one shape. Amounts are
 * integer minor units, prices include tax, quantities are integer thousandths (1000 = one unit or one kilogram).
 * Change a shape only with `.next(...)` (a new payload version), never in place.
 */

const id = z.string().uuid();
const qty = z.number().int().positive(); // thousandths

/** Who approved an action a cashier could not do alone (supervisor PIN), recorded with the action. */
export const approvalRef = z.object({
  approvalId: id,
  action: z.enum(['void', 'refund', 'discount', 'priceOverride', 'noSale', 'overShort']),
  supervisorId: id,
});

/** A fiscal document number consumed from a range the device holds. */
export const fiscalRef = z.object({
  series: z.string(), // e.g. "B-0001" (store's series for the document type)
  docType: z.enum(['ticket', 'creditNote']),
  number: z.number().int().positive(),
  rangeId: id,
});

/** Tenders stay an open list: store credit (fiado) arrives with the customers issue as a new payload version. */
export const tenderKind = z.enum(['cash', 'card', 'transfer']);

export const saleLine = z.object({
  lineId: id,
  productId: id,
  name: z.string(),
  barcode: z.string().nullable(),
  quantity: qty,
  unit: z.enum(['unit', 'kg']),
  /** Price per unit or per kilogram, tax included, after any override. */
  unitPrice: minorUnitsSchema,
  /** Catalog price when the cashier overrode it (with approval where the role needed one). */
  listPrice: minorUnitsSchema,
  /** Line discount (money off this line), tax included. */
  discount: minorUnitsSchema,
  /** What the customer pays for the line before the ticket discount: round(quantity × unitPrice / 1000) − discount. */
  total: minorUnitsSchema,
  taxRateBp: z.number().int().min(0).max(10_000),
  /** Where the goods left from (stock location), e.g. "store". */
  location: z.string(),
});

export const saleTender = z.object({
  tenderId: id,
  kind: tenderKind,
  /** The part of the sale this tender pays. */
  amount: minorUnitsSchema,
  /** Cash handed over (≥ amount); for other tenders equal to amount. */
  received: minorUnitsSchema,
  reference: z.string().nullable(),
});

export const taxLine = z.object({ rateBp: z.number().int(), base: minorUnitsSchema, tax: minorUnitsSchema });

export const counterEvents = {
  /** A completed sale: its lines, tenders, taxes and fiscal number, in one event (stock movements derive from it). */
  SaleCreated: eventDef(
    z.object({
      saleId: id,
      tillSessionId: id,
      /** The open ticket this sale came from (its lines' audit trail). */
      ticketId: id.nullable(),
      fiscal: fiscalRef.nullable(),
      currency: z.string(),
      lines: z.array(saleLine).min(1),
      /** Money off the whole ticket, tax included, spread over the lines' tax rates in `taxes`. */
      ticketDiscount: minorUnitsSchema,
      /** Sum of line totals − ticket discount, before cash rounding. */
      total: minorUnitsSchema,
      /** Cash rounding applied (signed minor units; 0 when no cash or no rounding rule). */
      rounding: z.number().int(),
      taxes: z.array(taxLine),
      tenders: z.array(saleTender).min(1),
      /** Cash given back: Σ received of cash − (total + rounding − Σ non-cash amounts). */
      change: minorUnitsSchema,
      cashierId: z.string(),
      approvals: z.array(approvalRef),
    }),
  ),
  /** A whole sale cancelled in the same till session; money goes back by the original tenders. */
  SaleVoided: eventDef(
    z.object({
      saleId: id,
      tillSessionId: id,
      reason: z.string(),
      creditNote: fiscalRef.nullable(),
      approval: approvalRef.nullable(),
    }),
  ),
  /** Lines (or parts of lines) of an earlier sale given back; recorded against the original sale's id. */
  SaleRefunded: eventDef(
    z.object({
      refundId: id,
      saleId: id,
      tillSessionId: id,
      lines: z.array(z.object({ lineId: id, productId: id, quantity: qty, amount: minorUnitsSchema, restock: z.boolean(), location: z.string() })).min(1),
      total: minorUnitsSchema,
      taxes: z.array(taxLine),
      /** How the money went back: the original tender kind, or cash. */
      tenders: z.array(z.object({ kind: tenderKind, amount: minorUnitsSchema, reference: z.string().nullable() })).min(1),
      creditNote: fiscalRef.nullable(),
      reason: z.string(),
      approval: approvalRef.nullable(),
    }),
  ),
  /** A till session opened on a device with a counted float. */
  CashSessionOpened: eventDef(
    z.object({
      tillSessionId: id,
      deviceId: id,
      cashierId: z.string(),
      /** Count by denomination (minor units per note or coin → how many). */
      float: z.array(z.object({ denomination: minorUnitsSchema, count: z.number().int().min(0) })),
      floatTotal: minorUnitsSchema,
    }),
  ),
  /** Cash in or out of the drawer with a reason, or a no-sale opening (amount 0). */
  CashLedgerEntryCreated: eventDef(
    z.object({
      entryId: id,
      tillSessionId: id,
      kind: z.enum(['in', 'out', 'noSale']),
      amount: minorUnitsSchema,
      reason: z.string(),
      approval: approvalRef.nullable(),
    }),
  ),
  /** The blind count and the Z: expected vs counted per tender, numbered per device, immutable. */
  CashSessionClosed: eventDef(
    z.object({
      tillSessionId: id,
      zNumber: z.number().int().positive(),
      cashCount: z.array(z.object({ denomination: minorUnitsSchema, count: z.number().int().min(0) })),
      counted: z.array(z.object({ kind: tenderKind, amount: minorUnitsSchema })),
      expected: z.array(z.object({ kind: tenderKind, amount: z.number().int() })),
      closedBy: z.string(),
      approval: approvalRef.nullable(),
    }),
  ),
  /**
   * A range of fiscal numbers given to one device for one series: by the standalone node to itself (`grantedBy`
   * 'self') or by the central. Consumed gaplessly by the device's sales and credit notes.
   */
  FiscalRangeGranted: eventDef(
    z.object({
      rangeId: id,
      series: z.string(),
      docType: z.enum(['ticket', 'creditNote']),
      deviceId: id,
      first: z.number().int().positive(),
      last: z.number().int().positive(),
      grantedBy: z.enum(['self', 'central']),
      /** ISO time after which the device stops using it (null: no expiry); the central reclaims after a grace. */
      expiresAt: z.string().nullable(),
    }),
  ),
  /** Lines taken off an open ticket, and tickets abandoned: kept for the audit log (the open ticket is not journaled). */
  TicketLineRemoved: eventDef(
    z.object({ ticketId: id, productId: id, name: z.string(), quantity: qty, amount: minorUnitsSchema, approval: approvalRef.nullable() }),
  ),
  TicketAbandoned: eventDef(z.object({ ticketId: id, lines: z.number().int().min(0), amount: minorUnitsSchema, reason: z.string() })),
};
