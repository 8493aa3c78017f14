import { managers, type ParsedInputOf } from '../../shared/contract/index.js';
import { AppError } from '../../shared/errors.js';
import type { EventDraft } from '../../shared/events.js';
import { takeFiscalNumber } from '../fiscal/take.js';
import type { CommandContext } from '../journal/command.js';
import { requireApproval } from '../users/approvals.js';
import type { SaleRow } from './sales.model.js';
import { salesProjection } from './sales.projection.js';
import type { CounterSettings } from './settings.js';
import { requireOpenSession } from '../cash/index.js';

/** A sale this node holds in its log (a terminal voids and refunds only those), locked for this command. */
export async function heldSale(ctx: CommandContext, saleId: string): Promise<SaleRow & { sale: NonNullable<SaleRow['sale']> }> {
  const row = await ctx.get(salesProjection, saleId);
  if (!row?.sale) throw AppError.t('NotFound', 'saleNotFound');
  if (row.voided) throw AppError.t('Conflict', 'saleAlreadyVoided');
  return row as SaleRow & { sale: NonNullable<SaleRow['sale']> };
}

/** sales.void: the whole sale, in the till session it was made in, with a credit note number; a cashier needs approval. */
export async function decideVoid(ctx: CommandContext, input: ParsedInputOf<'sales.void'>, settings: CounterSettings): Promise<EventDraft[]> {
  await requireOpenSession(ctx, input.tillSessionId);
  const row = await heldSale(ctx, input.saleId);
  if (row.sale.tillSessionId !== input.tillSessionId) throw AppError.t('Conflict', 'voidOtherSession');
  if (row.refunds.length > 0) throw AppError.t('Conflict', 'voidHasRefunds');
  const approval = managers.includes(ctx.principal.staffRole) ? null : await requireApproval(ctx, input.approvalId, 'void');
  const { grants, ref } = await takeFiscalNumber(ctx, 'creditNote', settings.series.creditNote, settings.rangeSize);
  return [
    ...grants,
    { type: 'SaleVoided', payload: { saleId: input.saleId, tillSessionId: input.tillSessionId, reason: input.reason, creditNote: ref, approval } },
  ];
}
