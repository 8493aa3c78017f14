import { z } from 'zod';
import { tenderKind } from '../domains/counter.events.js';
import { uuidSchema } from '../ids.js';
import { minorUnitsSchema } from '../money.js';
import { textSchema } from '../text.js';
import { command, everyone, query } from './define.js';

/**
 * The till (cash domain): a session per terminal, opened with a counted float, cash in/out and no-sale openings,
 * the X report at any time, and the close with a blind count that makes the session's one immutable Z.
 * Amounts are integer minor units of the store's currency.
 */

/** Who may work a till: everyone but the stock clerk. */
export const tillRoles = ['owner', 'supervisor', 'cashier'] as const;

const MAX_DENOMINATIONS = 40;
const MAX_PIECES = 1_000_000;

/** How many notes or coins of one denomination were counted (one row per denomination). */
export const denominationCountSchema = z.strictObject({
  denomination: minorUnitsSchema.min(1, 'a denomination is worth at least 1'),
  count: z.number().int('a count is a whole number of notes or coins').min(0, 'a count cannot be negative').max(MAX_PIECES),
});

/** A count of the drawer by denomination; each denomination at most once, and one of the store's denominations. */
export const cashCountSchema = z
  .array(denominationCountSchema)
  .max(MAX_DENOMINATIONS)
  .refine((rows) => new Set(rows.map((r) => r.denomination)).size === rows.length, { error: 'each denomination at most once' });

export const tenderKindSchema = tenderKind;

export const cashSessionSchema = z.object({
  id: z.string(),
  deviceId: z.string(),
  cashierId: z.string(),
  status: z.enum(['open', 'closed']),
  openedAt: z.string(),
  openedBy: z.string(),
  float: z.array(z.object({ denomination: z.number().int(), count: z.number().int() })),
  floatTotal: z.number().int(),
  closedAt: z.string().nullable(),
  closedBy: z.string().nullable(),
  /** The Z's number (per device, gapless); null while the session is open. */
  zNumber: z.number().int().nullable(),
});
export type CashSession = z.infer<typeof cashSessionSchema>;

/** One tender kind's line of an X or a Z (cash also has the float and the drawer moves). */
export const tenderSummarySchema = z.object({
  kind: z.string(),
  /** Opening float (cash only; 0 for other kinds). */
  float: z.number().int(),
  /** Money taken by sales still standing (voided sales excluded). */
  sales: z.number().int(),
  /** Money given back by refunds. */
  refunds: z.number().int(),
  /** Money of the sales voided in this session (not in `sales`, shown for the record). */
  voids: z.number().int(),
  cashIn: z.number().int(),
  cashOut: z.number().int(),
  /** float + sales − refunds + cashIn − cashOut. */
  expected: z.number().int(),
  /** What the close counted (null on an X). */
  counted: z.number().int().nullable(),
  /** counted − expected: positive over, negative short (null on an X). */
  overShort: z.number().int().nullable(),
});
export type TenderSummary = z.infer<typeof tenderSummarySchema>;

export const cashMovementSchema = z.object({
  id: z.string(),
  kind: z.enum(['in', 'out', 'noSale']),
  amount: z.number().int(),
  reason: z.string(),
  at: z.string(),
  by: z.string(),
  /** The supervisor who approved it (no-sale openings by cashiers), or null. */
  approvedBy: z.string().nullable(),
});
export type CashMovement = z.infer<typeof cashMovementSchema>;

/**
 * An X (the session so far, any time, changes nothing) or a Z (the closed session, immutable): per tender kind the
 * money in and out and what the drawer should hold; the counts; the totals; net tax per rate; the drawer moves.
 */
export const cashReportSchema = z.object({
  kind: z.enum(['X', 'Z']),
  session: cashSessionSchema,
  currency: z.string(),
  /** When the report was read (X) or the session closed (Z). */
  at: z.string(),
  /** One line per tender kind; cash is always first. */
  tenders: z.array(tenderSummarySchema),
  counts: z.object({
    sales: z.number().int(),
    refunds: z.number().int(),
    voids: z.number().int(),
    cashIn: z.number().int(),
    cashOut: z.number().int(),
    noSale: z.number().int(),
  }),
  totals: z.object({
    /** Σ of standing sales (what customers paid, after rounding). */
    sales: z.number().int(),
    refunds: z.number().int(),
    voids: z.number().int(),
    /** sales − refunds. */
    net: z.number().int(),
    /** Σ expected over tenders (float and drawer moves included). */
    expected: z.number().int(),
    /** Σ counted over tenders (null on an X). */
    counted: z.number().int().nullable(),
    /** Σ over/short (null on an X). */
    overShort: z.number().int().nullable(),
  }),
  /** Net tax per rate (sales − refunds), tax included prices: base + tax = what was paid at that rate. */
  taxes: z.array(z.object({ rateBp: z.number().int(), base: z.number().int(), tax: z.number().int() })),
  /** Cash in/out and no-sale openings, oldest first. */
  movements: z.array(cashMovementSchema),
  /** The close's count by denomination (Z only; empty on an X). */
  cashCount: z.array(z.object({ denomination: z.number().int(), count: z.number().int() })),
  /** The supervisor who approved an over/short past the threshold, or null. */
  closeApprovedBy: z.string().nullable(),
});
export type CashReport = z.infer<typeof cashReportSchema>;

export const cashSettingsSchema = z.object({
  currency: z.string(),
  /** The store's notes and coins, largest first, in minor units. */
  denominations: z.array(z.number().int()),
  /** Over/short (absolute, any tender) above which a cashier's close needs a supervisor's approval. */
  overShortThreshold: z.number().int(),
});

export const cashOpenInput = z.strictObject({
  /** The float counted by denomination (the store's denominations only). */
  float: cashCountSchema,
});

export const cashMoveInput = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.enum(['in', 'out']),
    amount: minorUnitsSchema.min(1, 'the amount must be more than zero'),
    reason: textSchema(200, 'reason'),
    approvalId: uuidSchema.optional(),
  }),
  z.strictObject({
    kind: z.literal('noSale'),
    reason: textSchema(200, 'reason'),
    /** A supervisor's approval (users.approve, action "noSale"); cashiers need one. */
    approvalId: uuidSchema.optional(),
  }),
]);

export const cashCloseInput = z.strictObject({
  /** The blind count of the drawer by denomination: the cashier never needs the expected figure. */
  cashCount: cashCountSchema,
  /** Totals of the other tenders as counted (card batch, transfers received); a kind left out counts as expected. */
  otherCounts: z
    .array(z.strictObject({ kind: z.enum(['card', 'transfer']), amount: minorUnitsSchema }))
    .max(10)
    .refine((rows) => new Set(rows.map((r) => r.kind)).size === rows.length, { error: 'each tender kind at most once' })
    .default([]),
  /** A supervisor's approval (action "overShort") when a cashier's over/short passes the threshold. */
  approvalId: uuidSchema.optional(),
});

export const cashZInput = z.union([
  z.strictObject({ tillSessionId: uuidSchema }),
  z.strictObject({ zNumber: z.number().int().min(1).max(1_000_000_000), deviceId: uuidSchema.optional() }),
]);

export const zSummarySchema = z.object({
  tillSessionId: z.string(),
  deviceId: z.string(),
  zNumber: z.number().int(),
  cashierId: z.string(),
  openedAt: z.string(),
  closedAt: z.string(),
  closedBy: z.string(),
  expected: z.number().int(),
  counted: z.number().int(),
  overShort: z.number().int(),
});

export const cashZListInput = z.strictObject({
  deviceId: uuidSchema.optional(),
  limit: z.number().int().min(1).max(200).default(50),
  /** Paging: the `next` of the previous page (the close time of the last Z seen; newest first). */
  before: z.string().max(64).optional(),
});

export const cashMethods = [
  query({
    name: 'cash.settings',
    summary: "The store's currency, its notes and coins (for the count screens) and the over/short threshold.",
    input: z.strictObject({}),
    output: cashSettingsSchema,
    roles: tillRoles,
  }),
  query({
    name: 'cash.current',
    summary: "This terminal's open till session, or null when the till is closed (a sale needs an open one).",
    input: z.strictObject({}),
    output: z.object({ session: cashSessionSchema.nullable() }),
    roles: everyone,
    priority: 'high',
  }),
  command({
    name: 'cash.open',
    summary:
      'Opens the till on this terminal with a float counted by denomination (CashSessionOpened). One open session ' +
      'per terminal: a second is refused (409) until the first is closed.',
    input: cashOpenInput,
    output: cashSessionSchema,
    roles: tillRoles,
  }),
  command({
    name: 'cash.move',
    summary:
      'Cash in or out of the open till with a reason, or a no-sale drawer opening (CashLedgerEntryCreated). A ' +
      "cashier's no-sale needs a supervisor's approval (approvalId, action noSale).",
    input: cashMoveInput,
    output: cashMovementSchema,
    roles: tillRoles,
  }),
  query({
    name: 'cash.x',
    summary:
      'The X report of a session at any time (default: this terminal’s open one): per tender sales, refunds, ' +
      'voids, cash in/out and the expected figure; counts, totals, net tax per rate and the drawer moves.',
    input: z.strictObject({ tillSessionId: uuidSchema.optional() }),
    output: cashReportSchema,
    roles: tillRoles,
  }),
  command({
    name: 'cash.close',
    summary:
      "Closes this terminal's open till with a blind count by denomination (CashSessionClosed) and answers its Z: " +
      'expected vs counted per tender and the over/short. A cashier past the over/short threshold needs an ' +
      'approval (action overShort). The Z is numbered per terminal without gaps and never changes.',
    input: cashCloseInput,
    output: cashReportSchema,
    roles: tillRoles,
  }),
  query({
    name: 'cash.z',
    summary: "A Z report, by its session or by its number (this terminal's unless deviceId is given).",
    input: cashZInput,
    output: cashReportSchema,
    roles: tillRoles,
  }),
  query({
    name: 'cash.zList',
    summary: 'The Z reports, newest first (all terminals of the store, or one with deviceId), paged with `before`.',
    input: cashZListInput,
    output: z.object({ items: z.array(zSummarySchema), next: z.string().nullable() }),
    roles: tillRoles,
  }),
] as const;
