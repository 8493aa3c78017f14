import type { z } from 'zod';
import type { approvalRef } from '../../shared/domains/counter.events.js';
import { AppError } from '../../shared/errors.js';
import type { Db } from '../db/types.js';
import type { CommandContext } from '../journal/command.js';

export type ApprovalRef = z.infer<typeof approvalRef>;
export type ApprovalAction = ApprovalRef['action'];

/** An approval lasts this long: the supervisor typed their PIN for the action in front of them, not for later. */
export const APPROVAL_TTL_MS = 2 * 60 * 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A supervisor's approval of one named action, spent by the command that does it, inside that command's
 * transaction (so a retried command id does not spend it twice, and a refused command does not spend it).
 *
 * THE SEAM between the counter's domains and the users domain: sales and cash call this when the caller's role
 * needs approval for `action`. Role-based exemption is the CALLER's decision: an owner or supervisor doing a void
 * themselves may need no approval, and then the caller does not call this (and records `approval: null`). Given an
 * approval id, this checks that it exists in this store, is for `action`, has not expired (2 minutes from
 * `users.approve`), has not been used, and was granted by a person who is still an active owner or supervisor; then
 * marks it used by this command, in the same transaction, and returns the reference to record in the event.
 * Without an id, or when any check fails: 403 with what to do.
 */
export async function requireApproval(ctx: CommandContext, approvalId: string | undefined, action: ApprovalAction): Promise<ApprovalRef> {
  if (!approvalId) throw AppError.t('Forbidden', 'approvalNeeded', { action });
  if (!UUID.test(approvalId)) throw AppError.t('Forbidden', 'approvalInvalid', { action });
  const [row] = await ctx.records.query<{ supervisor_id: string }>(
    `UPDATE approval a SET used_by = $4, used_at = $5
     FROM users u
     WHERE a.store_id = $1 AND a.id = $2::uuid AND a.action = $3 AND a.used_by IS NULL AND a.expires_at > $5
       AND u.store_id = a.store_id AND u.id = a.supervisor_id AND u.active AND u.role IN ('owner', 'supervisor')
     RETURNING a.supervisor_id::text AS supervisor_id`,
    [ctx.store.storeId, approvalId.toLowerCase(), action, ctx.commandId, ctx.now],
  );
  if (!row) throw AppError.t('Forbidden', 'approvalInvalid', { action });
  return { approvalId: approvalId.toLowerCase(), action, supervisorId: row.supervisor_id };
}

/** Records a granted approval (users.approve), after the supervisor's PIN or password was verified. */
export async function grantApproval(
  db: Db,
  a: { storeId: string; id: string; supervisorId: string; action: ApprovalAction; requestedBy: string; now: Date },
): Promise<Date> {
  const expiresAt = new Date(a.now.getTime() + APPROVAL_TTL_MS);
  await db.write((tx) =>
    tx.query(
      'INSERT INTO approval (store_id, id, supervisor_id, action, requested_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [a.storeId, a.id, a.supervisorId, a.action, a.requestedBy, a.now, expiresAt],
    ),
  );
  return expiresAt;
}
