import type { EventEnvelope } from '../../shared/events.js';
import type { Db, ReadDb, WriteTx } from '../db/types.js';
import { splitByBytes } from '../journal/outbox.js';
import { EVENT_COLUMNS, type EventRow } from '../journal/store.js';
import type { PushAttempts } from './attempts.js';
import { closedBreaker, type BreakerPhase, type BreakerState } from './breaker.js';

/** The terminal's link to its central, as migrations 0024 and 0038 keep it. */
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
  /** Answered failures of the same first event in a row (node/federation/attempts.ts). */
  pushAttempts: PushAttempts | null;
  /** This machine's clock minus the central's at the last contact. */
  clockSkewMs: number | null;
}

/** An event the central refused: the relay halts on it (never skips it) until someone resolves it. */
export interface DeadLetter {
  eventId: string;
  reason: string;
  at: string;
  /** `refused` by the central, or `failing`: answered failures of its batch up to the bound (attempts.ts). */
  kind?: 'refused' | 'failing';
  /** The central holds an alert for it (it raised one itself on a refusal, or took the relay's). */
  alerted?: boolean;
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
    push_attempts: PushAttempts | null;
    clock_skew_ms: string | number | null;
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
    pushAttempts: row.push_attempts,
    clockSkewMs: row.clock_skew_ms === null ? null : Number(row.clock_skew_ms),
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

/**
 * A successful exchange: when, the central's clock then and this machine's skew against it (null: not carried), and
 * after a push the central took, the end of a run of failed attempts.
 */
export async function recordContact(db: Db, contact: Contact = {}): Promise<void> {
  await db.write((tx) => noteContact(tx, contact));
}

type Contact = { centralTime?: string | null; skewMs?: number | null; pushed?: boolean };

/** recordContact inside a transaction that writes something else too (the relay's acknowledgement). */
export async function noteContact(tx: WriteTx, contact: Contact): Promise<void> {
  await tx.query(
    `UPDATE federation_link SET last_contact_at = now(), central_time_at_contact = coalesce($1::timestamptz, central_time_at_contact),
       clock_skew_ms = coalesce($2::bigint, clock_skew_ms), push_attempts = CASE WHEN $3::boolean THEN NULL ELSE push_attempts END, last_error = NULL`,
    [contact.centralTime ?? null, contact.skewMs === undefined || contact.skewMs === null ? null : Math.round(contact.skewMs), contact.pushed === true],
  );
}

export async function savePushAttempts(db: Db, attempts: PushAttempts | null): Promise<void> {
  await db.write((tx) => tx.query('UPDATE federation_link SET push_attempts = $1::jsonb', [attempts === null ? null : JSON.stringify(attempts)]));
}

export async function recordError(db: Db, message: string): Promise<void> {
  await db.write((tx) => tx.query('UPDATE federation_link SET last_error = $1', [message.slice(0, 500)]));
}

/** Halts the relay on an event (its run of attempts ends with it), or clears the halt to try that event again. */
export async function setDeadLetter(db: Db, deadLetter: DeadLetter | null): Promise<void> {
  await db.write((tx) => tx.query('UPDATE federation_link SET dead_letter = $1::jsonb, push_attempts = NULL', [deadLetter === null ? null : JSON.stringify(deadLetter)]));
}

/** The central took the alert of this dead letter (only if it is still the one halting the relay). */
export async function markAlerted(db: Db, deadLetter: DeadLetter): Promise<void> {
  await db.write((tx) =>
    tx.query(`UPDATE federation_link SET dead_letter = dead_letter || '{"alerted": true}'::jsonb WHERE dead_letter->>'eventId' = $1 AND dead_letter->>'at' = $2`, [
      deadLetter.eventId,
      deadLetter.at,
    ]),
  );
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

/** How far this node holds every other device's chain of the store (a range request carries it: grants.ts). */
export async function knownHeads(db: ReadDb, storeId: string, deviceId: string): Promise<{ deviceId: string; seq: number }[]> {
  const rows = await db.query<{ device_id: string; seq: number }>(
    'SELECT device_id::text AS device_id, seq FROM journal_head WHERE store_id = $1 AND device_id <> $2 AND seq > 0 ORDER BY seq DESC LIMIT 1000',
    [storeId, deviceId],
  );
  return rows.map((r) => ({ deviceId: r.device_id, seq: Number(r.seq) }));
}

/**
 * This device's events after `afterSeq`, from the journal itself: after the central reported a lower checkpoint
 * than ours the outbox rows may already be pruned, so the resend reads the log (in batches like the outbox's).
 */
export async function ownBatchesAfter(db: ReadDb, storeId: string, deviceId: string, afterSeq: number, limits: { maxEvents: number; maxBytes: number }): Promise<EventEnvelope[][]> {
  const rows = await db.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM events WHERE store_id = $1 AND device_id = $2 AND device_seq > $3 ORDER BY device_seq LIMIT $4`,
    [storeId, deviceId, afterSeq, limits.maxEvents],
  );
  return splitByBytes(rows, limits.maxBytes, rows.length === limits.maxEvents);
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
