import { z } from 'zod';
import { command, everyone, local, query } from './define.js';
import { minorUnitsSchema } from '../money.js';
import { optionalTextSchema, textSchema } from '../text.js';
import { uuidSchema } from '../ids.js';
import { barcodeSchema } from './products.js';

/** Quantities are integer thousandths (1000 = one unit or one kilogram); a ticket line holds at most a tonne. */
export const ticketQuantitySchema = z
  .number({ error: 'quantity must be a number' })
  .int('quantity must be whole thousandths')
  .min(1, 'quantity must be more than zero')
  .max(1_000_000_000, 'quantity is too large');

export const ticketLineSchema = z.strictObject({
  lineId: uuidSchema,
  productId: uuidSchema,
  name: textSchema(120, 'name'),
  barcode: barcodeSchema.nullable(),
  quantity: ticketQuantitySchema,
  unit: z.enum(['unit', 'kg']),
  /** Price per unit or kilogram, tax included, after any override. */
  unitPrice: minorUnitsSchema,
  /** The catalog's price when the line was added (differs from unitPrice after an override). */
  listPrice: minorUnitsSchema,
  /** Money off this line, tax included. */
  discount: minorUnitsSchema,
  taxRateBp: z.number().int('tax rate must be whole basis points').min(0).max(10_000),
  /** The supervisor's approval of an override or discount past the cashier's limit (users.approve). */
  approvalId: uuidSchema.nullable(),
});
export type TicketLine = z.infer<typeof ticketLineSchema>;

export const ticketStatus = z.enum(['open', 'parked']);

export const openTicketSchema = z.strictObject({
  ticketId: uuidSchema,
  /** Grows with every change the renderer makes; the node keeps the highest it has seen. */
  revision: z.number().int('revision must be a whole number').min(1).max(Number.MAX_SAFE_INTEGER),
  status: ticketStatus,
  /** What the cashier calls a parked ticket ("señora del perro"); empty when not named. */
  label: optionalTextSchema(40, 'label'),
  lines: z.array(ticketLineSchema).max(300, 'a ticket holds at most 300 lines'),
  ticketDiscount: minorUnitsSchema,
  ticketDiscountApprovalId: uuidSchema.nullable(),
});
export type OpenTicket = z.infer<typeof openTicketSchema>;

export const storedTicketSchema = openTicketSchema.extend({ updatedAt: z.string(), updatedBy: z.string() });
export type StoredTicket = z.infer<typeof storedTicketSchema>;

export const ticketMethods = [
  local({
    name: 'tickets.save',
    summary:
      'Keeps the open ticket of this terminal as it is now (not journaled: working state, replaced on every change). ' +
      'Idempotent by ticket id and revision: an older or equal revision changes nothing; the answer says which revision is kept.',
    input: openTicketSchema,
    output: z.object({ ticketId: z.string(), revision: z.number().int() }),
    roles: everyone,
  }),
  local({
    name: 'tickets.close',
    summary:
      'Forgets an open ticket once its sale is complete. Idempotent: closing a ticket the node does not keep changes nothing.',
    input: z.strictObject({ ticketId: uuidSchema }),
    output: z.object({ ticketId: z.string(), closed: z.boolean() }),
    roles: everyone,
  }),
  query({
    name: 'tickets.list',
    summary: 'The open and parked tickets this terminal keeps, newest change first: what the checkout restores after a reload, a sign-out or a crash.',
    input: z.strictObject({}),
    output: z.object({ tickets: z.array(storedTicketSchema) }),
    roles: everyone,
    priority: 'high',
  }),
  command({
    name: 'tickets.removeLine',
    summary: 'Records a line taken off an open ticket, for the audit log (TicketLineRemoved).',
    input: z.strictObject({
      ticketId: uuidSchema,
      productId: uuidSchema,
      name: textSchema(120, 'name'),
      quantity: ticketQuantitySchema,
      amount: minorUnitsSchema,
    }),
    output: z.object({ ticketId: z.string() }),
    roles: everyone,
  }),
  command({
    name: 'tickets.abandon',
    summary:
      'Abandons an open ticket: the node forgets it and the audit log records it with its lines and amount (TicketAbandoned).',
    input: z.strictObject({ ticketId: uuidSchema, reason: textSchema(200, 'reason') }),
    output: z.object({ ticketId: z.string(), lines: z.number().int(), amount: z.number().int() }),
    roles: everyone,
  }),
] as const;
