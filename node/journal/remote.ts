import type { Topic } from '../../shared/domains/index.js';
import { GENESIS_HASH, type EventEnvelope } from '../../shared/events.js';
import { formatHlc, observeSkew, parseHlc, receiveHlc } from '../../shared/hlc.js';
import type { Db, WriteTx } from '../db/types.js';
import { createLogger } from '../log.js';
import { ProjectionState, type Route } from './projection.js';
import { INSERT_EVENTS } from './store.js';
import { planStreams, type ParkedEvent, type Refusal, type StoredEvent, type StreamPlan, type StreamState } from './streams.js';

export type { Refusal } from './streams.js';

const log = createLogger('journal');

/**
 * Whose events may come in. `remote`: other devices only (pull, the other terminals of a store); an event that
 * claims this device's id is refused, since only this node writes its chain. `own-tail`: a restored device takes
 * its own events back from the central. `rebuild`: a fresh folder replays a whole export.
 */
export type ApplyMode = 'remote' | 'own-tail' | 'rebuild';

export interface ApplyScope {
  storeId: string;
  /** This node's device. */
  deviceId: string;
  mode: ApplyMode;
}

export interface RemoteApplyResult {
  applied: number;
  duplicates: number;
  refused: Refusal[];
  parked: { event_id: string; device_id: string; device_seq: number; reason: string }[];
  topics: Topic[];
}

/**
 * Applies events that came from elsewhere in ONE transaction, through the same projector a local command uses, so
 * a replay changes nothing and a read model cannot tell local from remote. Each device's events are taken in chain
 * order against what is held (streams.ts); an event that cannot be applied parks its device's stream while the
 * other devices go on; nothing here can wedge a batch.
 */
export async function applyRemoteEvents(db: Db, scope: ApplyScope, incoming: readonly EventEnvelope[], route: Route): Promise<RemoteApplyResult> {
  return report(await db.write((tx) => applyInTx(tx, scope, incoming, route)));
}

/**
 * Gives parked streams another try (at start after an upgrade, or by the repair action): each device's queue, in
 * order, through the same apply, in one transaction. What still cannot be applied parks again.
 */
export async function resumeParked(db: Db, scope: ApplyScope, route: Route): Promise<RemoteApplyResult | undefined> {
  const [any] = await db.query('SELECT 1 FROM parked_events WHERE store_id = $1 LIMIT 1', [scope.storeId]);
  if (!any) return undefined;
  return report(
    await db.write(async (tx) => {
      const rows = await tx.query<{ envelope: EventEnvelope }>('DELETE FROM parked_events WHERE store_id = $1 RETURNING envelope', [scope.storeId]);
      return applyInTx(tx, scope, rows.map((r) => r.envelope), route);
    }),
  );
}

interface Applied {
  plan: StreamPlan;
  refused: Refusal[];
  topics: Topic[];
}

async function applyInTx(tx: WriteTx, scope: ApplyScope, incoming: readonly EventEnvelope[], route: Route): Promise<Applied> {
  const refused: Refusal[] = [];
  const candidates = incoming.filter((e) => {
    if (e.store_id !== scope.storeId) refused.push({ event_id: e.event_id, reason: `belongs to store ${e.store_id}`, alarming: true });
    else if (e.device_id === scope.deviceId && scope.mode === 'remote') {
      refused.push({ event_id: e.event_id, reason: "claims this device's id: only this device writes its own chain", alarming: true });
    } else return true;
    return false;
  });
  const plan = planStreams(candidates, await streamStates(tx, scope.storeId, candidates), await storedAlready(tx, scope.storeId, candidates));
  const topics = plan.accepted.length > 0 ? await project(tx, scope.storeId, plan, route) : [];
  await saveStreams(tx, scope, plan);
  return { plan, refused: [...refused, ...plan.refused], topics };
}

function report({ plan, refused, topics }: Applied): RemoteApplyResult {
  const alarming = refused.filter((r) => r.alarming);
  if (alarming.length > 0) log.error({ refused: alarming }, 'remote events refused: content that contradicts what this node holds');
  if (plan.parked.length > 0) log.error({ parked: plan.parked.map((p) => ({ id: p.event.event_id, reason: p.reason })) }, 'a device stream is parked');
  return {
    applied: plan.accepted.length,
    duplicates: plan.duplicates,
    refused,
    parked: plan.parked.map(({ event, reason }) => ({ event_id: event.event_id, device_id: event.device_id, device_seq: event.device_seq, reason })),
    topics,
  };
}

async function streamStates(tx: WriteTx, storeId: string, events: readonly EventEnvelope[]): Promise<Map<string, StreamState>> {
  const devices = [...new Set(events.map((e) => e.device_id))].sort();
  // A head row for every device first, so that two appliers of one device's events (processes of the central)
  // queue on its lock instead of both taking seq 1.
  await tx.query(
    `INSERT INTO journal_head (store_id, device_id, seq, hash, hlc)
     SELECT $1, d, 0, $3, '' FROM unnest($2::uuid[]) AS d ON CONFLICT DO NOTHING`,
    [storeId, devices, GENESIS_HASH],
  );
  const rows = await tx.query<{
    device_id: string;
    seq: number;
    hash: string;
    hlc: string;
    parked_seq: number | null;
    parked_hash: string | null;
    horizon_seq: number | null;
    horizon_hash: string | null;
  }>(
    `SELECT h.device_id::text AS device_id, h.seq, h.hash, h.hlc, p.device_seq AS parked_seq, p.envelope->>'hash' AS parked_hash,
       z.seq AS horizon_seq, z.hash AS horizon_hash
     FROM journal_head h
     LEFT JOIN LATERAL (SELECT device_seq, envelope FROM parked_events WHERE store_id = h.store_id AND device_id = h.device_id
       ORDER BY device_seq DESC LIMIT 1) p ON true
     LEFT JOIN snapshot_horizon z ON z.store_id = h.store_id AND z.device_id = h.device_id
     WHERE h.store_id = $1 AND h.device_id = ANY($2::uuid[]) ORDER BY h.device_id FOR UPDATE OF h`,
    [storeId, devices],
  );
  return new Map(
    rows.map((r) => [
      r.device_id,
      {
        seq: r.seq,
        hash: r.hash,
        hlc: r.hlc,
        ...(r.parked_seq !== null ? { parkedTail: { seq: r.parked_seq, hash: r.parked_hash! } } : {}),
        ...(r.horizon_seq !== null ? { horizon: { seq: Number(r.horizon_seq), hash: r.horizon_hash! } } : {}),
      },
    ]),
  );
}

async function storedAlready(tx: WriteTx, storeId: string, events: readonly EventEnvelope[]): Promise<StoredEvent[]> {
  return tx.query<StoredEvent>(
    `SELECT event_id::text AS event_id, device_id::text AS device_id, device_seq, hash FROM events
     WHERE store_id = $1 AND (event_id = ANY($2::uuid[]) OR (device_id, device_seq) IN (SELECT * FROM unnest($3::uuid[], $4::bigint[])))`,
    [storeId, events.map((e) => e.event_id), events.map((e) => e.device_id), events.map((e) => e.device_seq)],
  );
}

/**
 * Inserts and projects the accepted events. Should projecting fail (a rule a read model enforces), the batch is
 * retried device by device and event by event under savepoints, and the failing event parks its device's stream.
 */
async function project(tx: WriteTx, storeId: string, plan: StreamPlan, route: Route): Promise<Topic[]> {
  const attempt = async (items: StreamPlan['accepted']) => {
    await tx.query('SAVEPOINT remote_apply');
    try {
      await tx.query(INSERT_EVENTS, [JSON.stringify(items.map((i) => i.envelope))]);
      const state = new ProjectionState(tx, storeId);
      await state.project(items.map((i) => i.event), route);
      await state.flush();
      await tx.query('RELEASE SAVEPOINT remote_apply');
      return state.topics;
    } catch (error) {
      await tx.query('ROLLBACK TO SAVEPOINT remote_apply');
      return error as Error;
    }
  };
  const whole = await attempt(plan.accepted);
  if (!(whole instanceof Error)) return whole;
  const topics = new Set<Topic>();
  const kept: StreamPlan['accepted'] = [];
  const parkedDevices = new Set<string>();
  for (const item of plan.accepted) {
    const deviceId = item.envelope.device_id;
    const outcome = parkedDevices.has(deviceId) ? new Error('queued behind a parked event of the same device') : await attempt([item]);
    if (outcome instanceof Error) {
      parkedDevices.add(deviceId);
      plan.parked.push({ event: item.envelope, reason: `cannot be applied here: ${outcome.message}` });
      continue;
    }
    outcome.forEach((t) => topics.add(t));
    kept.push(item);
  }
  plan.accepted = kept;
  for (const deviceId of parkedDevices) rewindHead(plan, deviceId);
  return [...topics];
}

/** After event-by-event fallback, a parked device's head is its last applied event, and its tail what was parked. */
function rewindHead(plan: StreamPlan, deviceId: string): void {
  const state = plan.heads.get(deviceId);
  if (!state) return;
  const applied = plan.accepted.filter((i) => i.envelope.device_id === deviceId).at(-1)?.envelope;
  const parked = plan.parked.filter((p) => p.event.device_id === deviceId).at(-1)!.event;
  const first = plan.parked.find((p) => p.event.device_id === deviceId)!.event;
  plan.heads.set(deviceId, {
    seq: applied?.device_seq ?? first.device_seq - 1,
    hash: applied?.hash ?? first.prev_hash,
    hlc: applied?.hlc ?? state.hlc,
    parkedTail: { seq: parked.device_seq, hash: parked.hash },
  });
}

/** Heads of the devices that moved, the parked queue, the skew seen, and this node's clock: four statements. */
async function saveStreams(tx: WriteTx, scope: ApplyScope, plan: StreamPlan): Promise<void> {
  if (plan.heads.size > 0) {
    await tx.query(
      `INSERT INTO journal_head (store_id, device_id, seq, hash, hlc)
       SELECT $1, h.device_id, h.seq, h.hash, h.hlc FROM jsonb_to_recordset($2::jsonb) AS h(device_id uuid, seq bigint, hash text, hlc text)
       ON CONFLICT (store_id, device_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, hlc = greatest(journal_head.hlc, excluded.hlc)`,
      [scope.storeId, JSON.stringify([...plan.heads].map(([device_id, h]) => ({ device_id, seq: h.seq, hash: h.hash, hlc: h.hlc })))],
    );
  }
  if (plan.parked.length > 0) await park(tx, scope.storeId, plan.parked);
  if (plan.accepted.length > 0) {
    const now = Date.now();
    await recordSkew(tx, scope.storeId, plan, now);
    await advanceClock(tx, scope, plan, now);
  }
}

async function park(tx: WriteTx, storeId: string, parked: readonly ParkedEvent[]): Promise<void> {
  await tx.query(
    `INSERT INTO parked_events (store_id, device_id, device_seq, event_id, envelope, reason)
     SELECT $1, (p.envelope->>'device_id')::uuid, (p.envelope->>'device_seq')::bigint, (p.envelope->>'event_id')::uuid, p.envelope, p.reason
     FROM jsonb_to_recordset($2::jsonb) AS p(envelope jsonb, reason text) ON CONFLICT DO NOTHING`,
    [storeId, JSON.stringify(parked.map((p) => ({ envelope: p.event, reason: p.reason })))],
  );
}

/** How far ahead of this node's wall clock each device's newest applied event was. */
async function recordSkew(tx: WriteTx, storeId: string, plan: StreamPlan, now: number): Promise<void> {
  const newest = new Map<string, number>();
  for (const { envelope } of plan.accepted) newest.set(envelope.device_id, Math.max(newest.get(envelope.device_id) ?? -Infinity, parseHlc(envelope.hlc).wall));
  for (const [deviceId, wall] of newest) {
    const skew = observeSkew({ wall, counter: 0, node: deviceId }, now);
    if (skew.capped) log.warn({ deviceId, skewMs: skew.skewMs }, "a device's clock is far ahead of this one; its time is not adopted");
  }
  await tx.query(
    `INSERT INTO clock_skew (store_id, device_id, skew_ms, observed_at)
     SELECT $1, s.device_id, s.skew_ms, now() FROM jsonb_to_recordset($2::jsonb) AS s(device_id uuid, skew_ms bigint)
     ON CONFLICT (store_id, device_id) DO UPDATE SET skew_ms = excluded.skew_ms, observed_at = excluded.observed_at`,
    [storeId, JSON.stringify([...newest].map(([device_id, wall]) => ({ device_id, skew_ms: observeSkew({ wall, counter: 0, node: device_id }, now).skewMs })))],
  );
}

/**
 * The next local event must come after everything this node has seen (hybrid logical clock), except clocks too far
 * ahead to adopt: those are recorded as skew and never move this node's clock (a sale is never blocked by them).
 */
async function advanceClock(tx: WriteTx, scope: ApplyScope, plan: StreamPlan, now: number): Promise<void> {
  await advanceClockPast(tx, scope, plan.accepted.map(({ envelope }) => envelope.hlc), now);
}

/** This node's clock moved past the given clocks (those not too far ahead): remote apply, and a snapshot's horizons. */
export async function advanceClockPast(tx: WriteTx, scope: Omit<ApplyScope, 'mode'>, hlcs: readonly string[], now = Date.now()): Promise<void> {
  const adoptable = hlcs.filter((text) => text !== '').map(parseHlc).filter((h) => !observeSkew(h, now).capped);
  if (adoptable.length === 0) return;
  const [head] = await tx.query<{ hlc: string }>('SELECT hlc FROM journal_head WHERE store_id = $1 AND device_id = $2 FOR UPDATE', [scope.storeId, scope.deviceId]);
  if (!head) return;
  const newest = adoptable.reduce((max, h) => (formatHlc(h) > formatHlc(max) ? h : max));
  const merged = receiveHlc(parseHlc(head.hlc), newest, now, scope.deviceId);
  await tx.query('UPDATE journal_head SET hlc = $3 WHERE store_id = $1 AND device_id = $2', [scope.storeId, scope.deviceId, formatHlc(merged)]);
}
