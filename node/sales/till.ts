import { AppError } from '../../shared/errors.js';
import type { CommandContext } from '../journal/command.js';

/**
 * The till session a sale, void or refund is made in: it must be open and on this device. Read from the cash
 * domain's read model (cash_sessions, migration 0015); the cash domain closes it, so a closed session refuses.
 */
export async function requireOpenTill(ctx: CommandContext, tillSessionId: string): Promise<void> {
  const [session] = await ctx.db.query<{ deviceId: string; status: string }>(
    'SELECT device_id::text AS "deviceId", status FROM cash_sessions WHERE store_id = $1 AND till_session_id = $2',
    [ctx.store.storeId, tillSessionId],
  );
  if (!session) throw AppError.t('NotFound', 'tillNotFound');
  if (session.deviceId !== ctx.deviceId) throw AppError.t('Conflict', 'tillOtherDevice');
  if (session.status !== 'open') throw AppError.t('Conflict', 'tillClosed');
}
