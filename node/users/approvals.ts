import type { z } from 'zod';
import type { approvalRef } from '../../shared/domains/counter.events.js';
import { AppError } from '../../shared/errors.js';
import type { CommandContext } from '../journal/command.js';

export type ApprovalRef = z.infer<typeof approvalRef>;
export type ApprovalAction = ApprovalRef['action'];

/**
 * A supervisor's approval of one named action, spent by the command that does it, inside that command's
 * transaction (so a retried command id does not spend it twice, and a refused command does not spend it).
 *
 * THE SEAM between the counter's domains and the users domain: sales and cash call this when the caller's role
 * needs approval for `action`; the users domain implements it (approvals granted by `users.approve` with a
 * supervisor's PIN, short-lived, single-use, local security records). Until it does, every approval is refused.
 */
export async function requireApproval(
  _ctx: CommandContext,
  approvalId: string | undefined,
  action: ApprovalAction,
): Promise<ApprovalRef> {
  throw new AppError('Forbidden', approvalId ? `That approval is not valid for "${action}". Ask a supervisor again.` : `This needs a supervisor's approval ("${action}").`);
}
