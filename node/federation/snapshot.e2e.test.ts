import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningCentral } from '../central/app.js';
import { allProjections, route } from '../domains.js';
import { verifyDeviceChain, verifyReadModels } from '../journal/verify.js';
import { reconcileWith } from '../reconcile/index.js';
import {
  aboveHorizons,
  chaosScope,
  enrollTerminal,
  eventsOf,
  horizonsOf,
  readModelDigest,
  settle,
  until,
  type ChaosTerminal,
} from '../../test/support/cluster.js';

/**
 * Issue 14 item 10 (docs/decisions/0012-snapshot.md) end to end: a central on PostgreSQL, terminal A with a store's
 * history (products, sales, stock, a till), terminal B joining that store from a snapshot. B holds none of A's
 * events at or below the horizon, its read models equal A's, it finds an old sale by its fiscal number, it sells,
 * its sale reaches A, reconciliation with the central says in sync, and its rebuild gives the same read models.
 */
describe('a terminal joining a store with history starts from a snapshot', { timeout: 600_000 }, () => {
  const scope = chaosScope('mostrador-snap-e2e-');
  let central: RunningCentral;

  beforeAll(async () => {
    ({ central } = await scope.central('mostrador_snapshot'));
  }, 120_000);
  afterAll(() => scope.cleanup(), 120_000);

  const terminal = (seed: number) => scope.terminal(central, seed);
  const sell = (t: ChaosTerminal, session: string, productId: string, quantity = 1_000) =>
    t.call('sales.complete', { tillSessionId: session, lines: [{ productId, quantity }], tenders: [{ kind: 'cash', received: 5_000_000 }] });
  const count = async (t: ChaosTerminal, sql: string, params: unknown[]) => (await t.node.store.db.query<{ n: number }>(sql, params))[0]!.n;

  /**
   * Settles until the central's log stays put over a round: a fiscal range a terminal asks for after a round (its
   * grant is an event of the central) may otherwise land after the terminals were seen to hold everything.
   */
  const settled = async (terminals: ChaosTerminal[], storeId: string) => {
    const total = async () => (await eventsOf(central.central.db, storeId)).length;
    let before = -1;
    await until('the central log to stay put over a round', async () => {
      await settle(terminals, 120_000, { db: central.central.db, storeId });
      const now = await total();
      const stable = now === before;
      before = now;
      return stable;
    }, 240_000, 500);
  };

  /** The read models' digest, the fiscal ranges of `joiner` aside (its grant may be on its way to the other node). */
  const stateBesides = async (t: ChaosTerminal, storeId: string, joiner: ChaosTerminal) => ({
    ...(await readModelDigest(t.node.store.db, storeId)),
    fiscal_ranges: (
      await t.node.store.db.query<{ r: string }>('SELECT r::text AS r FROM fiscal_ranges r WHERE store_id = $1 AND device_id <> $2 ORDER BY 1', [
        storeId,
        joiner.node.store.identity.deviceId,
      ])
    ).map((row) => row.r),
  });

  it('holds no event at or below the horizons, equals A, sells, reconciles in sync and rebuilds the same', async () => {
    const a = await terminal(1);
    const yerba = await a.call('products.create', { name: 'Yerba 1 kg', price: 250_000, trackStock: true });
    const azucar = await a.call('products.create', { name: 'Azúcar 1 kg', price: 120_000, trackStock: true });
    await a.call('products.create', { name: 'Sal fina', price: 80_000, trackStock: false });
    const session = await a.call('cash.open', { float: [{ denomination: 100_000, count: 5 }] });
    // Standalone sales (a self-granted range the central takes over), then the store joins the central.
    for (let i = 0; i < 5; i++) await sell(a, session.id, i % 2 ? yerba.id : azucar.id);
    expect((await enrollTerminal(a, central)).enrolled).toBe(true);
    const storeId = a.node.own.storeId;
    await a.call('products.update', { id: yerba.id, patch: { name: 'Yerba Mate 1 kg' } });
    await a.call('products.changePrice', { id: azucar.id, price: 130_000 });
    for (let i = 0; i < 5; i++) await sell(a, session.id, yerba.id, 2_000);
    await settle([a], 120_000, { db: central.central.db, storeId });
    const aDevice = a.node.store.identity.deviceId;
    const aHead = await count(a, 'SELECT seq::int AS n FROM journal_head WHERE store_id = $1 AND device_id = $2', [storeId, aDevice]);
    expect(aHead).toBeGreaterThan(10);

    const b = await terminal(2);
    const started = Date.now();
    await enrollTerminal(b, central, storeId);
    const enrollMs = Date.now() - started;
    expect(b.node.own.storeId).toBe(storeId);
    const joined = b.node.federation!.joinedFrom;
    expect(joined, 'B joined from a snapshot').toBeDefined();
    console.log(`snapshot enroll: ${enrollMs} ms, ${joined!.rows} rows, ${joined!.bytes} bytes, ${joined!.devices} devices (A had ${aHead} events)`);
    const horizons = await horizonsOf(b.node.store.db, storeId);
    expect(horizons.get(aDevice)).toBe(aHead);
    // Nothing of A's history is held as events on B: only its read models.
    expect(await count(b, 'SELECT count(*)::int AS n FROM events WHERE store_id = $1 AND device_id = $2', [storeId, aDevice])).toBe(0);
    const atOrBelow = `SELECT count(*)::int AS n FROM events e JOIN snapshot_horizon h ON h.store_id = e.store_id AND h.device_id = e.device_id
      WHERE e.store_id = $1 AND e.device_seq <= h.seq`;
    expect(await count(b, atOrBelow, [storeId])).toBe(0);
    // B's relay runs from here: the central's range grant for B may already have arrived, so B's own ranges aside.
    expect(await stateBesides(b, storeId, b)).toEqual(await stateBesides(a, storeId, b));

    // An old sale, found on B by its fiscal number (the refund screen's lookup) before anything was pulled.
    const [old] = await a.node.store.db.query<{ id: string; fiscal_series: string; fiscal_number: number }>(
      'SELECT id::text AS id, fiscal_series, fiscal_number FROM sales WHERE store_id = $1 AND fiscal_number IS NOT NULL ORDER BY fiscal_number LIMIT 1',
      [storeId],
    );
    const found = await b.call('sales.find', { code: `${old!.fiscal_series}.${old!.fiscal_number}` });
    expect(found.saleId).toBe(old!.id);

    // B sells once the central's range has arrived; the sale reaches A; A sells and B pulls it above the horizon.
    const bSession = await b.call('cash.open', { float: [] });
    await until('a sale on B (a central range in hand)', async () => {
      const sold = await sell(b, bSession.id, yerba.id).then(() => true, () => false);
      if (!sold) await b.node.federation!.syncNow();
      return sold;
    }, 120_000, 500);
    await sell(a, session.id, azucar.id);
    await settled([a, b], storeId);
    const salesOn = (t: ChaosTerminal) => count(t, 'SELECT count(*)::int AS n FROM sales WHERE store_id = $1', [storeId]);
    expect(await salesOn(a)).toBe(12);
    expect(await salesOn(b)).toBe(12);
    expect(await readModelDigest(b.node.store.db, storeId)).toEqual(await readModelDigest(a.node.store.db, storeId));
    expect(await count(b, atOrBelow, [storeId])).toBe(0);
    expect(await count(b, 'SELECT count(*)::int AS n FROM events WHERE store_id = $1 AND device_id = $2', [storeId, aDevice])).toBeGreaterThan(0);
    const pairs = (rows: { event_id: string; hash: string }[]) => rows.map((r) => `${r.event_id}:${r.hash}`);
    expect(pairs(await eventsOf(b.node.store.db, storeId))).toEqual(pairs(aboveHorizons(await eventsOf(central.central.db, storeId), horizons)));

    // Reconciliation with the central, from the horizons: in sync.
    const peer = b.node.federation!.reconcilePeer()!;
    const local = { db: b.node.store.db, storeId, deviceId: b.node.store.identity.deviceId, route };
    const first = await reconcileWith(local, peer);
    // A fiscal grant the central wrote after the last round is pulled by the first run (converged), never stalled.
    expect(['in-sync', 'converged'], JSON.stringify(first)).toContain(first.outcome);
    const result = await reconcileWith(local, peer);
    expect(result, JSON.stringify(result)).toMatchObject({ outcome: 'in-sync' });

    // The chain of A on B verifies from the horizon, and a rebuild (snapshot rows + events above) equals the live tables.
    expect(await verifyDeviceChain(b.node.store.db, storeId, aDevice)).toMatchObject({ ok: true });
    expect(await verifyReadModels(b.node.store.db, storeId, allProjections, route)).toEqual([]);
  });

  it("pulls the whole history instead when the central cannot give a snapshot (its read models need a rebuild)", async () => {
    const a = await terminal(3);
    const product = await a.call('products.create', { name: 'Fideos', price: 90_000, trackStock: true });
    const session = await a.call('cash.open', { float: [] });
    await sell(a, session.id, product.id);
    expect((await enrollTerminal(a, central)).enrolled).toBe(true);
    const storeId = a.node.own.storeId;
    await settle([a], 120_000, { db: central.central.db, storeId });
    await central.central.db.write((tx) =>
      tx.query("INSERT INTO central_alerts (store_id, alert_id, device_id, event_id, reason) VALUES ($1, gen_random_uuid(), $2, 'x', 'read models refused the batch: test')", [
        storeId,
        a.node.store.identity.deviceId,
      ]),
    );
    const b = await terminal(4);
    await enrollTerminal(b, central, storeId);
    expect(b.node.federation!.joinedFrom).toBeUndefined();
    await settled([a, b], storeId);
    expect(await horizonsOf(b.node.store.db, storeId)).toEqual(new Map());
    expect(await count(b, 'SELECT count(*)::int AS n FROM snapshot_rows WHERE store_id = $1', [storeId])).toBe(0);
    const pairs = (rows: { event_id: string; hash: string }[]) => rows.map((r) => `${r.event_id}:${r.hash}`);
    expect(pairs(await eventsOf(b.node.store.db, storeId))).toEqual(pairs(await eventsOf(central.central.db, storeId)));
    expect(await stateBesides(b, storeId, b)).toEqual(await stateBesides(a, storeId, b));
  });
});
