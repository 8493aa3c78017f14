import { z } from 'zod';
import { managers, query } from './define.js';
import { uuidSchema } from '../ids.js';
import { because } from '../issues.js';

/** What the audit log records (issue 13 item 10): sensitive actions from the journal, and local security records. */
export const auditKinds = [
  'saleVoided',
  'saleRefunded',
  'discount',
  'priceOverride',
  'lineRemoved',
  'ticketAbandoned',
  'noSale',
  'priceChanged',
  'userCreated',
  'userUpdated',
  'settingChanged',
  'signInFailed',
  'lockedOut',
  'approvalRefused',
] as const;
export type AuditKind = (typeof auditKinds)[number];

const instant = z.iso.datetime({ offset: true, error: 'must be a date and time (ISO 8601)' });

export const auditEntrySchema = z.object({
  /** The event id (journal) or `sec-<n>` (local security record). */
  id: z.string(),
  at: z.string(),
  kind: z.enum(auditKinds),
  source: z.enum(['journal', 'security']),
  /** Who did it (or, for a failed sign-in, whom it was tried as); null when unknown. */
  userId: z.string().nullable(),
  userName: z.string().nullable(),
  approvedBy: z.string().nullable(),
  approvedByName: z.string().nullable(),
  /** The record as stored: the event's payload, or the security record's details. */
  details: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditListInput = z
  .strictObject({
    from: instant,
    to: instant,
    userId: uuidSchema.optional(),
    kind: z.enum(auditKinds).optional(),
    limit: z.number().int().min(1).max(500).default(100),
    cursor: z.string().max(200).optional(),
  })
  .refine((i) => Date.parse(i.from) <= Date.parse(i.to), because('rangeBackwards'));

export const auditMethods = [
  query({
    name: 'audit.list',
    summary:
      'The audit log, newest first, between `from` and `to`, optionally by person and kind: voids, refunds, discounts ' +
      'and overrides (with who approved them), removed lines, abandoned tickets, no-sale openings, price, user and ' +
      'setting changes from the journal; failed sign-ins, lockouts and refused approvals from the local security records.',
    input: auditListInput,
    output: z.object({ items: z.array(auditEntrySchema), next: z.string().nullable() }),
    roles: managers,
  }),
] as const;
