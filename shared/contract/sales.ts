import { z } from 'zod';
import { fiscalRef, tenderKind } from '../domains/counter.events.js';
import { uuidSchema } from '../ids.js';
import { minorUnitsSchema } from '../money.js';
import { receiptSchema } from '../receipt.js';
import { optionalTextSchema, textSchema } from '../text.js';
import { command, everyone, managers, query, type StaffRole } from './define.js';
import { because } from '../issues.js';

/** Who may sell, void and refund at the counter (a stock clerk may not). */
export const sellers: readonly StaffRole[] = ['owner', 'supervisor', 'cashier'];

/** Thousandths: 1000 = one unit or one kilogram; at most a million units on one line. */
const quantitySchema = z.number().int('quantity must be whole thousandths').positive('quantity must be more than zero').max(1_000_000_000);

const saleLineInput = z.strictObject({
  productId: uuidSchema,
  quantity: quantitySchema,
  /** A price other than the catalog's (tax included): needs a supervisor's approval for a cashier. */
  unitPrice: minorUnitsSchema.optional(),
  /** Money off this line, tax included. */
  discount: minorUnitsSchema.default(0),
});

export const tenderInput = z
  .strictObject({
    kind: tenderKind,
    /** Card and transfer: what this tender pays. */
    amount: minorUnitsSchema.optional(),
    /** Cash: what the customer handed over (the node computes what cash pays and the change). */
    received: minorUnitsSchema.optional(),
    reference: optionalTextSchema(60, 'reference').optional(),
  })
  .refine((t) => (t.kind === 'cash' ? t.received !== undefined : t.amount !== undefined), {
    message: 'cash needs `received` (what was handed over); card and transfer need `amount`',
  });

const approvalIds = z.strictObject({ discount: uuidSchema.optional(), priceOverride: uuidSchema.optional() });

export const saleCompleteInput = z.strictObject({
  tillSessionId: uuidSchema,
  ticketId: uuidSchema.optional(),
  lines: z.array(saleLineInput).min(1, 'a sale needs at least one line').max(500),
  ticketDiscount: minorUnitsSchema.default(0),
  tenders: z.array(tenderInput).min(1, 'a sale needs at least one tender').max(10),
  approvalIds: approvalIds.optional(),
});

export const stockIssueSchema = z.object({
  productId: z.string(),
  name: z.string(),
  requested: z.number().int(),
  available: z.number().int(),
});

export const saleCompleteOutput = z.object({
  saleId: z.string(),
  fiscal: fiscalRef.nullable(),
  total: z.number().int(),
  rounding: z.number().int(),
  change: z.number().int(),
  /** Stock warnings (never block online): products sold past what the shelf holds. */
  warnings: z.array(stockIssueSchema),
  receipt: receiptSchema,
});

export const saleVoidInput = z.strictObject({
  saleId: uuidSchema,
  tillSessionId: uuidSchema,
  reason: textSchema(200, 'reason'),
  approvalId: uuidSchema.optional(),
});

export const saleRefundInput = z.strictObject({
  saleId: uuidSchema,
  tillSessionId: uuidSchema,
  lines: z
    .array(z.strictObject({ lineId: uuidSchema, quantity: quantitySchema, restock: z.boolean().default(true) }))
    .min(1, 'choose at least one line to refund')
    .max(500),
  /** How the money goes back: the sale's own tenders (in order) or all in cash. */
  refundTo: z.enum(['original', 'cash']).default('original'),
  reason: textSchema(200, 'reason'),
  approvalId: uuidSchema.optional(),
});

export const documentOutput = z.object({
  documentId: z.string(),
  saleId: z.string(),
  creditNote: fiscalRef.nullable(),
  total: z.number().int(),
  receipt: receiptSchema,
});

/** A sale as the refund screen needs it: each line with what is left to refund. */
export const saleViewSchema = z.object({
  saleId: z.string(),
  fiscal: fiscalRef.nullable(),
  deviceId: z.string(),
  tillSessionId: z.string(),
  createdAt: z.string(),
  cashierId: z.string(),
  currency: z.string(),
  total: z.number().int(),
  status: z.enum(['completed', 'voided']),
  lines: z.array(
    z.object({
      lineId: z.string(),
      productId: z.string(),
      name: z.string(),
      unit: z.enum(['unit', 'kg']),
      quantity: z.number().int(),
      refunded: z.number().int(),
      refundable: z.number().int(),
      /** What the customer paid for the line after the ticket discount. */
      net: z.number().int(),
      /**
       * Given back past what was sold (two offline terminals refunding the same line, or a refund of a voided sale):
       * 0 normally. Both refunds stand (the money left the till); the owner sees it in `sales.anomalies`.
       */
      overRefunded: z.number().int(),
    }),
  ),
  tenders: z.array(z.object({ kind: tenderKind, amount: z.number().int() })),
  refunds: z.array(z.object({ refundId: z.string(), total: z.number().int(), creditNote: fiscalRef.nullable() })),
});
export type SaleView = z.infer<typeof saleViewSchema>;

/** A sale refunded past what was sold, as every node of the store finds it (node/sales/overrefund.model.ts). */
export const overRefundSchema = z.object({
  saleId: z.string(),
  fiscal: fiscalRef.nullable(),
  /** The terminal that made the sale. */
  deviceId: z.string(),
  createdAt: z.string(),
  currency: z.string(),
  voided: z.boolean(),
  lines: z.array(
    z.object({
      lineId: z.string(),
      productId: z.string(),
      name: z.string(),
      sold: z.number().int(),
      refunded: z.number().int(),
      over: z.number().int(),
      soldAmount: z.number().int(),
      refundedAmount: z.number().int(),
      overAmount: z.number().int(),
    }),
  ),
  refunds: z.array(
    z.object({
      refundId: z.string(),
      eventId: z.string(),
      deviceId: z.string(),
      at: z.string(),
      by: z.string(),
      creditNote: fiscalRef.nullable(),
      lines: z.array(z.object({ lineId: z.string(), quantity: z.number().int(), amount: z.number().int() })),
    }),
  ),
});
export type OverRefundView = z.infer<typeof overRefundSchema>;

const DOCUMENT_CODE = /^[0-9A-Za-z\-.]{1,40}$/;
/** A receipt barcode ("B-0001.42": series and number) or a sale id, as scanned or typed. */
export const documentCodeSchema = z
  .string({ error: 'code must be text' })
  .trim()
  .refine((s) => DOCUMENT_CODE.test(s), because('badBarcode'))
  .meta({ pattern: DOCUMENT_CODE.source });

export const salesMethods = [
  command({
    name: 'sales.complete',
    summary:
      'Completes a sale in one transaction: lines (prices tax included), tenders (only cash gives change), stock ' +
      'movements and the next fiscal number (SaleCreated; FiscalRangeGranted first when a standalone node grants ' +
      'itself a new range). Returns the change, stock warnings and the receipt.',
    input: saleCompleteInput,
    output: saleCompleteOutput,
    roles: sellers,
    priority: 'high',
  }),
  command({
    name: 'sales.void',
    summary: 'Voids a whole sale of this till session (SaleVoided, with a credit note number; restocks every line).',
    input: saleVoidInput,
    output: documentOutput,
    roles: sellers,
  }),
  command({
    name: 'sales.refund',
    summary:
      'Refunds lines of an earlier sale held in this node’s log (SaleRefunded, against the sale’s id, with a credit ' +
      'note number): never more than is left to refund per line; money back by the original tenders or cash.',
    input: saleRefundInput,
    output: documentOutput,
    roles: sellers,
  }),
  query({
    name: 'sales.find',
    summary:
      'A sale by what the cashier scans or types: the barcode on its receipt, its fiscal number as SERIES.NUMBER ' +
      '(e.g. B-0001.42), or its id; with what is left to refund per line.',
    input: z.strictObject({ code: documentCodeSchema }),
    output: saleViewSchema,
    roles: everyone,
  }),
  query({
    name: 'sales.receipt',
    summary:
      'The receipt of a sale, void or refund as data (store header, fiscal number, lines, taxes, tenders), by the ' +
      'sale’s or the refund’s id; marked as a copy on reprints.',
    input: z.strictObject({ documentId: documentCodeSchema, copy: z.boolean().default(false) }),
    output: receiptSchema,
    roles: everyone,
  }),
  query({
    name: 'sales.anomalies',
    summary:
      'Sales refunded past what was sold: two terminals offline refunded the same line, or one refunded a sale ' +
      'another voided. Both refunds stand (the money left the till); each line says sold against refunded, ' +
      'quantities and money, with every refund and its device. The same list on every node of the store.',
    input: z.strictObject({}),
    output: z.object({ items: z.array(overRefundSchema) }),
    roles: managers,
  }),
  query({
    name: 'stock.levels',
    summary: 'Stock per product and location: the sum of its signed movements (sales −, voids and restocked refunds +).',
    input: z.strictObject({ productIds: z.array(uuidSchema).max(500) }),
    output: z.object({ items: z.array(z.object({ productId: z.string(), location: z.string(), quantity: z.number().int() })) }),
    roles: everyone,
  }),
  query({
    name: 'fiscal.status',
    summary: 'Fiscal numbers left on this device per series (for the status strip), and who grants new ranges.',
    input: z.strictObject({}),
    output: z.object({
      authority: z.enum(['self', 'central']),
      series: z.array(z.object({ series: z.string(), docType: z.enum(['ticket', 'creditNote']), left: z.number().int(), next: z.number().int().nullable() })),
    }),
    roles: everyone,
  }),
] as const;


