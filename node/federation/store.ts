import type { EventEnvelope } from '../../shared/events.js';
import type { Db, ReadDb, WriteTx } from '../db/types.js';
import { capByBytes } from '../journal/outbox.js';
import { EVENT_COLUMNS, type EventRow } from '../journal/store.js';
import { closedBreaker, type BreakerPhase, type BreakerState } from './breaker.js';

/** The terminal's link to its central, as migration 0024 keeps it. */
export interface Link {
  centralUrl: string;
  deviceId: string;
  storeId: string;
  secret: string;
  enrolledAt: string;
  lastContactAt: string | null;
  centralTimeAtContact: string | null;
  lastError: string | null;
  deadLetter: DeadLetter | null;
}

/** An event the central refused: the relay halts on it (never skips it) until someone resolves it. */
export interface DeadLetter {
  eventId: string;
  reason: string;
  at: string;
}

export async function readLink(db: ReadDb): Promise<Link | undefined> {
  const [row] = await db.query<{
    central_url: string;
    device_id: string;
    store_id: string;
    secret: string;
    enrolled_at: Date;
    last_contact_at: Date | null;
    central_time_at_contact: Date | null;
    last_error: string | null;
    dead_letter: DeadLetter | null;
  }>('SELECT * FROM federation_link');
  if (!row) return undefined;
  return {
    centralUrl: row.central_url,
    deviceId: row.device_id,
    storeId: row.store_id,
    secret: row.secret,
    enrolledAt: row.enrolled_at.toISOString(),
    lastContactAt: row.last_contact_at?.toISOString() ?? null,
    centralTimeAtContact: row.central_time_at_contact?.toISOString() ?? null,
    lastError: row.last_error,
    deadLetter: row.dead_letter,
  };
}

export async function saveLink(tx: WriteTx, link: { centralUrl: string; deviceId: string; storeId: string; secret: string; centralTime: string }): Promise<void> {
  await tx.query(
    `INSERT INTO federation_link (singleton, central_url, device_id, store_id, secret, last_contact_at, central_time_at_contact)
     VALUES (true, $1, $2, $3, $4, now(), $5)
     ON CONFLICT (singleton) DO UPDATE SET central_url = excluded.central_url, device_id = excluded.device_id, store_id = excluded.store_id,
       secret = excluded.secret, enrolled_at = now(), last_contact_at = now(), central_time_at_contact = excluded.central_time_at_contact,
       last_error = NULL, dead_letter = NULL`,
    [link.centralUrl, link.deviceId, link.storeId, link.secret, link.centralTime],
  );
}

/** A successful exchange: when, and the central's clock then (null when the answer did not carry it). */
export async function recordContact(db: Db, centralTime: string | null): Promise<void> {
  await db.write((tx) =>
    tx.query('UPDATE federation_link SET last_contact_at = now(), central_time_at_contact = coalesce($1::timestamptz, central_time_at_contact), last_error = NULL', [
      centralTime,
    ]),
  );
}

export async function recordError(db: Db, message: string): Promise<void> {
  await db.write((tx) => tx.query('UPDATE federation_link SET last_error = $1', [message.slice(0, 500)]));
}

export async function setDeadLetter(db: Db, deadLetter: DeadLetter | null): Promise<void> {
  await db.write((tx) => tx.query('UPDATE federation_link SET dead_letter = $1::jsonb', [deadLetter === null ? null : JSON.stringify(deadLetter)]));
}

export async function readCursor(db: ReadDb, storeId: string): Promise<string> {
  const [row] = await db.query<{ cursor: string }>('SELECT cursor FROM federation_cursor WHERE store_id = $1', [storeId]);
  return row?.cursor ?? '0';
}

export async function saveCursor(db: Db, storeId: string, cursor: string): Promise<void> {
  await db.write((tx) => writeCursor(tx, storeId, cursor));
}

/** The cursor inside a transaction that also stores what it covers (a snapshot's install). */
export async function writeCursor(tx: WriteTx, storeId: string, cursor: string): Promise<void> {
  await tx.query(
    `INSERT INTO federation_cursor (store_id, cursor, pulled_at) VALUES ($1, $2, now())
     ON CONFLICT (store_id) DO UPDATE SET cursor = excluded.cursor, pulled_at = now()`,
    [storeId, cursor],
  );
}

export async function readBreaker(db: ReadDb, target: string): Promise<BreakerState> {
  const [row] = await db.query<{ phase: BreakerPhase; failures: number; successes: number; opened_at: Date | null }>(
    'SELECT phase, failures, successes, opened_at FROM federation_breaker WHERE target = $1',
    [target],
  );
  return row ? { phase: row.phase, failures: row.failures, successes: row.successes, openedAt: row.opened_at?.getTime() ?? null } : closedBreaker();
}

export async function saveBreaker(db: Db, target: string, state: BreakerState): Promise<void> {
  await db.write((tx) =>
    tx.query(
      `INSERT INTO federation_breaker (target, phase, failures, successes, opened_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (target) DO UPDATE SET phase = excluded.phase, failures = excluded.failures, successes = excluded.successes, opened_at = excluded.opened_at`,
      [target, state.phase, state.failures, state.successes, state.openedAt === null ? null : new Date(state.openedAt)],
    ),
  );
}

/** The device's own head: how far its journal goes. */
export async function ownHeadSeq(db: ReadDb, storeId: string, deviceId: string): Promise<number> {
  const [row] = await db.query<{ seq: number }>('SELECT seq FROM journal_head WHERE store_id = $1 AND device_id = $2', [storeId, deviceId]);
  return Number(row?.seq ?? 0);
}

/**
 * This device's events after `afterSeq`, from the journal itself: after the central reported a lower checkpoint
 * than ours the outbox rows may already be pruned, so the resend reads the log (capped like the outbox is).
 */
export async function ownEventsAfter(db: ReadDb, storeId: string, deviceId: string, afterSeq: number, limits: { maxEvents: number; maxBytes: number }): Promise<EventEnvelope[]> {
  const rows = await db.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM events WHERE store_id = $1 AND device_id = $2 AND device_seq > $3 ORDER BY device_seq LIMIT $4`,
    [storeId, deviceId, afterSeq, limits.maxEvents],
  );
  return capByBytes(rows, limits.maxBytes);
}

/** Events waiting in the outbox for the central (the backlog the status screen shows). */
export async function backlog(db: ReadDb, storeId: string, target: string): Promise<number> {
  const [row] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM outbox WHERE store_id = $1
       AND device_seq > (SELECT coalesce(max(acked_seq), 0) FROM outbox_checkpoint WHERE store_id = $1 AND target = $2)`,
    [storeId, target],
  );
  return row?.n ?? 0;
}
