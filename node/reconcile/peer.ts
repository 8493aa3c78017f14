import type { EventEnvelope } from '../../shared/events.js';
import type { Bucket, DeviceSummary, EventRef, Horizons, ReceiveResult } from '../../shared/reconcile.js';

export type { Bucket, DeviceSummary, EventRef, Horizons, ReceiveResult } from '../../shared/reconcile.js';

/**
 * One holder of a store's log as reconciliation sees it: a node's own database (dbPeer), or the central over HTTP
 * (the relay's client), or the central's own database (its ingest as `receive`). Every answer is computed by that
 * side from its own log and summaries (shared/reconcile.ts is the wire form of the same calls).
 */
export interface ReconcilePeer {
  /** One round trip: per device, the highest contiguous device_seq, the count and the combined hash. */
  vector(horizons?: Horizons): Promise<DeviceSummary[]>;
  /** Without `day`: a device's days; with it: that day's hours (UTC, of created_at). */
  buckets(deviceId: string, day?: string, horizon?: number): Promise<Bucket[]>;
  /** The events of a device in one hour: id, device_seq and hash. */
  ids(deviceId: string, hour: string, horizon?: number): Promise<EventRef[]>;
  /** The events with these ids that this side holds. */
  events(ids: readonly string[]): Promise<EventEnvelope[]>;
  /** Stores events this side lacks, through its own checks (remote apply, the central's ingest). */
  receive(events: readonly EventEnvelope[]): Promise<ReceiveResult>;
}
