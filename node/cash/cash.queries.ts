import type { CashReport } from '../../shared/contract/cash.js';
import { AppError } from '../../shared/errors.js';
import type { ReadDb } from '../db/types.js';
import type { StoreScope } from '../handlers.js';
import { querySettings } from '../settings/index.js';
import { entriesOfSession, selectSessions } from './cash.projection.js';
import { cashReport } from './report.js';
import { findOpenSession, thisDeviceId } from './session.js';
import { toCashSession, type CashSessionRow } from './sessions.model.js';

/** The till's read side: the settings a count screen needs, the current session, X, Z and the list of Zs. */

export async function cashSettings(db: ReadDb, store: StoreScope) {
  const s = await querySettings(db, store.storeId, store.currency);
  return { currency: store.currency, denominations: s.cashDenominations, overShortThreshold: s.overShortThreshold };
}

export async function currentSession(db: ReadDb, store: StoreScope) {
  const deviceId = await thisDeviceId(db);
  const open = deviceId ? await findOpenSession(db, store.storeId, deviceId) : undefined;
  return { session: open ? toCashSession(open) : null };
}

async function sessionById(db: ReadDb, storeId: string, id: string): Promise<CashSessionRow | undefined> {
  const [row] = await selectSessions(db, 'store_id = $1 AND till_session_id = $2', [storeId, id]);
  return row;
}

const report = async (db: ReadDb, store: StoreScope, session: CashSessionRow): Promise<CashReport> =>
  cashReport({ session, entries: await entriesOfSession(db, store.storeId, session.id), currency: store.currency, now: new Date() });

/** The X of a session (default: this terminal's open one). A closed session's X is its Z. */
export async function xReport(db: ReadDb, store: StoreScope, tillSessionId: string | undefined): Promise<CashReport> {
  let session: CashSessionRow | undefined;
  if (tillSessionId) {
    session = await sessionById(db, store.storeId, tillSessionId);
    if (!session) throw AppError.t('NotFound', 'tillSessionNotFound');
  } else {
    const deviceId = await thisDeviceId(db);
    session = deviceId ? await findOpenSession(db, store.storeId, deviceId) : undefined;
    if (!session) throw AppError.t('Conflict', 'tillNotOpen');
  }
  return report(db, store, session);
}

/** A Z by its session, or by its number on a terminal (this one unless named). */
export async function zReport(db: ReadDb, store: StoreScope, input: { tillSessionId: string } | { zNumber: number; deviceId?: string | undefined }): Promise<CashReport> {
  let session: CashSessionRow | undefined;
  if ('tillSessionId' in input) {
    session = await sessionById(db, store.storeId, input.tillSessionId);
    if (!session) throw AppError.t('NotFound', 'tillSessionNotFound');
    if (session.status !== 'closed') throw AppError.t('Conflict', 'zNotYet');
  } else {
    const deviceId = input.deviceId ?? (await thisDeviceId(db));
    [session] = deviceId ? await selectSessions(db, "store_id = $1 AND device_id = $2 AND z_number = $3 AND status = 'closed'", [store.storeId, deviceId, input.zNumber]) : [];
    if (!session) throw AppError.t('NotFound', 'zNotFound');
  }
  return report(db, store, session);
}

const sumOf = (list: { amount: number }[] | null) => (list ?? []).reduce((a, t) => a + t.amount, 0);

/** A page cursor is a close time this list gave; anything else (or a year the database cannot hold) is refused. */
function pageTime(cursor: string): string {
  const at = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(cursor) ? Date.parse(cursor) : NaN;
  if (!(at >= Date.UTC(2000, 0, 1) && at < Date.UTC(2200, 0, 1))) throw AppError.t('ValidationError', 'badCursor');
  return new Date(at).toISOString();
}

/** The Zs, newest first, paged by the close time of the last one seen. */
export async function zList(db: ReadDb, store: StoreScope, input: { deviceId?: string | undefined; limit: number; before?: string | undefined }) {
  const params: unknown[] = [store.storeId, input.limit + 1];
  let where = "store_id = $1 AND status = 'closed'";
  if (input.deviceId) where += ` AND device_id = $${params.push(input.deviceId)}`;
  if (input.before !== undefined) where += ` AND closed_at < $${params.push(pageTime(input.before))}::timestamptz`;
  const rows = await selectSessions(db, `${where} ORDER BY closed_at DESC, till_session_id DESC LIMIT $2`, params);
  const page = rows.slice(0, input.limit);
  return {
    items: page.map((s) => ({
      tillSessionId: s.id,
      deviceId: s.deviceId,
      zNumber: s.zNumber ?? 0,
      cashierId: s.cashierId,
      openedAt: s.openedAt,
      closedAt: s.closedAt ?? s.openedAt,
      closedBy: s.closedBy ?? '',
      expected: sumOf(s.expected),
      counted: sumOf(s.counted),
      overShort: sumOf(s.counted) - sumOf(s.expected),
    })),
    next: rows.length > input.limit ? (page.at(-1)?.closedAt ?? null) : null,
  };
}
