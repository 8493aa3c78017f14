import { canonicalHash } from '../../shared/canonical.js';
import { GENESIS_HASH, type EventDraft, type EventEnvelope } from '../../shared/events.js';
import { formatHlc, parseHlc, tickHlc } from '../../shared/hlc.js';
import { latestVersion } from '../../shared/events.js';

/** Where a device's chain ends. */
export interface ChainHead {
  seq: number;
  hash: string;
  hlc: string;
}

export const emptyHead = (deviceId: string): ChainHead => ({ seq: 0, hash: GENESIS_HASH, hlc: formatHlc({ wall: 0, counter: 0, node: deviceId }) });

/** SHA-256 over the RFC 8785 canonical JSON of the event without its hash (R3). */
export const eventHash = (event: Omit<EventEnvelope, 'hash'> | EventEnvelope): string => {
  const { hash: _ignored, ...rest } = event as EventEnvelope;
  return canonicalHash(rest);
};

export interface SealContext {
  storeId: string;
  deviceId: string;
  commandId: string;
  actorId: string;
  now: Date;
  newId: () => string;
}

/**
 * Turns a command's drafts into events that continue the device's chain: gapless device_seq, a hybrid logical clock
 * that only moves forward, prev_hash = the previous event's hash. Pure: the caller stores them and the new head in
 * the same transaction.
 */
export function sealEvents(head: ChainHead, drafts: readonly EventDraft[], ctx: SealContext): { events: EventEnvelope[]; head: ChainHead } {
  let { seq, hash } = head;
  let clock = parseHlc(head.hlc);
  const events = drafts.map((draft) => {
    clock = tickHlc(clock, ctx.now.getTime(), ctx.deviceId);
    seq += 1;
    const unsealed: Omit<EventEnvelope, 'hash'> = {
      event_id: ctx.newId(),
      command_id: ctx.commandId,
      store_id: ctx.storeId,
      device_id: ctx.deviceId,
      device_seq: seq,
      type: draft.type,
      version: latestVersion(draft.type),
      payload: draft.payload,
      actor_id: ctx.actorId,
      hlc: formatHlc(clock),
      created_at: ctx.now.toISOString(),
      prev_hash: hash,
    };
    hash = eventHash(unsealed);
    return { ...unsealed, hash };
  });
  return { events, head: { seq, hash, hlc: formatHlc(clock) } };
}

export type ChainProblem =
  | { kind: 'hash-mismatch'; event_id: string; device_seq: number; detail: string }
  | { kind: 'broken-link'; event_id: string; device_seq: number; detail: string }
  | { kind: 'gap'; event_id: string; device_seq: number; detail: string };

/**
 * Checks one device's events in device_seq order: every hash recomputes, every prev_hash is the previous hash, the
 * sequence has no gap. Returns the first problem, naming the event, or undefined when the chain holds.
 */
export function verifyChain(events: Iterable<EventEnvelope>, from: ChainHead = { seq: 0, hash: GENESIS_HASH, hlc: '' }): ChainProblem | undefined {
  let expectedSeq = from.seq + 1;
  let previous = from.hash;
  for (const event of events) {
    if (event.device_seq !== expectedSeq) {
      return { kind: 'gap', event_id: event.event_id, device_seq: event.device_seq, detail: `expected device_seq ${expectedSeq}, found ${event.device_seq}` };
    }
    const recomputed = eventHash(event);
    if (recomputed !== event.hash) {
      return { kind: 'hash-mismatch', event_id: event.event_id, device_seq: event.device_seq, detail: `stored hash ${event.hash.slice(0, 12)}… but content hashes to ${recomputed.slice(0, 12)}…` };
    }
    if (event.prev_hash !== previous) {
      return { kind: 'broken-link', event_id: event.event_id, device_seq: event.device_seq, detail: `prev_hash ${event.prev_hash.slice(0, 12)}… does not match the previous event's hash ${previous.slice(0, 12)}…` };
    }
    previous = event.hash;
    expectedSeq++;
  }
  return undefined;
}
