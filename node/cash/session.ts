import { AppError } from '../../shared/errors.js';
import type { ReadDb } from '../db/types.js';
import type { CommandContext } from '../journal/command.js';
import { cashSessionsProjection, selectSessions } from './cash.projection.js';
import type { CashSessionRow } from './sessions.model.js';

/**
 * Finding the till session a sale or a drawer move belongs to. The sales domain uses `requireOpenSession` inside
 * its commands (a sale needs an open session on the terminal that records it).
 */

/** This node's device (queries have no author; the node's identity is its terminal). */
export async function thisDeviceId(db: ReadDb): Promise<string | undefined> {
  const [row] = await db.query<{ deviceId: string }>('SELECT device_id::text AS "deviceId" FROM node_identity LIMIT 1');
  return row?.deviceId;
}

/** A device's open session, if any (not locked: for queries, and for commands before `ctx.get`). */
export async function findOpenSession(db: ReadDb, storeId: string, deviceId: string): Promise<CashSessionRow | undefined> {
  const [row] = await selectSessions(db, "store_id = $1 AND device_id = $2 AND status = 'open' ORDER BY opened_at DESC LIMIT 1", [storeId, deviceId]);
  return row;
}

/**
 * Inside a command: the open session of the device writing it, read and locked through the projection (so the
 * command's events and this check are one transaction). With `tillSessionId` (the screen knows it from
 * `cash.current`) it costs one statement; without, two. Refuses (409) a closed till, a closed or unknown session,
 * and another terminal's session.
 */
export async function requireOpenSession(ctx: CommandContext, tillSessionId?: string): Promise<CashSessionRow> {
  const id = tillSessionId ?? (await findOpenSession(ctx.db, ctx.store.storeId, ctx.deviceId))?.id;
  if (!id) throw AppError.t('Conflict', 'tillNotOpen');
  const session = await ctx.get(cashSessionsProjection, id);
  if (!session) throw AppError.t(tillSessionId ? 'NotFound' : 'Conflict', tillSessionId ? 'tillSessionNotFound' : 'tillNotOpen');
  if (session.deviceId !== ctx.deviceId) throw AppError.t('Conflict', 'tillSessionNotHere');
  if (session.status !== 'open') throw AppError.t('Conflict', 'tillSessionClosed', { zNumber: session.zNumber });
  return session;
}
