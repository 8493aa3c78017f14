import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningCentral } from '../../node/central/app.js';
import { chaosScope, enrollTerminal, expectConvergedWithCentral, settle, until, type ChaosTerminal } from '../support/cluster.js';
import type { Fault } from '../support/faultproxy.js';
import { seededRandom } from '../support/random.js';

/**
 * The federation's chaos suites (issue 14, seed 002 D19): a central on PostgreSQL, terminals each behind its own
 * fault-injecting proxy (test/support/faultproxy.ts). Every suite ends with the convergence check: every terminal
 * holds exactly the central's events of the store (same ids, same hashes), each device's chain at the central is
 * 1..n with no hole and no repeat, and the terminals' read models are equal. The SIGKILL suites are in
 * kill-federation.test.ts.
 *
 * Short by default (CI); `FED_CHAOS_ROUNDS=n` (npm run chaos:federation) runs more rounds, more events, and waits
 * for the breaker's real 60 s half-open instead of the reset action. `FED_CHAOS_SEED` replays a run.
 */
const ROUNDS = Number(process.env.FED_CHAOS_ROUNDS ?? 1);
const LONG = ROUNDS > 1;
const SEED = Number(process.env.FED_CHAOS_SEED ?? Date.now() % 2 ** 31);

describe(`federation chaos (FED_CHAOS_SEED=${SEED}, rounds ${ROUNDS})`, { timeout: 600_000 }, () => {
  // Folders live as long as the file: the suites share one store (terminals started once, the machine is small).
  const scope = chaosScope('mostrador-fed-chaos-');
  let central: RunningCentral;
  const random = seededRandom(SEED);

  beforeAll(async () => {
    ({ central } = await scope.central('mostrador_chaos'));
  }, 120_000);

  afterAll(() => scope.cleanup(), 120_000);

  const terminal = () => scope.terminal(central, Math.floor(random() * 2 ** 31));

  /** A store of `n` terminals: the first brings its standalone data (a product and an open till), the rest join it. */
  const store = async (n: number) => {
    const first = await terminal();
    const product = await first.call('products.create', { name: 'Yerba 1 kg', price: 250_000, trackStock: false });
    const session = await first.call('cash.open', { float: [{ denomination: 100_000, count: 5 }] });
    // A sale while standalone: the terminal grants itself a fiscal range, which the central takes over at enrollment.
    await sell(first, session.id, product.id);
    expect((await enrollTerminal(first, central)).enrolled).toBe(true);
    const storeId = first.node.own.storeId;
    // The central holds the first terminal's history before the others join: they start from a snapshot of it.
    await settle([first], 120_000, { db: central.central.db, storeId });
    const others: ChaosTerminal[] = [];
    for (let i = 1; i < n; i++) {
      const t = await terminal();
      await enrollTerminal(t, central, storeId);
      expect(t.node.own.storeId).toBe(storeId);
      // The store has history (the first terminal's standalone sale): the others start from a snapshot (0012).
      expect(t.node.federation!.joinedFrom).toBeDefined();
      others.push(t);
    }
    return { storeId, terminals: [first, ...others], seller: { t: first, session: session.id as string, product: product.id as string } };
  };

  let shop: Awaited<ReturnType<typeof store>>;
  beforeAll(async () => {
    shop = await store(3);
    await converged(shop.storeId, shop.terminals);
  }, 300_000);

  const sell = (t: ChaosTerminal, session: string, productId: string) =>
    t.call('sales.complete', { tillSessionId: session, lines: [{ productId, quantity: 1_000 }], tenders: [{ kind: 'cash', received: 250_000 }] });

  let made = 0;
  const createProducts = async (t: ChaosTerminal, n: number) => {
    for (let i = 0; i < n; i++) await t.call('products.create', { name: `Producto ${++made}`, price: 1_000 + made });
  };

  const countSales = async (t: ChaosTerminal, storeId: string) =>
    (await t.node.store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM sales WHERE store_id = $1', [storeId]))[0]!.n;

  /**
   * After every suite: the central and every terminal hold the same events, the read models are equal, and no fiscal
   * number is used twice in the store (support/cluster.ts).
   */
  const converged = async (storeId: string, terminals: ChaosTerminal[]) => {
    await settle(terminals, 120_000, { db: central.central.db, storeId });
    return expectConvergedWithCentral(central.central.db, storeId, terminals);
  };

  it('a terminal that joined the store gets its own fiscal range from the central and sells', async () => {
    const { storeId, terminals, seller } = shop;
    const joined = terminals[1]!;
    const session = await joined.call('cash.open', { float: [] });
    const attempt = () => sell(joined, session.id, seller.product).then(
        () => true,
        () => false, // noFiscalNumbers (503) until the central's grant has been pulled
      );
    await until('a sale on the joined terminal (a central range in hand)', async () => {
      if (await attempt()) return true;
      await joined.node.federation!.syncNow();
      return false;
    }, 60_000, 500);
    await converged(storeId, terminals);
  });

  it('partition: terminals keep selling, the breaker opens and events queue; healed, everything is relayed and the breaker closes', async () => {
    const { storeId, terminals, seller } = shop;
    const salesBefore = await countSales(terminals[2]!, storeId);

    for (let round = 0; round < ROUNDS; round++) {
      const before = await Promise.all(terminals.map((t) => t.status()));
      for (const t of terminals) t.proxy.partition(true);
      // Sales and products go on offline: every command commits locally.
      for (let i = 0; i < 3; i++) await sell(seller.t, seller.session, seller.product);
      for (const t of terminals) await createProducts(t, 2);
      // Five failed calls open the breaker (syncNow is one round; its failure counts against the breaker).
      for (const t of terminals) {
        for (let i = 0; i < 6 && (await t.status()).breaker.state === 'closed'; i++) await t.node.federation!.syncNow();
      }
      for (const [i, t] of terminals.entries()) {
        const status = await t.status();
        expect(status.breaker.state).toBe('open');
        expect(status.online).toBe(false);
        expect(status.backlog).toBeGreaterThan(before[i]!.backlog);
      }
      expect((await seller.t.status()).backlog).toBeGreaterThanOrEqual(3 + 2);

      for (const t of terminals) t.proxy.partition(false);
      if (LONG && round === 0) {
        // The real timing: no call while open, half-open after 60 s, three successes close it.
        const t = terminals[0]!;
        const open = await t.status();
        const retryAt = Date.parse(open.breaker.retryAt!);
        expect(retryAt - Date.now()).toBeGreaterThan(50_000);
        await t.node.federation!.syncNow();
        expect((await t.status()).backlog).toBe(open.backlog);
        await until('the breaker to half-open and close on its own', async () => (await t.status()).breaker.state === 'closed' && (await t.status()).backlog === 0, 150_000, 1_000);
        expect(Date.now()).toBeGreaterThanOrEqual(retryAt);
      }
      await converged(storeId, terminals);
      for (const t of terminals) expect(await t.status()).toMatchObject({ online: true, backlog: 0, breaker: { state: 'closed' }, deadLetter: null });
    }
    expect(await countSales(terminals[2]!, storeId)).toBe(salesBefore + 3 * ROUNDS);
  });

  it('outbox reliability: the push fails 9 times (drop, 500, cut, lost answer) then passes: every event exactly once', async () => {
    const { storeId, terminals } = shop;
    const t = terminals[1]!;
    const from = t.proxy.log.length;
    const script: Fault[] = ['drop', 'error500', 'cut', 'dropResponse', 'dropResponse', 'cut', 'error500', 'drop', 'dropResponse'];
    let next = 0;
    t.proxy.setPlan({ paths: ['/fed/v1/push'], next: () => script[next++] ?? 'pass' });
    await until(
      'nine failed pushes and then an empty backlog',
      async () => {
        // A lost answer means the central committed: the next round learns it from the checkpoint and has nothing
        // to push, so new events keep the pushes coming until the script has run out.
        if (next <= script.length) await createProducts(t, ROUNDS);
        if ((await t.status()).breaker.state !== 'closed') await t.node.federation!.resetBreaker();
        await t.node.federation!.syncNow();
        return next > script.length && (await t.status()).backlog === 0;
      },
      120_000,
      50,
    );
    const pushes = t.proxy.log.slice(from).filter((l) => l.path.startsWith('/fed/v1/push'));
    expect(pushes.slice(0, 9).map((l) => l.fault)).toEqual(script);
    expect(pushes.at(-1)!.fault).toBe('pass');
    t.proxy.setPlan({});
    const rows = await converged(storeId, terminals);
    const deviceId = t.node.store.identity.deviceId;
    const [own] = await t.node.store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE store_id = $1 AND device_id = $2', [storeId, deviceId]);
    expect(own!.n).toBeGreaterThanOrEqual(5);
    expect(rows.filter((r) => r.device_id === deviceId).length).toBe(own!.n);
  });

  it('outbox reliability: random faults with duplicates and reorders on every call: every event exactly once everywhere', async () => {
    const { storeId, terminals } = shop;
    for (const t of terminals) {
      t.proxy.setPlan({
        weights: { drop: 0.08, error500: 0.08, cut: 0.08, dropResponse: 0.08, duplicate: 0.15, reorder: 0.15, delay: 0.1 },
        delayMs: 100,
      });
    }
    for (let round = 0; round < 3 * ROUNDS; round++) {
      await Promise.all(terminals.map((t) => createProducts(t, 3)));
      for (const t of terminals) {
        if ((await t.status()).breaker.state !== 'closed') await t.node.federation!.resetBreaker();
        await t.node.federation!.syncNow();
      }
    }
    const faults = new Set(terminals.flatMap((t) => t.proxy.log.map((l) => l.fault)));
    expect(faults.has('duplicate') || faults.has('reorder')).toBe(true);
    for (const t of terminals) t.proxy.setPlan({});
    await converged(storeId, terminals);
  });
});
