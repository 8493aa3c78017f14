import type { z } from 'zod';
import type { pushResponse, WireEvent } from '../../shared/federation.js';
import type { Db, WriteTx } from '../db/types.js';
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../shared/canonical.js';
import { AppError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { createLogger } from '../log.js';
import { upcast, type DomainEvent, type EventEnvelope } from '../../shared/events.js';
import { route } from '../domains.js';
import { ProjectionState } from '../journal/projection.js';
import { alertOverRefunds } from './anomalies.js';
import { recordFiscalEvents } from './fiscal-track.js';
import type { SignedDevice } from './signature.js';

const log = createLogger('central-ingest');

export type PushResult = z.infer<typeof pushResponse>;
type Refused = NonNullable<PushResult['refused']>;

interface Head {
  seq: number;
  hash: string;
  hlc: string;
}

/**
 * The columns of an event row plus its place in the batch; `store_seq` is the store's counter before the batch plus
 * `ord`. The counter row is updated in the same statement, and its lock held to commit, so commit order is
 * store_seq order within a store (docs/decisions/0010-central-order.md).
 */
export const INSERT_ORDERED = `
WITH o AS (
  UPDATE store_order SET seq = seq + $2 WHERE store_id = $1 RETURNING seq - $2 AS base
), ev AS (
  INSERT INTO events (store_id, event_id, command_id, device_id, device_seq, type, version, payload, actor_id, hlc,
    created_at, prev_hash, hash, store_seq)
  SELECT e.store_id, e.event_id, e.command_id, e.device_id, e.device_seq, e.type, e.version, e.payload, e.actor_id,
    e.hlc, e.created_at, e.prev_hash, e.hash, o.base + e.ord
  FROM jsonb_to_recordset($3::jsonb) AS e(store_id uuid, event_id uuid, command_id uuid, device_id uuid,
    device_seq bigint, type text, version integer, payload jsonb, actor_id text, hlc text, created_at timestamptz,
    prev_hash text, hash text, ord bigint) CROSS JOIN o
  RETURNING 1
), h AS (
  UPDATE journal_head SET seq = $5, hash = $6, hlc = $7 WHERE store_id = $1 AND device_id = $4 RETURNING 1
)
SELECT (SELECT count(*) FROM ev)::int AS inserted, (SELECT count(*) FROM h)::int AS moved, (SELECT count(*) FROM o)::int AS ordered`;

/** An event as this build reads it (upcast to its current version), or why it cannot. */
type Reading = { event: DomainEvent } | { error: unknown };

const readEvent = (event: WireEvent): Reading => {
  try {
    return { event: upcast(event as EventEnvelope) };
  } catch (error) {
    return { error };
  }
};

/**
 * Appends a device's verified, contiguous events to the store's log in one statement, and moves its head.
 * `readings[i]` is `events[i]` read by this build: the push reads them before its transaction, so no store lock
 * waits on that CPU.
 */
export async function insertOrdered(
  tx: WriteTx,
  storeId: string,
  deviceId: string,
  events: readonly WireEvent[],
  to: Head,
  readings: readonly Reading[] = events.map(readEvent),
): Promise<void> {
  const rows = events.map((e, i) => ({ ...e, ord: i + 1 }));
  const [row] = await tx.query<{ inserted: number; moved: number; ordered: number }>(INSERT_ORDERED, [
    storeId,
    events.length,
    JSON.stringify(rows),
    deviceId,
    to.seq,
    to.hash,
    to.hlc,
  ]);
  if (Number(row?.ordered) !== 1) throw new Error(`store ${storeId} has no order row (was it enrolled?)`);
  if (Number(row?.inserted) !== events.length || Number(row?.moved) !== 1) throw new Error('the batch was not stored whole; it was not applied');
  await projectAtCentral(tx, storeId, events, readings);
}

/**
 * The central keeps the store's read models too (the back office and store reports read them, and the federation's
 * digests compare them with every terminal's), folded by the same projections in the same transaction as the events.
 * The log comes first: an event this build cannot read (a newer release's), or one a read model refuses, is still
 * stored and acknowledged (the relay must not halt on the central's version) and raised as an alert; a rebuild after
 * an upgrade folds it. What the folded rows show went wrong across terminals (a sale refunded past what was sold)
 * is raised as an alert too (anomalies.ts): never refused, the refunds are facts.
 */
async function projectAtCentral(tx: WriteTx, storeId: string, events: readonly WireEvent[], readings: readonly Reading[]): Promise<void> {
  const readable: DomainEvent[] = [];
  const unread: { eventId: string; type: string; error: unknown }[] = [];
  for (const [i, event] of events.entries()) {
    const reading = readings[i]!;
    if ('event' in reading) readable.push(reading.event);
    else unread.push({ eventId: event.event_id, type: event.type, error: reading.error });
  }
  // One line per batch, not per event: a newer release's terminal sends them by the thousand.
  if (unread.length > 0) {
    const [first] = unread;
    log.warn(
      { storeId, unread: unread.length, types: [...new Set(unread.map((u) => u.type))], eventId: first!.eventId, err: first!.error },
      'events stored but not folded into the central read models',
    );
  }
  if (readable.length === 0) return;
  await tx.query('SAVEPOINT central_project');
  try {
    const state = new ProjectionState(tx, storeId);
    await state.project(readable, route);
    await state.flush();
    await alertOverRefunds(tx, storeId, state, readable);
    await tx.query('RELEASE SAVEPOINT central_project');
  } catch (error) {
    await tx.query('ROLLBACK TO SAVEPOINT central_project');
    log.error({ storeId, err: error }, 'ALERT: the central read models refused a batch it stored; rebuild them');
    await tx.query('INSERT INTO central_alerts (store_id, alert_id, device_id, event_id, reason) VALUES ($1, $2, $3, $4, $5)', [
      storeId,
      newId(),
      events[0]!.device_id,
      events[0]!.event_id,
      `read models refused the batch: ${(error as Error).message}`.slice(0, 500),
    ]);
  }
}

/**
 * Push (R9): checks each event of the signed device against what the central holds of its chain and stores the new
 * ones in one transaction. Same id and hash as held: a duplicate. Same id with another hash, or a held device_seq
 * under another id: refused and alerted (`central_alerts`, and the log; a dead letter on the relay). A gap (the relay is ahead of what the central
 * holds): nothing new is taken, and the answer's ackedSeq tells the relay where to resume.
 */
export async function ingest(db: Db, device: SignedDevice, events: readonly WireEvent[]): Promise<PushResult> {
  // The hashing and reading are the CPU of an ingest: done before the transaction, so no lock or connection waits on them.
  const sorted = [...events].sort((a, b) => a.device_seq - b.device_seq);
  const hashes = sorted.map(hashOrNothing);
  const readings = new Map(sorted.map((e) => [e, readEvent(e)]));
  const result = await db.write(async (tx) => {
    const [head] = await tx.query<Head>('SELECT seq, hash, hlc FROM journal_head WHERE store_id = $1 AND device_id = $2 FOR UPDATE', [
      device.storeId,
      device.deviceId,
    ]);
    if (!head) throw new Error(`device ${device.deviceId} has no head at the central`);
    const held = await heldEvents(tx, device, sorted.filter((e) => e.device_seq <= head.seq));
    const plan = planIngest(device, { ...head, seq: Number(head.seq) }, sorted, held, hashes);
    if (plan.refused) {
      await tx.query('INSERT INTO central_alerts (store_id, alert_id, device_id, event_id, reason) VALUES ($1, $2, $3, $4, $5)', [
        device.storeId,
        newId(),
        device.deviceId,
        plan.refused.eventId,
        plan.refused.reason,
      ]);
    }
    if (plan.accepted.length > 0) {
      await recordFiscalEvents(tx, device.storeId, plan.accepted);
      await insertOrdered(tx, device.storeId, device.deviceId, plan.accepted, plan.head, plan.accepted.map((e) => readings.get(e)!));
    }
    return { ackedSeq: plan.head.seq, inserted: plan.accepted.length, duplicates: plan.duplicates, refused: plan.refused };
  }).catch((error: unknown) => {
    // PostgreSQL's data exceptions (class 22: e.g. a lone surrogate jsonb refuses) are the content's fault, not ours.
    if (String((error as { code?: unknown }).code ?? '').startsWith('22')) {
      throw new AppError('ValidationError', `An event of this batch cannot be stored: ${(error as Error).message}.`);
    }
    throw error;
  });
  if (result.refused) log.error({ ...device, refused: result.refused }, 'ALERT: an event was refused at the central (dead letter)');
  return result;
}

async function heldEvents(tx: WriteTx, device: SignedDevice, old: readonly WireEvent[]): Promise<Map<number, { event_id: string; hash: string }>> {
  if (old.length === 0) return new Map();
  const rows = await tx.query<{ device_seq: number; event_id: string; hash: string }>(
    `SELECT device_seq, event_id::text AS event_id, hash FROM events
     WHERE store_id = $1 AND device_id = $2 AND device_seq = ANY($3::bigint[])`,
    [device.storeId, device.deviceId, old.map((e) => e.device_seq)],
  );
  return new Map(rows.map((r) => [Number(r.device_seq), r]));
}

export interface IngestPlan {
  accepted: WireEvent[];
  duplicates: number;
  refused: Refused | null;
  head: Head;
}

/**
 * An event's hash as node/journal/chain.ts `eventHash` computes it (SHA-256 of the canonical JSON without `hash`),
 * with Node's native SHA-256: about five times faster than the portable one shared/ must use (ingest.test.ts checks
 * that both agree).
 */
export function contentHash(event: WireEvent): string {
  return createHash('sha256').update(canonicalText(event)).digest('hex');
}

const canonicalText = (event: WireEvent): string => {
  const { hash: _ignored, ...rest } = event;
  return canonicalJson(rest);
};

/**
 * The hash, or undefined for content no node could have stored and hashed: a number JSON cannot carry (1e400), or a
 * NUL character, which PostgreSQL's jsonb refuses.
 */
/** A NUL character as JSON escapes it: `\u0000` after an even run of backslashes (after an odd run it is literal text). */
const ESCAPED_NUL = /(?<!\\)(?:\\\\)*\\u0000/;

const hashOrNothing = (event: WireEvent): string | undefined => {
  try {
    const text = canonicalText(event);
    return ESCAPED_NUL.test(text) ? undefined : createHash('sha256').update(text).digest('hex');
  } catch {
    return undefined;
  }
};

/** created_at goes through a timestamptz column: only the form that comes back out unchanged keeps the hash. */
const canonicalTime = (text: string): boolean => {
  const time = new Date(text);
  return !Number.isNaN(time.getTime()) && time.toISOString() === text;
};

/**
 * Pure: what of a device's batch (sorted by device_seq, `hashes[i]` the recomputed hash of `sorted[i]`) continues
 * its chain from `head`, what is already held, and the first refusal.
 */
export function planIngest(
  device: SignedDevice,
  head: Head,
  sorted: readonly WireEvent[],
  held: Map<number, { event_id: string; hash: string }>,
  hashes: readonly (string | undefined)[] = sorted.map(hashOrNothing),
): IngestPlan {
  const accepted: WireEvent[] = [];
  let duplicates = 0;
  let current = head;
  const refusal = (e: WireEvent, reason: string): IngestPlan => ({ accepted, duplicates, refused: { eventId: e.event_id, reason }, head: current });
  for (const [i, e] of sorted.entries()) {
    if (e.store_id !== device.storeId) return refusal(e, `belongs to store ${e.store_id}, not the signed device's`);
    if (e.device_id !== device.deviceId) return refusal(e, `written by device ${e.device_id}, not the signed device`);
    if (e.device_seq <= current.seq) {
      const stored = e.device_seq <= head.seq ? held.get(e.device_seq) : accepted.find((a) => a.device_seq === e.device_seq);
      const storedId = stored?.event_id;
      if (!stored) return refusal(e, `device_seq ${e.device_seq} is not held although the chain passed it`);
      if (storedId === e.event_id && stored.hash === e.hash && hashes[i] !== e.hash) {
        return refusal(e, 'a copy of a held event whose content does not match its hash (altered on the way or at rest)');
      }
      if (storedId === e.event_id && stored.hash === e.hash) duplicates++;
      else if (storedId === e.event_id) return refusal(e, `same event id as held, other hash (held ${stored.hash.slice(0, 12)}…)`);
      else return refusal(e, `device_seq ${e.device_seq} is held under another event id (${storedId})`);
      continue;
    }
    if (e.device_seq > current.seq + 1) break; // a gap: take nothing past it; ackedSeq says where to resume
    if (e.command_id === null) return refusal(e, 'an event without a command id');
    if (!canonicalTime(e.created_at)) return refusal(e, `created_at "${e.created_at}" is not an ISO time in UTC with milliseconds`);
    const recomputed = hashes[i];
    if (recomputed === undefined) return refusal(e, 'content the central cannot store as it came (no canonical JSON, or a NUL character)');
    if (recomputed !== e.hash) return refusal(e, `hash does not match the content (content hashes to ${recomputed.slice(0, 12)}…)`);
    if (e.prev_hash !== current.hash) return refusal(e, `prev_hash does not continue the chain at device_seq ${current.seq}`);
    accepted.push(e);
    current = { seq: e.device_seq, hash: e.hash, hlc: e.hlc };
  }
  return { accepted, duplicates, refused: null, head: current };
}
