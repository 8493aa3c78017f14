import { canonicalJson } from '../../shared/canonical.js';
import { GENESIS_HASH, upcast, type DomainEvent, type EventEnvelope } from '../../shared/events.js';
import type { ReadDb, WriteTx } from '../db/types.js';
import { verifyChain, type ChainProblem } from './chain.js';
import { readHorizons, snapshotBase } from './horizon.js';
import { foldEvents, type AnyProjection, type Route } from './projection.js';
import { deviceEvents, storeEvents } from './store.js';


export type ChainReport = { ok: true; checked: number; head: string } | ({ ok: false; checked: number } & ChainProblem);

/**
 * Re-derives a device's hash chain from the stored events, a page at a time; a problem names the first bad event.
 * On a node that started from a snapshot the chain starts at the device's horizon (its first event links to it).
 */
export async function verifyDeviceChain(db: ReadDb, storeId: string, deviceId: string): Promise<ChainReport> {
  const horizon = (await readHorizons(db, storeId)).get(deviceId);
  let from = { seq: horizon?.seq ?? 0, hash: horizon?.hash ?? GENESIS_HASH, hlc: '' };
  let checked = 0;
  let page: EventEnvelope[] = [];
  const check = (): ChainProblem | undefined => {
    const problem = verifyChain(page, from);
    checked += page.length;
    const last = page[page.length - 1];
    if (last) from = { seq: last.device_seq, hash: last.hash, hlc: '' };
    page = [];
    return problem;
  };
  for await (const event of deviceEvents(db, storeId, deviceId)) {
    page.push(event);
    if (page.length < 5000) continue;
    const problem = check();
    if (problem) return { ok: false, checked, ...problem };
  }
  const problem = check();
  if (problem) return { ok: false, checked, ...problem };
  // The chain can only show a cut tail against where the device's head says it ends.
  const [head] = await db.query<{ seq: number; hash: string }>('SELECT seq, hash FROM journal_head WHERE store_id = $1 AND device_id = $2', [storeId, deviceId]);
  if (head && (head.seq !== from.seq || head.hash !== from.hash)) {
    return {
      ok: false,
      checked,
      kind: 'gap',
      event_id: '(missing)',
      device_seq: from.seq + 1,
      detail: `the log ends at device_seq ${from.seq} but the chain head says ${head.seq}: events were removed from the end`,
    };
  }
  return { ok: true, checked, head: from.hash };
}

export interface Drift {
  projection: string;
  key: string;
  kind: 'missing' | 'extra' | 'different';
  expected?: unknown;
  actual?: unknown;
}

/**
 * Rebuilds every read model in memory from the event log (the pure `apply` of each projection, each device's events
 * in order) and compares it with the live tables (R1). An empty list means they agree. On a node that started from
 * a snapshot the rebuild starts from the snapshot's rows and folds the events above the horizons into them.
 */
export async function rebuildReadModels(db: ReadDb, storeId: string, projections: readonly AnyProjection[], route: Route) {
  const horizons = await readHorizons(db, storeId);
  // Chunks staged by an enrollment that never finished are no base: only an installed snapshot has horizons.
  const rebuilt = horizons.size > 0 ? await snapshotBase(db, storeId, projections) : new Map<AnyProjection, Map<string, unknown>>(projections.map((p) => [p, new Map()]));
  let page: DomainEvent[] = [];
  for await (const envelope of storeEvents(db, storeId)) {
    if (envelope.device_seq <= (horizons.get(envelope.device_id)?.seq ?? 0)) continue;
    page.push(upcast(envelope));
    if (page.length < 5000) continue;
    foldEvents(page, route, rebuilt);
    page = [];
  }
  foldEvents(page, route, rebuilt);
  return rebuilt;
}

export async function verifyReadModels(db: ReadDb, storeId: string, projections: readonly AnyProjection[], route: Route): Promise<Drift[]> {
  const rebuilt = await rebuildReadModels(db, storeId, projections, route);
  const drift: Drift[] = [];
  for (const projection of projections) {
    const expected = rebuilt.get(projection)!;
    const actual = await projection.loadAll(db, storeId);
    for (const [key, row] of expected) {
      const live = actual.get(key);
      if (live === undefined) drift.push({ projection: projection.name, key, kind: 'missing', expected: row });
      else if (canonicalJson(live) !== canonicalJson(row)) drift.push({ projection: projection.name, key, kind: 'different', expected: row, actual: live });
    }
    for (const [key, live] of actual) {
      if (!expected.has(key)) drift.push({ projection: projection.name, key, kind: 'extra', actual: live });
    }
  }
  return drift;
}

/** Heals drift: writes the rebuilt rows back and removes rows no event explains (the "orphan healer"). */
export async function healReadModels(tx: WriteTx, storeId: string, drift: readonly Drift[], projections: readonly AnyProjection[]): Promise<number> {
  for (const projection of projections) {
    const mine = drift.filter((d) => d.projection === projection.name);
    const upserts = mine.filter((d) => d.kind !== 'extra').map((d) => d.expected);
    const removals = mine.filter((d) => d.kind === 'extra').map((d) => d.key);
    if (upserts.length > 0) await projection.save(tx, storeId, upserts);
    if (removals.length > 0) await projection.remove(tx, storeId, removals);
  }
  return drift.length;
}
