import { contract, type MethodName } from '../../shared/contract/index.js';
import type { FederationStatus } from '../../shared/contract/federation.js';
import { startNode, type RunningNode } from '../../node/app.js';
import type { RunningCentral } from '../../node/central/app.js';
import { createEnrollmentCode } from '../../node/central/enrollment.js';
import { rendererDir } from '../../node/runtime/paths.js';
import type { ReadDb } from '../../node/db/types.js';
import { commandCall, queryCall } from './calls.js';
import { startTestCentral } from './central.js';
import { startFaultProxy, type FaultProxy } from './faultproxy.js';
import { createTestDatabase } from './postgres.js';
import { tempDir } from './tmp.js';

/**
 * A federation for the chaos suites (issue 14): terminals in this process, each behind its own fault proxy to one
 * central, and the checks every suite ends with (events equal to the central's, read models equal to each other).
 */
export interface ChaosTerminal {
  node: RunningNode;
  proxy: FaultProxy;
  dataDir: string;
  /** A command or query through the node's handlers, as the API would run it for the owner. */
  call(method: MethodName, input: unknown): Promise<any>;
  status(): Promise<FederationStatus>;
}

export async function startChaosTerminal(dataDir: string, central: Pick<RunningCentral, 'url'>, seed: number, proxy?: FaultProxy): Promise<ChaosTerminal> {
  proxy ??= await startFaultProxy(central.url, { seed });
  // Polling off and no WebSocket: the suites drive the rounds (kicks after each command still run in the background).
  // The built screens are served, so a suite can open a terminal's status screen (`node.signInUrl()`).
  const node = await startNode({ dataDir, port: 0, rendererDir: rendererDir(), federation: { pollMs: 3_600_000, realtime: false, timeoutMs: 10_000 } });
  const handlers = node.handlers as unknown as Record<string, (input: unknown, call: unknown) => Promise<unknown>>;
  return {
    node,
    proxy,
    dataDir,
    async call(method, input) {
      const spec = contract[method] as { kind?: string; input: { parse(x: unknown): unknown } };
      const call = spec.kind === 'query' ? queryCall(node.own) : commandCall(node.own);
      return handlers[method]!(spec.input.parse(input), call);
    },
    status: () => node.federation!.status(),
  };
}

/** The same data folder started again behind the same proxy (the node is closed first if it still runs). */
export async function restartChaosTerminal(t: ChaosTerminal, central: Pick<RunningCentral, 'url'>, closed = false): Promise<ChaosTerminal> {
  if (!closed) await t.node.close();
  return startChaosTerminal(t.dataDir, central, 0, t.proxy);
}

/**
 * What a chaos file starts and must undo: data folders, terminals (each behind its proxy) and anything else
 * (`defer`), all stopped in reverse order by `cleanup` (its afterAll), failures ignored so every folder goes.
 */
export function chaosScope(prefix: string) {
  const folders: (() => void)[] = [];
  const stops: (() => Promise<void>)[] = [];
  const scope = {
    dir(): string {
      const made = tempDir(prefix);
      folders.push(made.remove);
      return made.dir;
    },
    defer(stop: () => Promise<void>): void {
      stops.push(stop);
    },
    /** A central in this process on a fresh PostgreSQL database (rate limits out of the way), closed and dropped at cleanup. */
    async central(name: string, options: Omit<Parameters<typeof startTestCentral>[0], 'databaseUrl'> = {}): Promise<{ central: RunningCentral; databaseUrl: string }> {
      const database = await createTestDatabase(name);
      scope.defer(database.drop);
      const central = await startTestCentral({ databaseUrl: database.url, rateLimit: { max: 1_000_000, windowMs: 60_000 }, ...options });
      scope.defer(() => central.close());
      return { central, databaseUrl: database.url };
    },
    async terminal(central: RunningCentral, seed: number): Promise<ChaosTerminal> {
      const t = await startChaosTerminal(scope.dir(), central, seed);
      scope.defer(async () => {
        await t.node.close();
        await t.proxy.close();
      });
      return t;
    },
    async cleanup(): Promise<void> {
      for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
      for (const remove of folders.splice(0)) remove();
    },
  };
  return scope;
}

/** Enrolls through the terminal's proxy: into a new store from its own data, or into `storeId`. */
export async function enrollTerminal(t: ChaosTerminal, central: RunningCentral, storeId?: string): Promise<FederationStatus> {
  const { code } = await createEnrollmentCode(central.central.db, storeId ? { storeId } : {});
  return t.node.federation!.enroll({ centralUrl: t.proxy.url, code });
}

export async function until(what: string, check: () => Promise<boolean>, ms = 120_000, every = 200): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, every));
  }
}

/**
 * Rounds on every terminal until all backlogs are empty and, given the central's database, every terminal holds as
 * many of the store's events as the central (its own events — fiscal grants asked for after a round — included).
 * A breaker opened by the chaos is reset by hand (the documented action) so CI does not wait 60 s each time.
 */
export async function settle(terminals: ChaosTerminal[], ms = 120_000, central?: { db: ReadDb; storeId: string }): Promise<void> {
  const count = async (db: ReadDb) =>
    central ? (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE store_id = $1', [central.storeId]))[0]!.n : 0;
  // A terminal that joined from a snapshot holds the central's events above its horizons only.
  const expectedAt = async (t: ChaosTerminal) =>
    central ? aboveHorizons(await eventsOf(central.db, central.storeId), await horizonsOf(t.node.store.db, central.storeId)).length : 0;
  let lastAtCentral = -1;
  await until(
    'every backlog empty and every terminal holding the central\'s events',
    async () => {
      for (const t of terminals) {
        const status = await t.status();
        if (status.breaker.state !== 'closed') await t.node.federation!.resetBreaker();
        await t.node.federation!.syncNow();
      }
      const statuses = await Promise.all(terminals.map((t) => t.status()));
      if (!statuses.every((s) => s.backlog === 0 && s.deadLetter === null)) return false;
      if (!central) return true;
      for (const t of terminals) if ((await count(t.node.store.db)) !== (await expectedAt(t))) return false;
      // The central's log unchanged over a whole pass: a fiscal grant asked for after a round lands before we stop.
      const atCentral = await count(central.db);
      const stable = atCentral === lastAtCentral;
      lastAtCentral = atCentral;
      return stable;
    },
    ms,
    50,
  );
}

export interface EventRow {
  event_id: string;
  hash: string;
  device_id: string;
  device_seq: number;
}

export const eventsOf = (db: ReadDb, storeId: string): Promise<EventRow[]> =>
  db.query<EventRow>('SELECT event_id::text, hash, device_id::text, device_seq::int AS device_seq FROM events WHERE store_id = $1 ORDER BY event_id', [storeId]);

/** Per device, the last device_seq of the snapshot a terminal started from (none: it holds the whole history). */
export async function horizonsOf(db: ReadDb, storeId: string): Promise<Map<string, number>> {
  const rows = await db.query<{ device_id: string; seq: number }>('SELECT device_id::text AS device_id, seq::int AS seq FROM snapshot_horizon WHERE store_id = $1', [storeId]);
  return new Map(rows.map((r) => [r.device_id, Number(r.seq)]));
}

/** The events a node with these horizons holds of a full log: those above its horizon, per device. */
export const aboveHorizons = <R extends { device_id: string; device_seq: number }>(rows: R[], horizons: ReadonlyMap<string, number>): R[] =>
  rows.filter((r) => Number(r.device_seq) > (horizons.get(r.device_id) ?? 0));

/** Each device's chain at the central has no hole and no repeat: device_seq 1..n exactly once. */
export function contiguity(rows: EventRow[]): Record<string, { count: number; max: number; distinct: number }> {
  const byDevice: Record<string, number[]> = {};
  for (const r of rows) (byDevice[r.device_id] ??= []).push(Number(r.device_seq));
  return Object.fromEntries(
    Object.entries(byDevice).map(([device, seqs]) => [device, { count: seqs.length, max: Math.max(...seqs), distinct: new Set(seqs).size }]),
  );
}

/** Each device's chain at the central is 1..n, each seq exactly once; throws naming the first device that is not. */
export function expectWholeChains(atCentral: EventRow[]): void {
  for (const [device, c] of Object.entries(contiguity(atCentral))) {
    if (c.count !== c.max || c.distinct !== c.max) throw new Error(`device ${device}'s chain at the central has a hole or a repeat: ${JSON.stringify(c)}`);
  }
}

/** A log as `event id:hash` strings, to compare two logs event by event. */
export const eventPairs = (rows: { event_id: string; hash: string }[]): string[] => rows.map((r) => `${r.event_id}:${r.hash}`);

/** The read models the suites compare between terminals (the node-local tables — outbox, link, cursor — excluded). */
export const READ_MODELS = ['products', 'product_conflicts', 'sales', 'stock_movements', 'stock_levels', 'cash_sessions', 'cash_session_entries', 'fiscal_ranges', 'users', 'settings', 'parked_events'];

/**
 * Every terminal holds exactly the central's events of the store above its snapshot horizons (same ids, same hashes), each device's chain at the
 * central is 1..n exactly once, every terminal's read models equal the central's by digest, and no fiscal number of
 * the store is used twice. Returns the central's events. Call after `settle`.
 */
export async function expectConvergedWithCentral(central: ReadDb, storeId: string, nodes: (ChaosTerminal | Replica)[]): Promise<EventRow[]> {
  const terminals = nodes.map(replicaOf);
  const atCentral = await eventsOf(central, storeId);
  expectWholeChains(atCentral);
  const expected = await readModelDigest(central, storeId);
  for (const t of terminals) {
    const mine = eventPairs(await eventsOf(t.db, storeId));
    // A terminal that joined from a snapshot holds the events above its horizons (docs/decisions/0012-snapshot.md).
    const theirs = eventPairs(aboveHorizons(atCentral, await horizonsOf(t.db, storeId)));
    if (mine.join() !== theirs.join()) {
      const missing = theirs.filter((p) => !mine.includes(p)).length;
      const extra = mine.filter((p) => !theirs.includes(p)).length;
      throw new Error(`terminal ${t.deviceId} holds other events than the central: ${missing} missing, ${extra} the central lacks`);
    }
    const digest = await readModelDigest(t.db, storeId);
    for (const table of READ_MODELS) {
      if (digest[table] !== expected[table]) throw new Error(`read model ${table} of terminal ${t.deviceId} differs from the central's: ${digest[table]} vs ${expected[table]}`);
    }
  }
  for (const [who, db] of [['the central', central], ...terminals.map((t) => [`terminal ${t.deviceId}`, t.db] as const)] as const) {
    const off = await stockOffMovements(db, storeId);
    if (off.length > 0) throw new Error(`stock levels of ${who} are not the sum of its movements: ${JSON.stringify(off.slice(0, 5))}`);
  }
  if (!expected['parked_events']!.startsWith('0:')) throw new Error(`events parked at the central: ${expected['parked_events']}`);
  const repeated = await central.query(
    `SELECT fiscal_series, fiscal_number, count(*)::int AS n FROM sales WHERE store_id = $1 AND fiscal_number IS NOT NULL GROUP BY 1, 2 HAVING count(*) > 1`,
    [storeId],
  );
  if (repeated.length > 0) throw new Error(`fiscal numbers used twice: ${JSON.stringify(repeated)}`);
  // Credit notes too: every fiscal document the store's events carry (a sale's ticket, a void's or refund's note).
  const documents = await central.query(
    `SELECT d->>'series' AS series, d->>'docType' AS doc_type, d->>'number' AS number, count(*)::int AS n
     FROM (SELECT coalesce(payload->'fiscal', payload->'creditNote') AS d FROM events WHERE store_id = $1) x
     WHERE jsonb_typeof(d) = 'object' GROUP BY 1, 2, 3 HAVING count(*) > 1`,
    [storeId],
  );
  if (documents.length > 0) throw new Error(`fiscal documents numbered twice: ${JSON.stringify(documents)}`);
  // Every range ever granted (the central's and self-granted, as their events say): none overlaps another.
  const overlapping = await central.query(
    `SELECT a.id, b.id AS other, a.series, a.first, a.last, b.first AS other_first, b.last AS other_last
     FROM fiscal_ranges a JOIN fiscal_ranges b ON b.store_id = a.store_id AND b.series = a.series AND b.doc_type = a.doc_type
       AND a.id < b.id AND a.first <= b.last AND b.first <= a.last
     WHERE a.store_id = $1`,
    [storeId],
  );
  if (overlapping.length > 0) throw new Error(`fiscal ranges granted twice: ${JSON.stringify(overlapping)}`);
  return atCentral;
}

/** A node's database as the checks read it: a terminal in this process, or a stopped process's folder opened. */
export interface Replica {
  deviceId: string;
  db: ReadDb;
}

const replicaOf = (t: ChaosTerminal | Replica): Replica => ('node' in t ? { deviceId: t.node.store.identity.deviceId, db: t.node.store.db } : t);

/** Products (and locations) whose stock level is not the sum of their movements, either way round. */
export const stockOffMovements = (db: ReadDb, storeId: string) =>
  db.query<{ product_id: string; location: string; level: string | null; moved: string | null }>(
    `SELECT coalesce(l.product_id, m.product_id)::text AS product_id, coalesce(l.location, m.location) AS location,
            l.quantity::text AS level, m.moved::text AS moved
     FROM (SELECT product_id, location, quantity FROM stock_levels WHERE store_id = $1) l
     FULL JOIN (SELECT product_id, location, sum(quantity) AS moved FROM stock_movements WHERE store_id = $1 GROUP BY 1, 2) m
       ON m.product_id = l.product_id AND m.location = l.location
     WHERE l.quantity IS DISTINCT FROM m.moved AND NOT (m.moved IS NULL AND l.quantity = 0)`,
    [storeId],
  );

/** A digest per read model of one store: row count and md5 of its rows in a fixed order. */
export async function readModelDigest(db: ReadDb, storeId: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of READ_MODELS) {
    const [row] = await db.query<{ d: string }>(
      `SELECT count(*) || ':' || coalesce(md5(string_agg(r::text, '|' ORDER BY r::text)), '') AS d FROM ${table} r WHERE r.store_id = $1`,
      [storeId],
    );
    out[table] = row!.d;
  }
  return out;
}

/** `expectConvergedWithCentral`, answering also the read models' digest (the central's, equal to every terminal's). */
export async function expectSameAsCentral(centralDb: ReadDb, storeId: string, terminals: ChaosTerminal[]): Promise<{ atCentral: EventRow[]; digest: Record<string, string> }> {
  const atCentral = await expectConvergedWithCentral(centralDb, storeId, terminals);
  return { atCentral, digest: await readModelDigest(centralDb, storeId) };
}
