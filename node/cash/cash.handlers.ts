import type { cashDomain } from '../../shared/domains/cash.js';
import { AppError } from '../../shared/errors.js';
import type { DomainHandlers } from '../domain.js';
import type { Decision } from '../journal/command.js';
import { commandSettings } from '../settings/index.js';
import { requireApproval } from '../users/approvals.js';
import { closeFigures, decideClose, decideMove, decideOpen, checkDenominations, needsApproval } from './cash.decide.js';
import { cashEntriesProjection, cashSessionsProjection, entriesOfSession } from './cash.projection.js';
import { cashSettings, currentSession, xReport, zList, zReport } from './cash.queries.js';
import { cashReport } from './report.js';
import { findOpenSession, requireOpenSession } from './session.js';
import { toCashSession } from './sessions.model.js';

type Read = Parameters<Decision<unknown>['result']>[0];

const sessionAfter = (id: string) => async (read: Read) => {
  const row = await read(cashSessionsProjection, id);
  if (!row) throw new AppError('Internal', 'the till session vanished while it was being saved');
  return row;
};

/** Next Z number of a device: gapless, because the device's commands run one at a time under its chain lock. */
async function nextZNumber(db: Parameters<typeof findOpenSession>[0], storeId: string, deviceId: string): Promise<number> {
  const [row] = await db.query<{ last: number }>('SELECT coalesce(max(z_number), 0)::int AS last FROM cash_sessions WHERE store_id = $1 AND device_id = $2', [storeId, deviceId]);
  return (row?.last ?? 0) + 1;
}

/** The till's API: queries read the store of the call; commands decide events (the runner does the rest). */
export const cashHandlers: DomainHandlers<typeof cashDomain> = {
  'cash.settings': (_input, ctx) => cashSettings(ctx.db, ctx.store),
  'cash.current': (_input, ctx) => currentSession(ctx.db, ctx.store),
  'cash.x': (input, ctx) => xReport(ctx.db, ctx.store, input.tillSessionId),
  'cash.z': (input, ctx) => zReport(ctx.db, ctx.store, input),
  'cash.zList': (input, ctx) => zList(ctx.db, ctx.store, input),

  async 'cash.open'(ctx, input) {
    const { cashDenominations } = await commandSettings(ctx, ['cashDenominations']);
    const open = await findOpenSession(ctx.db, ctx.store.storeId, ctx.deviceId);
    const id = ctx.newKey(cashSessionsProjection);
    const events = decideOpen(open, {
      tillSessionId: id,
      deviceId: ctx.deviceId,
      cashierId: ctx.actorId,
      float: input.float,
      denominations: cashDenominations,
      currency: ctx.store.currency,
    });
    return { events, result: async (read) => toCashSession(await sessionAfter(id)(read)) };
  },

  async 'cash.move'(ctx, input) {
    const session = await requireOpenSession(ctx);
    const approval = input.kind === 'noSale' && needsApproval(ctx.principal.staffRole) ? await requireApproval(ctx, input.approvalId, 'noSale') : null;
    const entryId = ctx.newKey(cashEntriesProjection);
    return {
      events: decideMove(session, { ...input, entryId }, approval),
      async result(read) {
        const e = await read(cashEntriesProjection, entryId);
        if (!e) throw new AppError('Internal', 'the drawer move vanished while it was being saved');
        return { id: e.id, kind: input.kind, amount: e.total, reason: e.reason ?? '', at: e.at, by: e.actorId, approvedBy: e.approval?.supervisorId ?? null };
      },
    };
  },

  async 'cash.close'(ctx, input) {
    const { cashDenominations, overShortThreshold } = await commandSettings(ctx, ['cashDenominations', 'overShortThreshold']);
    const session = await requireOpenSession(ctx);
    checkDenominations(input.cashCount, cashDenominations, ctx.store.currency, 'cashCount');
    const entries = await entriesOfSession(ctx.db, ctx.store.storeId, session.id);
    const figures = closeFigures(session, entries, input.cashCount, input.otherCounts);
    const approval = figures.worst > overShortThreshold && needsApproval(ctx.principal.staffRole) ? await requireApproval(ctx, input.approvalId, 'overShort') : null;
    const zNumber = await nextZNumber(ctx.db, ctx.store.storeId, ctx.deviceId);
    return {
      events: decideClose({ session, zNumber, cashCount: input.cashCount, figures, closedBy: ctx.actorId, approval }),
      result: async (read) => cashReport({ session: await sessionAfter(session.id)(read), entries, currency: ctx.store.currency, now: ctx.now }),
    };
  },
};
