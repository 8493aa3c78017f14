/**
 * bench:snapshot — what a new terminal of an existing store costs to join (issue 14 item 10,
 * docs/decisions/0012-snapshot.md): from a snapshot of the store's read models plus the events after it, against
 * pulling and replaying the whole history. A central on PostgreSQL; the store's history is real sales of terminal A
 * (through its handlers, its own till and fiscal numbers) plus product churn (creations, renames, price changes) of
 * a second device pushed as sealed events. Then terminal B joins from a snapshot and terminal C joins by a full pull,
 * each through a proxy that counts the bytes of the central's answers as they cross the wire.
 *
 * Keys: `events` (the store's log), `rows` (the snapshot's read-model rows), `snapshot_ms`/`snapshot_bytes` (enroll,
 * snapshot and the first pull round on B; the snapshot travels gzipped, `snapshot_raw_bytes` is its NDJSON before
 * compression), `full_ms`/`full_bytes` (enroll and pulls until C holds every event; pulls are plain JSON),
 * `ms_ratio`, `bytes_ratio` (full / snapshot). BENCH_SMALL=1: about 2,000 events instead of 50,000.
 */
import type { EventDraft } from '../shared/events.js';
import { newId } from '../shared/ids.js';
import { emptyHead, sealEvents, type ChainHead } from '../node/journal/chain.js';
import { startNode, type RunningNode } from '../node/app.js';
import { createEnrollmentCode } from '../node/central/enrollment.js';
import { enrollDevice, fedCall, startTestCentral } from '../test/support/central.js';
import { enrollTerminal, readModelDigest, settle, startChaosTerminal, until, type ChaosTerminal } from '../test/support/cluster.js';
import { startCountingProxy } from '../test/support/countingproxy.js';
import { createTestDatabase } from '../test/support/postgres.js';
import { tempDir } from '../test/support/tmp.js';
import { fmt, lastLine, log, size } from './support.js';

const SALES = size(8_000, 300);
const CHURN = size(42_000, 1_700);
const PRODUCTS = size(2_000, 100);
const BATCH = 2_000;

const folders: (() => void)[] = [];
const dir = () => {
  const made = tempDir('mostrador-bench-snapshot-');
  folders.push(made.remove);
  return made.dir;
};
const count = async (node: RunningNode, storeId: string) =>
  (await node.store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE store_id = $1', [storeId]))[0]!.n;

async function main(): Promise<Record<string, string | number>> {
  const database = await createTestDatabase('mostrador_bench_snapshot');
  const central = await startTestCentral({ databaseUrl: database.url, rateLimit: { max: 10_000_000, windowMs: 60_000 } });
  const stops: (() => Promise<unknown>)[] = [];
  try {
    // The store's history: terminal A's sales...
    const a: ChaosTerminal = await startChaosTerminal(dir(), central, 1);
    stops.push(() => a.node.close(), () => a.proxy.close());
    const products = [];
    for (let i = 0; i < 20; i++) products.push(await a.call('products.create', { name: `Producto ${i}`, price: 100_000 + i, trackStock: true }));
    const session = await a.call('cash.open', { float: [{ denomination: 100_000, count: 5 }] });
    expect((await enrollTerminal(a, central)).enrolled, 'A enrolled');
    const storeId = a.node.own.storeId;
    const started = performance.now();
    for (let i = 0; i < SALES; i++) {
      const sale = { tillSessionId: session.id, lines: [{ productId: products[i % products.length].id, quantity: 1_000 }], tenders: [{ kind: 'cash', received: 1_000_000 }] };
      // Out of fiscal numbers until the central's next range has been pulled: a round, and again.
      while (!(await a.call('sales.complete', sale).then(() => true, () => false))) await a.node.federation!.syncNow();
      if (i % 1000 === 999) log(`${i + 1} sales (${fmt((performance.now() - started) / 1000, 1)} s)`);
    }
    // ...and another device's product churn, pushed as sealed events.
    const device = await enrollDevice(central, storeId);
    let head: ChainHead = emptyHead(device.deviceId);
    const ids = Array.from({ length: PRODUCTS }, () => newId());
    const draft = (i: number): EventDraft => {
      const productId = ids[i % PRODUCTS]!;
      if (i < PRODUCTS) {
        return { type: 'ProductCreated', payload: { productId, name: `Churn ${i}`, sku: null, barcodes: [], price: 1000, currency: 'ARS', cost: null, taxRateBp: 2100, category: null, unit: 'unit', trackStock: false, minStock: null } };
      }
      if (i % 2) return { type: 'ProductUpdated', payload: { productId, changes: { name: `Churn ${i}` }, basis: {} } };
      return { type: 'PriceChanged', payload: { productId, price: 1000 + i, previousPrice: 1000, currency: 'ARS', reason: null, basis: null } };
    };
    for (let from = 0; from < CHURN; from += BATCH) {
      const drafts = Array.from({ length: Math.min(BATCH, CHURN - from) }, (_, k) => draft(from + k));
      const sealed = drafts.map((d) => {
        const s = sealEvents(head, [d], { storeId, deviceId: device.deviceId, commandId: newId(), actorId: 'owner', now: new Date(), newId });
        head = s.head;
        return s.events[0]!;
      });
      const pushed = await fedCall<{ inserted: number }>(central.url, device, 'POST', '/push', { events: sealed });
      if (pushed.status !== 200 || pushed.body.inserted !== sealed.length) throw new Error(`push refused: ${JSON.stringify(pushed)}`);
    }
    await settle([a], 600_000, { db: central.central.db, storeId });
    const events = (await central.central.db.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE store_id = $1', [storeId]))[0]!.n;
    log(`store history: ${events} events (${SALES} sales, ${CHURN} product events)`);

    // B joins from a snapshot; C joins by pulling the whole history.
    const join = async (snapshot: boolean) => {
      const proxy = await startCountingProxy(central.url);
      const node = await startNode({ dataDir: dir(), port: 0, federation: { pollMs: 3_600_000, realtime: false, timeoutMs: 60_000, snapshot } });
      stops.push(() => node.close(), () => proxy.close());
      const { code } = await createEnrollmentCode(central.central.db, { storeId });
      const t0 = performance.now();
      await node.federation!.enroll({ centralUrl: proxy.url, code });
      await node.federation!.syncNow();
      await until('every event above the snapshot held', async () => {
        const behind = (await count(node, storeId)) + (await covered(node, storeId)) < events;
        if (behind) await node.federation!.syncNow();
        return !behind;
      }, 1_800_000, 50);
      return { ms: performance.now() - t0, bytes: proxy.total('/fed/v1/'), node };
    };
    const b = await join(true);
    log(`snapshot: ${fmt(b.ms, 0)} ms, ${b.bytes} bytes, ${b.node.federation!.joinedFrom?.rows} rows`);
    const c = await join(false);
    log(`full pull: ${fmt(c.ms, 0)} ms, ${c.bytes} bytes`);
    const [db, dc] = await Promise.all([readModelDigest(b.node.store.db, storeId), readModelDigest(c.node.store.db, storeId)]);
    expect(JSON.stringify(db) === JSON.stringify(dc), 'the snapshot terminal and the full-pull terminal hold equal read models');
    return {
      events,
      rows: b.node.federation!.joinedFrom?.rows ?? 0,
      snapshot_ms: fmt(b.ms, 0),
      snapshot_bytes: b.bytes,
      snapshot_raw_bytes: b.node.federation!.joinedFrom?.bytes ?? 0,
      full_ms: fmt(c.ms, 0),
      full_bytes: c.bytes,
      ms_ratio: fmt(c.ms / b.ms),
      bytes_ratio: fmt(c.bytes / b.bytes),
    };
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await central.close();
    await database.drop();
    for (const remove of folders) remove();
  }
}

/** Events a snapshot covers (the sum of the horizons): held as read-model rows, not as events. */
async function covered(node: RunningNode, storeId: string): Promise<number> {
  return (await node.store.db.query<{ n: number }>('SELECT coalesce(sum(seq), 0)::int AS n FROM snapshot_horizon WHERE store_id = $1', [storeId]))[0]!.n;
}

function expect(ok: boolean, what: string): void {
  if (!ok) throw new Error(`bench:snapshot: expected ${what}`);
}

// After every node and the central stopped: nothing they log comes after the key=value line.
lastLine(await main());
