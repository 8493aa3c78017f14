import { sharedDomains } from './domains/index.js';
import { UnreadableEvent, type EventDef, type PayloadOfDef } from './eventdef.js';

export { UnreadableEvent } from './eventdef.js';

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type EventDefs = UnionToIntersection<(typeof sharedDomains)[number]['events']>;

/** Every event type of every domain (shared/domains/*), with its payload versions. A type declared twice throws. */
export const eventDefs: EventDefs = (() => {
  const out: Record<string, EventDef<unknown>> = {};
  for (const domain of sharedDomains) {
    for (const [type, def] of Object.entries(domain.events)) {
      if (Object.hasOwn(out, type)) throw new Error(`event type ${type} is declared twice`);
      out[type] = def;
    }
  }
  return Object.freeze(out) as EventDefs;
})();

export type EventType = keyof EventDefs & string;
export type PayloadOf<T extends EventType> = PayloadOfDef<EventDefs[T]>;

export const isEventType = (value: string): value is EventType => Object.hasOwn(eventDefs, value);
export const latestVersion = (type: EventType): number => (eventDefs[type] as EventDef<unknown>).latest;

/** What a command decides: a type and a payload; the journal seals it into an event. */
export type EventDraft = { [T in EventType]: { type: T; payload: PayloadOf<T> } }[EventType];

/** A sealed event as DESIGN.md "Events" names its fields; the hash covers every field but `hash`. */
export interface EventEnvelope {
  event_id: string;
  command_id: string;
  store_id: string;
  device_id: string;
  device_seq: number;
  type: EventType;
  version: number;
  payload: unknown;
  actor_id: string;
  hlc: string;
  created_at: string;
  prev_hash: string;
  hash: string;
}

/** An event of one type, its payload read at the latest version. */
export type EventOf<T extends EventType> = T extends EventType ? EventEnvelope & { type: T; payload: PayloadOf<T> } : never;
export type DomainEvent = EventOf<EventType>;

/**
 * Reads a stored event at the latest version of its type (the stored envelope, and so its hash, never changes).
 * Throws `UnreadableEvent` for a type or version from a newer release, and for a payload its schema refuses.
 */
export function upcast(envelope: EventEnvelope): DomainEvent {
  const type: string = envelope.type;
  if (!isEventType(type)) throw new UnreadableEvent(`event type ${type} is not known to this build`);
  const def = eventDefs[type] as EventDef<unknown>;
  try {
    return { ...envelope, payload: def.read(envelope.version, envelope.payload) } as DomainEvent;
  } catch (error) {
    if (error instanceof UnreadableEvent) throw error;
    throw new UnreadableEvent(`event ${envelope.event_id} (${type} v${envelope.version}): payload does not match its schema`, { cause: error });
  }
}

export const GENESIS_HASH = '0'.repeat(64);
