import type { EventEnvelope } from '../../shared/events.js';
import { RECONCILE_MAX_IDS, type Horizons } from '../../shared/reconcile.js';
import type { Bucket, DeviceSummary, EventRef, ReconcilePeer } from './peer.js';

export interface ReconcileOptions {
  /** Per device: events at or below this device_seq are not expected (this side started from a snapshot). */
  horizons?: Horizons;
  /** How many bucket and id look-ups run at once (a remote peer is a round trip each). */
  concurrency?: number;
}

/** Same event id, other content: reported, never replayed (one of the two logs was altered). */
export interface Tampered {
  eventId: string;
  deviceId: string;
  deviceSeq: number;
  localHash: string;
  remoteHash: string;
}

/** Same device and device_seq, other event: the device's chain forked (a device restored and reissuing seqs). */
export interface Fork {
  deviceId: string;
  deviceSeq: number;
  localEventId: string;
  remoteEventId: string;
}

export interface ReconcileReport {
  /** `in-sync`: nothing differed; `converged`: events were replayed and both sides now agree; `stalled`: a round
   * made no progress while differences remain (`reason` says which). */
  outcome: 'in-sync' | 'converged' | 'stalled';
  reason: string;
  rounds: number;
  /** Events the local side stored (missing here, held by the peer). */
  pulled: number;
  /** Events the peer stored (missing there, held here). */
  pushed: number;
  /** Devices whose summaries differed in the first round. */
  devices: string[];
  tampered: Tampered[];
  forks: Fork[];
  refused: { side: 'local' | 'remote'; eventId: string; reason: string }[];
}

interface Divergence {
  missingLocal: EventRef[];
  missingRemote: EventRef[];
  tampered: Tampered[];
  forks: Fork[];
}

/**
 * Reconciles two holders of one store's log (DESIGN.md "Federation", R12): a state vector first (one round trip
 * each), then only for devices that differ their days, then the hours of the days that differ, then the ids of the
 * hours that differ; the missing events are replayed both ways through each side's own `receive`. Rounds repeat
 * while they make progress (events stored) and stop on the first that makes none, saying why; every round ends with
 * fresh vectors from both sides, so convergence is observed, never assumed. Cost follows the divergence: an
 * in-sync store costs two vectors.
 */
export async function reconcile(local: ReconcilePeer, remote: ReconcilePeer, options: ReconcileOptions = {}): Promise<ReconcileReport> {
  const horizons = options.horizons ?? {};
  const report: ReconcileReport = { outcome: 'in-sync', reason: 'every device has the same count and combined hash on both sides', rounds: 0, pulled: 0, pushed: 0, devices: [], tampered: [], forks: [], refused: [] };
  // What the two vectors said when a round last replayed nothing: both sides may be moving on their own (the relay
  // pushing and pulling while we compare), so a difference whose events turn out to be held on both sides by the
  // time their ids are read is in flight, not stuck. Only the same difference seen twice with nothing to replay is
  // a stall.
  let idle: string | undefined;
  for (;;) {
    report.rounds++;
    const [mine, theirs] = await Promise.all([local.vector(horizons), remote.vector(horizons)]);
    const differing = differingDevices(mine, theirs);
    if (report.rounds === 1) report.devices = differing;
    if (differing.length === 0) {
      if (report.rounds > 1 && report.pulled + report.pushed === 0) {
        report.reason = 'in sync: the difference seen first was in flight (delivered by the relay while comparing)';
      } else if (report.rounds > 1) {
        report.outcome = 'converged';
        report.reason = `converged after ${report.rounds - 1} round(s) of replay`;
      }
      return report;
    }
    const found = await locate(local, remote, differing, horizons, options.concurrency ?? 4);
    report.tampered = found.tampered;
    report.forks = found.forks;
    const pulled = await replay(remote, local, found.missingLocal, 'local', report);
    const pushed = await replay(local, remote, found.missingRemote, 'remote', report);
    report.pulled += pulled;
    report.pushed += pushed;
    if (pulled + pushed === 0) {
      const seen = JSON.stringify([mine, theirs].map((v) => v.filter((d) => differing.includes(d.deviceId)).sort((a, b) => a.deviceId.localeCompare(b.deviceId))));
      if (found.tampered.length === 0 && found.forks.length === 0 && seen !== idle) {
        idle = seen;
        continue;
      }
      report.outcome = 'stalled';
      report.reason = stallReason(differing, found, report);
      return report;
    }
    idle = undefined;
  }
}

/** The combination of no events: an absent device or bucket is the same as an empty one. */
const NOTHING = { count: 0, hash: '0'.repeat(64) };
const sameSummary = (a = NOTHING, b = NOTHING) => a.count === b.count && a.hash === b.hash;

function differingDevices(mine: readonly DeviceSummary[], theirs: readonly DeviceSummary[]): string[] {
  const a = new Map(mine.map((d) => [d.deviceId, d]));
  const b = new Map(theirs.map((d) => [d.deviceId, d]));
  return [...new Set([...a.keys(), ...b.keys()])].filter((d) => !sameSummary(a.get(d), b.get(d))).sort();
}

function differingKeys(mine: readonly Bucket[], theirs: readonly Bucket[]): string[] {
  const a = new Map(mine.map((x) => [x.key, x]));
  const b = new Map(theirs.map((x) => [x.key, x]));
  return [...new Set([...a.keys(), ...b.keys()])].filter((k) => !sameSummary(a.get(k), b.get(k))).sort();
}

async function locate(local: ReconcilePeer, remote: ReconcilePeer, devices: readonly string[], horizons: Horizons, concurrency: number): Promise<Divergence> {
  const found: Divergence = { missingLocal: [], missingRemote: [], tampered: [], forks: [] };
  const hours: { deviceId: string; hour: string; horizon: number }[] = [];
  for (const deviceId of devices) {
    const horizon = horizons[deviceId] ?? 0;
    const both = <T>(f: (p: ReconcilePeer) => Promise<T>) => Promise.all([f(local), f(remote)]);
    const days = differingKeys(...(await both((p) => p.buckets(deviceId, undefined, horizon))));
    const perDay = await mapLimited(days, concurrency, async (day) => differingKeys(...(await both((p) => p.buckets(deviceId, day, horizon)))));
    for (const hour of perDay.flat()) hours.push({ deviceId, hour, horizon });
  }
  await mapLimited(hours, concurrency, async ({ deviceId, hour, horizon }) => {
    const [mine, theirs] = await Promise.all([local.ids(deviceId, hour, horizon), remote.ids(deviceId, hour, horizon)]);
    compareIds(deviceId, mine, theirs, found);
  });
  return found;
}

function compareIds(deviceId: string, mine: readonly EventRef[], theirs: readonly EventRef[], found: Divergence): void {
  const myIds = new Map(mine.map((r) => [r.eventId, r]));
  const theirIds = new Map(theirs.map((r) => [r.eventId, r]));
  const mySeqs = new Map(mine.map((r) => [r.deviceSeq, r]));
  const theirSeqs = new Map(theirs.map((r) => [r.deviceSeq, r]));
  for (const r of theirs) {
    const held = myIds.get(r.eventId);
    if (held) {
      if (held.hash !== r.hash) found.tampered.push({ eventId: r.eventId, deviceId, deviceSeq: r.deviceSeq, localHash: held.hash, remoteHash: r.hash });
      continue;
    }
    const other = mySeqs.get(r.deviceSeq);
    if (other) found.forks.push({ deviceId, deviceSeq: r.deviceSeq, localEventId: other.eventId, remoteEventId: r.eventId });
    else found.missingLocal.push(r);
  }
  for (const r of mine) if (!theirIds.has(r.eventId) && !theirSeqs.has(r.deviceSeq)) found.missingRemote.push(r);
}

/** Fetches the refs from `from` and stores them on `to`, each device in device_seq order, in bounded batches. */
async function replay(from: ReconcilePeer, to: ReconcilePeer, refs: readonly EventRef[], side: 'local' | 'remote', report: ReconcileReport): Promise<number> {
  if (refs.length === 0) return 0;
  const ordered = [...refs].sort((a, b) => a.deviceSeq - b.deviceSeq);
  let stored = 0;
  for (let i = 0; i < ordered.length; i += RECONCILE_MAX_IDS) {
    const batch: EventEnvelope[] = await from.events(ordered.slice(i, i + RECONCILE_MAX_IDS).map((r) => r.eventId));
    if (batch.length === 0) continue;
    batch.sort((a, b) => (a.device_id === b.device_id ? a.device_seq - b.device_seq : a.device_id < b.device_id ? -1 : 1));
    const result = await to.receive(batch);
    stored += result.applied;
    report.refused.push(...result.refused.map((r) => ({ side, ...r })));
  }
  return stored;
}

function stallReason(devices: readonly string[], found: Divergence, report: ReconcileReport): string {
  const parts: string[] = [];
  if (found.tampered.length > 0) parts.push(`${found.tampered.length} event(s) with the same id and another hash (reported, not replayed)`);
  if (found.forks.length > 0) parts.push(`${found.forks.length} device_seq(s) held as different events on each side (a forked chain)`);
  if (report.refused.length > 0) parts.push(`${report.refused.length} event(s) refused by the receiving side (first: ${report.refused[0]!.reason})`);
  if (found.missingLocal.length + found.missingRemote.length > 0 && report.refused.length === 0) parts.push('the missing events could not be fetched from the side that listed them');
  if (parts.length === 0) parts.push('the summaries differ but no differing event was found (a summary does not match its log)');
  return `no progress on ${devices.length} device(s): ${parts.join('; ')}`;
}

/** Runs `fn` over items with at most `limit` at once, keeping the order of the results. */
async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
