import { z } from 'zod';
import { fiscalRef, taxLine, tenderKind } from './domains/counter.events.js';

/**
 * A receipt as data: what the node answers for a sale, refund or void, and what the renderer lays out for 58 or
 * 80 mm paper (and later ESC/POS). Amounts are integer minor units of `currency`; quantities integer thousandths.
 */
export const receiptSchema = z.object({
  kind: z.enum(['sale', 'refund', 'void']),
  /** The sale, refund or void this receipt is for. */
  documentId: z.string(),
  /** The original sale (refund and void receipts). */
  saleId: z.string(),
  store: z.object({ name: z.string(), header: z.array(z.string()), footer: z.array(z.string()) }),
  fiscal: fiscalRef.nullable(),
  currency: z.string(),
  lines: z.array(
    z.object({
      name: z.string(),
      quantity: z.number().int(),
      unit: z.enum(['unit', 'kg']),
      unitPrice: z.number().int(),
      discount: z.number().int(),
      total: z.number().int(),
      taxRateBp: z.number().int(),
    }),
  ),
  ticketDiscount: z.number().int(),
  total: z.number().int(),
  rounding: z.number().int(),
  taxes: z.array(taxLine),
  tenders: z.array(z.object({ kind: tenderKind, amount: z.number().int(), received: z.number().int(), reference: z.string().nullable() })),
  change: z.number().int(),
  cashier: z.string(),
  /** ISO time the document was issued. */
  issuedAt: z.string(),
  /** What the refund barcode on the receipt encodes (Code 128): finds the sale again at the counter. */
  barcode: z.string(),
  /** True on a reprint: the receipt says COPIA. */
  copy: z.boolean(),
});
export type Receipt = z.infer<typeof receiptSchema>;
