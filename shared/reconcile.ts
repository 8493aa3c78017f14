import { z } from 'zod';
import { wireEventSchema } from './federation.js';

/**
 * The reconciliation wire (DESIGN.md "Federation", R12): what two holders of a store's log ask each other to find
 * and replay the events one has and the other lacks. Each side answers from its own summaries (node/reconcile),
 * never from the other's. Hashes are 64 hex digits: the sum of the event hashes modulo 2^256 (never XOR), always
 * compared together with the count. Days are `YYYY-MM-DD` and hours ISO instants (`…T13:00:00.000Z`), in UTC, of
 * the events' created_at. The relay and the central carry these over HTTP (signed, under FED_PREFIX).
 */
const uuid = z.string().uuid();
const combinedHash = z.string().regex(/^[0-9a-f]{64}$/);
const seq = z.number().int().min(0);
export const RECONCILE_MAX_IDS = 2_000;
export const RECONCILE_MAX_DEVICES = 1_000;

/** Per device, events at or below this device_seq are not expected (a terminal that started from a snapshot). */
export const horizonsSchema = z.record(uuid, seq).refine((h) => Object.keys(h).length <= RECONCILE_MAX_DEVICES, 'too many devices');
export type Horizons = z.infer<typeof horizonsSchema>;

export const deviceSummarySchema = z.object({
  deviceId: uuid,
  /** Highest device_seq up to which every event (above the horizon) is held. */
  contiguousSeq: seq,
  count: seq,
  hash: combinedHash,
});
export type DeviceSummary = z.infer<typeof deviceSummarySchema>;

export const bucketSchema = z.object({ key: z.string().max(40), count: seq, hash: combinedHash });
export type Bucket = z.infer<typeof bucketSchema>;

export const eventRefSchema = z.object({ eventId: uuid, deviceSeq: z.number().int().positive(), hash: z.string().max(128) });
export type EventRef = z.infer<typeof eventRefSchema>;

export const dayKey = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
export const hourKey = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:00:00\.000Z$/);

export const vectorRequest = z.strictObject({ horizons: horizonsSchema.optional() });
export const vectorResponse = z.object({ devices: z.array(deviceSummarySchema) });
/** Without `day`: the device's days; with it: that day's hours. */
export const bucketsRequest = z.strictObject({ deviceId: uuid, day: dayKey.optional(), horizon: seq.optional() });
export const bucketsResponse = z.object({ buckets: z.array(bucketSchema) });
export const idsRequest = z.strictObject({ deviceId: uuid, hour: hourKey, horizon: seq.optional() });
export const idsResponse = z.object({ ids: z.array(eventRefSchema) });
export const eventsRequest = z.strictObject({ ids: z.array(uuid).max(RECONCILE_MAX_IDS) });
export const eventsResponse = z.object({ events: z.array(wireEventSchema) });
export const receiveRequest = z.strictObject({ events: z.array(wireEventSchema).max(RECONCILE_MAX_IDS) });
export const receiveResponse = z.object({
  applied: seq,
  duplicates: seq,
  refused: z.array(z.object({ eventId: z.string(), reason: z.string() })),
});
export type ReceiveResult = z.infer<typeof receiveResponse>;
