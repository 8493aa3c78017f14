import type { EventOf } from '../../shared/events.js';
import type { ReadDb, WriteTx } from '../db/types.js';
import { defineProjection } from '../journal/projection.js';
import { applyCashEntryEvent, entryKeyOf, type CashEntryRow } from './entries.model.js';
import { applyCashSessionEvent, type CashSessionRow } from './sessions.model.js';

const iso = (value: Date | string | null): string | null => (value === null ? null : value instanceof Date ? value.toISOString() : new Date(value).toISOString());

// ---- Sessions -----------------------------------------------------------------------------------------------------

export const SESSION_COLUMNS = `till_session_id::text AS id, device_id::text AS "deviceId", cashier_id AS "cashierId", status,
  opened_at AS "openedAt", opened_by AS "openedBy", float, float_total AS "floatTotal", closed_at AS "closedAt",
  closed_by AS "closedBy", z_number AS "zNumber", cash_count AS "cashCount", counted, expected,
  close_approval AS "closeApproval", version`;

type SessionDbRow = Omit<CashSessionRow, 'openedAt' | 'closedAt'> & { openedAt: Date; closedAt: Date | null };

export const sessionFromDb = (row: SessionDbRow): CashSessionRow => ({ ...row, openedAt: iso(row.openedAt)!, closedAt: iso(row.closedAt) });

const SAVE_SESSIONS = `
INSERT INTO cash_sessions (store_id, till_session_id, device_id, cashier_id, status, opened_at, opened_by, float,
  float_total, closed_at, closed_by, z_number, cash_count, counted, expected, close_approval, version)
SELECT $1::uuid, r.id, r."deviceId", r."cashierId", r.status, r."openedAt", r."openedBy", r.float, r."floatTotal",
  r."closedAt", r."closedBy", r."zNumber", r."cashCount", r.counted, r.expected, r."closeApproval", r.version
FROM jsonb_to_recordset($2::jsonb) AS r(id uuid, "deviceId" uuid, "cashierId" text, status text, "openedAt" timestamptz,
  "openedBy" text, float jsonb, "floatTotal" bigint, "closedAt" timestamptz, "closedBy" text, "zNumber" integer,
  "cashCount" jsonb, counted jsonb, expected jsonb, "closeApproval" jsonb, version integer)
ON CONFLICT (store_id, till_session_id) DO UPDATE SET device_id = excluded.device_id, cashier_id = excluded.cashier_id,
  status = excluded.status, opened_at = excluded.opened_at, opened_by = excluded.opened_by, float = excluded.float,
  float_total = excluded.float_total, closed_at = excluded.closed_at, closed_by = excluded.closed_by,
  z_number = excluded.z_number, cash_count = excluded.cash_count, counted = excluded.counted,
  expected = excluded.expected, close_approval = excluded.close_approval, version = excluded.version`;

export async function selectSessions(db: ReadDb, where: string, params: unknown[]): Promise<CashSessionRow[]> {
  const rows = await db.query<SessionDbRow>(`SELECT ${SESSION_COLUMNS} FROM cash_sessions WHERE ${where}`, params);
  return rows.map(sessionFromDb);
}

const sessionMap = (rows: CashSessionRow[]) => new Map(rows.map((r) => [r.id, r]));

/**
 * Till sessions by id. THE SEAM for the sales domain: `ctx.get(cashSessionsProjection, tillSessionId)` inside a
 * sale's command reads (and locks) the session, whose `status` must be 'open' (see `requireOpenSession`).
 */
export const cashSessionsProjection = defineProjection<CashSessionRow, 'CashSessionOpened' | 'CashSessionClosed'>({
  name: 'cashSessions',
  topic: 'cash',
  handles: ['CashSessionOpened', 'CashSessionClosed'],
  keysOf: (event) => [event.payload.tillSessionId],
  apply: (row, event, key) => applyCashSessionEvent(row, event, key),
  load: async (tx, storeId, keys) =>
    sessionMap(await selectSessions(tx, 'store_id = $1 AND till_session_id = ANY($2::uuid[]) ORDER BY till_session_id FOR UPDATE', [storeId, keys])),
  loadAll: async (db, storeId) => sessionMap(await selectSessions(db, 'store_id = $1', [storeId])),
  async save(tx: WriteTx, storeId, rows) {
    await tx.query(SAVE_SESSIONS, [storeId, JSON.stringify(rows)]);
  },
  async remove(tx: WriteTx, storeId, keys) {
    await tx.query('DELETE FROM cash_sessions WHERE store_id = $1 AND till_session_id = ANY($2::uuid[])', [storeId, keys]);
  },
});

// ---- Entries ------------------------------------------------------------------------------------------------------

export const ENTRY_COLUMNS = `entry_id::text AS id, till_session_id::text AS "tillSessionId", kind, tenders, total, taxes,
  voided, void_session_id::text AS "voidSessionId", known, sale_id::text AS "saleId", reason, approval,
  actor_id AS "actorId", at`;

type EntryDbRow = Omit<CashEntryRow, 'at'> & { at: Date };

const entryFromDb = (row: EntryDbRow): CashEntryRow => ({ ...row, at: iso(row.at)! });

const SAVE_ENTRIES = `
INSERT INTO cash_session_entries (store_id, entry_id, till_session_id, kind, tenders, total, taxes, voided,
  void_session_id, known, sale_id, reason, approval, actor_id, at)
SELECT $1::uuid, r.id, r."tillSessionId", r.kind, r.tenders, r.total, r.taxes, r.voided, r."voidSessionId", r.known,
  r."saleId", r.reason, r.approval, r."actorId", r.at
FROM jsonb_to_recordset($2::jsonb) AS r(id uuid, "tillSessionId" uuid, kind text, tenders jsonb, total bigint,
  taxes jsonb, voided boolean, "voidSessionId" uuid, known boolean, "saleId" uuid, reason text, approval jsonb,
  "actorId" text, at timestamptz)
ON CONFLICT (store_id, entry_id) DO UPDATE SET till_session_id = excluded.till_session_id, kind = excluded.kind,
  tenders = excluded.tenders, total = excluded.total, taxes = excluded.taxes, voided = excluded.voided,
  void_session_id = excluded.void_session_id, known = excluded.known, sale_id = excluded.sale_id,
  reason = excluded.reason, approval = excluded.approval, actor_id = excluded.actor_id, at = excluded.at`;

export async function selectEntries(db: ReadDb, where: string, params: unknown[]): Promise<CashEntryRow[]> {
  const rows = await db.query<EntryDbRow>(`SELECT ${ENTRY_COLUMNS} FROM cash_session_entries WHERE ${where}`, params);
  return rows.map(entryFromDb);
}

/** Every entry of one session, oldest first (an X or a Z reads them all). */
export const entriesOfSession = (db: ReadDb, storeId: string, tillSessionId: string) =>
  selectEntries(db, 'store_id = $1 AND till_session_id = $2 ORDER BY at, entry_id', [storeId, tillSessionId]);

const entryMap = (rows: CashEntryRow[]) => new Map(rows.map((r) => [r.id, r]));

/** The event types that move money in a session: the till's ledger and the sales domain's sales (by type name). */
type EntryEventType = 'CashLedgerEntryCreated' | 'SaleCreated' | 'SaleVoided' | 'SaleRefunded';

/** What moved money in each till session: sales, refunds (and voids, marking their sale), cash in/out, no-sale. */
export const cashEntriesProjection = defineProjection<CashEntryRow, EntryEventType>({
  name: 'cashEntries',
  topic: 'cash',
  handles: ['CashLedgerEntryCreated', 'SaleCreated', 'SaleVoided', 'SaleRefunded'],
  keysOf: (event: EventOf<EntryEventType>) => [entryKeyOf(event)],
  apply: (row, event: EventOf<EntryEventType>, key) => applyCashEntryEvent(row, event, key),
  load: async (tx, storeId, keys) =>
    entryMap(await selectEntries(tx, 'store_id = $1 AND entry_id = ANY($2::uuid[]) ORDER BY entry_id FOR UPDATE', [storeId, keys])),
  loadAll: async (db, storeId) => entryMap(await selectEntries(db, 'store_id = $1', [storeId])),
  async save(tx: WriteTx, storeId, rows) {
    await tx.query(SAVE_ENTRIES, [storeId, JSON.stringify(rows)]);
  },
  async remove(tx: WriteTx, storeId, keys) {
    await tx.query('DELETE FROM cash_session_entries WHERE store_id = $1 AND entry_id = ANY($2::uuid[])', [storeId, keys]);
  },
});
