import { GENESIS_HASH, upcast, UnreadableEvent, type DomainEvent, type EventEnvelope } from '../../shared/events.js';
import { eventHash } from './chain.js';

/** Where this node's copy of one device's chain ends, and whether that device's stream is parked. */
export interface StreamState {
  seq: number;
  hash: string;
  hlc: string;
  /** Set while the stream is parked: the last parked event (new events of the device queue behind it). */
  parkedTail?: { seq: number; hash: string };
  /** Set when this node started from a snapshot covering the device up to here (journal/horizon.ts). */
  horizon?: { seq: number; hash: string };
}

export interface StoredEvent {
  event_id: string;
  device_id: string;
  device_seq: number;
  hash: string;
}

export interface Refusal {
  event_id: string;
  reason: string;
  /** A refusal that means someone lied or a log was damaged (not merely early or repeated): raise an alert. */
  alarming: boolean;
}

export interface ParkedEvent {
  event: EventEnvelope;
  reason: string;
}

export interface StreamPlan {
  accepted: { envelope: EventEnvelope; event: DomainEvent }[];
  parked: ParkedEvent[];
  refused: Refusal[];
  duplicates: number;
  /** The new state of each device whose stream moved. */
  heads: Map<string, StreamState>;
}

/**
 * Decides, without I/O, what to do with each incoming event of each device, against what this node already holds:
 * an event already held (same id, same hash) is a duplicate; a device's events are taken only in device_seq order,
 * each continuing the chain (seq + 1, prev_hash = the held hash); an event after a gap waits for a later delivery;
 * an event whose seq or id is taken by other content, or whose link is broken, is refused and alarming; an event
 * this build cannot read parks its device's stream from there, and the rest of that stream queues behind it. An
 * event at or below the device's snapshot horizon is covered by the snapshot: counted as held, never stored.
 */
export function planStreams(incoming: readonly EventEnvelope[], states: ReadonlyMap<string, StreamState>, stored: readonly StoredEvent[]): StreamPlan {
  const plan: StreamPlan = { accepted: [], parked: [], refused: [], duplicates: 0, heads: new Map() };
  const byId = new Map(stored.map((s) => [s.event_id, s]));
  const bySeq = new Map(stored.map((s) => [`${s.device_id}/${s.device_seq}`, s]));
  const byDevice = new Map<string, EventEnvelope[]>();
  for (const event of incoming) byDevice.set(event.device_id, [...(byDevice.get(event.device_id) ?? []), event]);

  for (const [deviceId, events] of byDevice) {
    const start = states.get(deviceId) ?? { seq: 0, hash: GENESIS_HASH, hlc: '' };
    const state: StreamState = { ...start };
    let blocked: string | undefined;
    for (const event of [...events].sort((a, b) => a.device_seq - b.device_seq)) {
      if (eventHash(event) !== event.hash) {
        plan.refused.push({ event_id: event.event_id, reason: 'content does not match its hash', alarming: true });
        continue;
      }
      const held = byId.get(event.event_id) ?? bySeq.get(`${deviceId}/${event.device_seq}`);
      if (held) {
        if (held.event_id === event.event_id && held.hash === event.hash && held.device_seq === event.device_seq && held.device_id === deviceId) plan.duplicates++;
        else plan.refused.push({ event_id: event.event_id, reason: `device ${deviceId} seq ${event.device_seq} or its id is already another event`, alarming: true });
        continue;
      }
      const horizon = start.horizon;
      if (horizon && event.device_seq <= horizon.seq) {
        // Covered by the snapshot this node started from: already in its read models, never stored again.
        if (event.device_seq === horizon.seq && event.hash !== horizon.hash) {
          plan.refused.push({ event_id: event.event_id, reason: `device ${deviceId} seq ${event.device_seq} is not the event the snapshot covers`, alarming: true });
        } else plan.duplicates++;
        continue;
      }
      if (blocked) {
        plan.refused.push({ event_id: event.event_id, reason: blocked, alarming: false });
        continue;
      }
      const tail = state.parkedTail ?? state;
      if (event.device_seq <= tail.seq) {
        // Below what is held (or queued) but not found as held: another event took this place.
        plan.refused.push({ event_id: event.event_id, reason: `device ${deviceId} seq ${event.device_seq} is already another event`, alarming: true });
        continue;
      }
      if (event.device_seq !== tail.seq + 1) {
        blocked = `device ${deviceId}: expected seq ${tail.seq + 1} before seq ${event.device_seq}; it will be taken when the gap is filled`;
        plan.refused.push({ event_id: event.event_id, reason: blocked, alarming: false });
        continue;
      }
      if (event.prev_hash !== tail.hash) {
        blocked = `device ${deviceId} seq ${event.device_seq} does not continue the chain this node holds`;
        plan.refused.push({ event_id: event.event_id, reason: blocked, alarming: true });
        continue;
      }
      const link = { seq: event.device_seq, hash: event.hash };
      if (state.parkedTail) {
        plan.parked.push({ event, reason: 'queued behind a parked event of the same device' });
        state.parkedTail = link;
        continue;
      }
      const read = readable(event);
      if (typeof read === 'string') {
        plan.parked.push({ event, reason: read });
        state.parkedTail = link;
        continue;
      }
      plan.accepted.push({ envelope: event, event: read });
      Object.assign(state, link, { hlc: event.hlc > state.hlc ? event.hlc : state.hlc });
    }
    if (state.seq !== start.seq || state.parkedTail?.seq !== start.parkedTail?.seq) plan.heads.set(deviceId, state);
  }
  return plan;
}

function readable(event: EventEnvelope): DomainEvent | string {
  try {
    return upcast(event);
  } catch (error) {
    if (error instanceof UnreadableEvent) return error.message;
    throw error;
  }
}
