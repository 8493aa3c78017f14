import { z } from 'zod';
import { everyone, managers, query, type StaffRole } from './define.js';

const owner: readonly StaffRole[] = ['owner'];

/**
 * One reconciliation's outcome as reconcile_log keeps it: `in-sync` nothing differed; `converged` events were
 * replayed (`pulled` here from the central, `pushed` there) and both agree; `stalled` differences remain that replay
 * cannot fix (`reason`: tampered or forked events, refusals); `failed` the central could not be reached; `skipped`
 * another reconciliation of the store was running.
 */
export const lastReconcileSchema = z.object({
  at: z.string(),
  outcome: z.enum(['in-sync', 'converged', 'stalled', 'failed', 'skipped']),
  pulled: z.number().int().nonnegative(),
  pushed: z.number().int().nonnegative(),
  /** In English, for support (the screen says it in words by outcome). */
  reason: z.string(),
});
export type LastReconcile = z.infer<typeof lastReconcileSchema>;

/** The relay's state, for the status screen (R10, R11, issue 14 item 11). */
export const federationStatusSchema = z.object({
  enrolled: z.boolean(),
  centralUrl: z.string().nullable(),
  /** The last round with the central succeeded. */
  online: z.boolean(),
  lastContactAt: z.string().nullable(),
  lastError: z.string().nullable(),
  /** This device's events the central has not acknowledged yet. */
  backlog: z.number().int().nonnegative(),
  breaker: z.object({
    state: z.enum(['closed', 'open', 'halfOpen']),
    failures: z.number().int().nonnegative(),
    /** When an open breaker lets the next call out. */
    retryAt: z.string().nullable(),
  }),
  /** An event the central refused: the relay does not push past it until someone looks. */
  deadLetter: z
    .object({
      eventId: z.string(),
      reason: z.string(),
      at: z.string(),
      /** `refused`: the central said no to the event; `failing`: it answered but failed its batch 10 times in a row. */
      kind: z.enum(['refused', 'failing']).optional(),
      /** The central holds an alert for it. */
      alerted: z.boolean().optional(),
    })
    .nullable(),
  /** Fiscal numbers left in this device's ranges (null when the node keeps none). */
  fiscalNumbersLeft: z.number().int().nonnegative().nullable(),
  /** The newest reconciliation with the central (R12): when, and in sync, what was replayed each way, or why it stopped. */
  lastReconcile: lastReconcileSchema.nullable(),
  /** This machine's clock minus the central's at the last contact, in ms (positive: ahead); null before any contact. */
  clockSkewMs: z.number().int().nullable(),
  /** The skew passes 2 minutes: sales go on, but the clock should be fixed (the relay signs with the central's time). */
  clockSkewFlagged: z.boolean(),
  /** Answered failures of the same pushed event in a row; at `pushAttemptLimit` it becomes a dead letter. */
  pushAttempts: z.number().int().nonnegative(),
  pushAttemptLimit: z.number().int().positive(),
});
export type FederationStatus = z.infer<typeof federationStatusSchema>;

const centralUrlSchema = z
  .string()
  .trim()
  .max(300)
  .regex(/^https?:\/\/[^\s/?#]+(:\d+)?\/?$/, { message: 'the central address is like http://central.example:8080' })
  .transform((s) => s.replace(/\/$/, ''));

/**
 * Federation methods act on the node's link to its central, not on the store's journal: they append no event, so
 * they are declared as queries (no command id), and each is safe to repeat (a used enrollment code is refused).
 */
export const federationMethods = [
  query({
    name: 'federation.status',
    summary: 'Whether this terminal is joined to a central, online, its backlog, circuit breaker, dead letter and last reconciliation.',
    input: z.strictObject({}),
    output: federationStatusSchema,
    roles: everyone,
  }),
  query({
    name: 'federation.enroll',
    summary: "Joins this terminal to a central server with the owner's one-time enrollment code; keeps its device id.",
    input: z.strictObject({
      centralUrl: centralUrlSchema,
      code: z.string().trim().min(8).max(64),
      deviceName: z.string().trim().min(1).max(80).optional(),
    }),
    output: federationStatusSchema,
    roles: owner,
    priority: 'high',
  }),
  query({
    name: 'federation.syncNow',
    summary: 'Pulls from and pushes to the central now, and answers the relay status after it.',
    input: z.strictObject({}),
    output: federationStatusSchema,
    roles: managers,
  }),
  query({
    name: 'federation.resetBreaker',
    summary: 'Closes the circuit breaker around the central (after fixing the network), then tries a round.',
    input: z.strictObject({}),
    output: federationStatusSchema,
    roles: managers,
  }),
  query({
    name: 'federation.reconcileNow',
    summary: "Compares this terminal's log with the central's now and replays what either lacks (R12); answers the status with its result in lastReconcile.",
    input: z.strictObject({}),
    output: federationStatusSchema,
    roles: managers,
  }),
  query({
    name: 'federation.retryDeadLetter',
    summary: 'Tries again the event the relay halted on (a dead letter), after its cause was fixed; pushing resumes if the central takes it.',
    input: z.strictObject({}),
    output: federationStatusSchema,
    roles: owner,
  }),
] as const;
