import { z } from 'zod';
import { minorUnitsSchema } from './money.js';

/**
 * Event types and their payload schemas, by version. A payload is stored with the version it was written in and
 * read through `upcast`, so old versions stay readable forever (CONVENTIONS.md "Schemas carry versions").
 */
const productFields = z.object({
  productId: z.string().uuid(),
  name: z.string(),
  sku: z.string().nullable(),
  barcodes: z.array(z.string()),
  price: minorUnitsSchema,
  currency: z.string(),
  cost: minorUnitsSchema.nullable(),
  taxRateBp: z.number().int(),
  category: z.string().nullable(),
  unit: z.enum(['unit', 'kg']),
  trackStock: z.boolean(),
  minStock: z.number().int().nullable(),
});

const productChanges = productFields.omit({ productId: true, price: true, currency: true }).partial();

export const eventPayloads = {
  ProductCreated: { 1: productFields },
  ProductUpdated: { 1: z.object({ productId: z.string().uuid(), changes: productChanges }) },
  PriceChanged: {
    1: z.object({
      productId: z.string().uuid(),
      price: minorUnitsSchema,
      previousPrice: minorUnitsSchema,
      currency: z.string(),
      reason: z.string().nullable(),
    }),
  },
} as const;

export type EventType = keyof typeof eventPayloads;
type Versions<T extends EventType> = (typeof eventPayloads)[T];
type LatestVersion<T extends EventType> = keyof Versions<T> & number;
export type PayloadOf<T extends EventType> = z.infer<Versions<T>[LatestVersion<T>] & z.ZodType>;

export const latestVersion = (type: EventType): number => Math.max(...Object.keys(eventPayloads[type]).map(Number));

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

export type DomainEvent = EventEnvelope & EventDraft;

/** Reads a stored payload at the latest version of its type (v1 → v2 … up-migrations go here). */
export function upcast(envelope: EventEnvelope): DomainEvent {
  const versions = eventPayloads[envelope.type] as Record<number, z.ZodType>;
  const schema = versions[envelope.version];
  if (!schema) throw new Error(`event ${envelope.event_id}: unknown version ${envelope.version} of ${envelope.type}`);
  const payload = schema.parse(envelope.payload);
  return { ...envelope, payload } as DomainEvent;
}

export const GENESIS_HASH = '0'.repeat(64);
