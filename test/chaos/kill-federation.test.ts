import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids.js';
import { createEnrollmentCode } from '../../node/central/enrollment.js';
import { openDataDir } from '../../node/runtime/open.js';
import type { RunningCentral } from '../../node/central/app.js';
import { chaosScope, eventPairs, eventsOf, expectWholeChains, settle, until, type ChaosTerminal } from '../support/cluster.js';
import { startFaultProxy } from '../support/faultproxy.js';
import { request } from '../support/node.js';
import { spawnNode, type NodeProcess } from '../support/process.js';
import { freePort, spawnCentral, type CentralProcess } from '../support/central-process.js';
import { seededRandom } from '../support/random.js';

/**
 * The federation's SIGKILL suites (issue 14, seed 002 D19; the other chaos suites are in federation.test.ts): a
 * terminal process killed while it pushes, and a central process killed mid-ingest on the same PostgreSQL database.
 * Each ends with every event at the central exactly once (chains 1..n) and the terminal holding the same log.
 *
 * Short by default (CI); `FED_CHAOS_ROUNDS=n` (npm run chaos:federation) kills more often. `FED_CHAOS_SEED` replays a run.
 */
const ROUNDS = Number(process.env.FED_CHAOS_ROUNDS ?? 1);
const SEED = Number(process.env.FED_CHAOS_SEED ?? Date.now() % 2 ** 31);

describe(`federation SIGKILL chaos (FED_CHAOS_SEED=${SEED}, rounds ${ROUNDS})`, { timeout: 600_000 }, () => {
  const scope = chaosScope('mostrador-fed-kill-');
  let central: RunningCentral;
  let databaseUrl = '';
  const random = seededRandom(SEED);

  beforeAll(async () => {
    ({ central, databaseUrl } = await scope.central('mostrador_chaos'));
  }, 120_000);

  afterAll(() => scope.cleanup(), 120_000);

  let made = 0;
  const createProducts = async (t: ChaosTerminal, n: number) => {
    for (let i = 0; i < n; i++) await t.call('products.create', { name: `Producto ${++made}`, price: 1_000 + made });
  };

  it('SIGKILL mid-batch: a terminal process killed while it pushes resumes after restart, nothing lost or repeated', async () => {
    const secret = randomBytes(24).toString('hex');
    const dir = scope.dir();
    const proxy = await startFaultProxy(central.url, { seed: SEED });
    scope.defer(() => proxy.close());
    const api = async (url: string, method: string, input: unknown, command = false) => {
      const res = await request(`${url}/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
        body: JSON.stringify({ input, ...(command ? { commandId: newId() } : {}) }),
      });
      if (res.status !== 200) throw new Error(`${method} answered ${res.status}: ${JSON.stringify(res.body)}`);
      return res.body.result;
    };
    let proc: NodeProcess | undefined = await spawnNode(dir, { MOSTRADOR_LAUNCH_SECRET: secret });
    scope.defer(async () => void (await proc?.stop('SIGKILL')));
    const create = async (n: number) => {
      for (let i = 0; i < n; i++) await api(proc!.url, 'products.create', { name: `Proceso ${++made}`, price: 500 + made }, true);
    };
    // A standalone history first: the first push after enrolling is one big batch.
    await create(60);
    // Every push is held a moment at the proxy, so the kill lands while a batch is in flight (the proxy still forwards
    // it: the central may commit a batch whose answer the killed terminal never reads).
    proxy.setPlan({ paths: ['/fed/v1/push'], weights: { delay: 1 }, delayMs: 400 });
    const { code } = await createEnrollmentCode(central.central.db, {});
    expect((await api(proc.url, 'federation.enroll', { centralUrl: proxy.url, code })).enrolled).toBe(true);
    let kills = 0;
    const selling: Promise<void>[] = [];
    for (let round = 0; round < 2 * ROUNDS; round++) {
      const pushesBefore = proxy.log.filter((l) => l.path.startsWith('/fed/v1/push')).length;
      // Selling while the relay pushes; the kill cuts it short (its failed call ends it), awaited before the checks.
      if (round > 0) selling.push(create(20).catch(() => undefined));
      await until('a push in flight', async () => proxy.log.filter((l) => l.path.startsWith('/fed/v1/push')).length > pushesBefore, 60_000, 20);
      await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 300)));
      await proc.stop('SIGKILL');
      kills += 1;
      proc = await spawnNode(dir, { MOSTRADOR_LAUNCH_SECRET: secret });
      await create(5);
    }
    await Promise.all(selling);
    expect(kills).toBe(2 * ROUNDS);
    proxy.setPlan({});
    // Everything relayed, and the central's own events for the store (fiscal grants asked after a round) pulled:
    // the central's count stays put across a full round.
    let seen = -1;
    await until(
      'the restarted terminal relays everything and holds the central\'s events',
      async () => {
        const status = await api(proc!.url, 'federation.syncNow', {});
        const { storeId } = await api(proc!.url, 'system.status', {});
        const [row] = await central.central.db.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE store_id = $1', [storeId]);
        const stable = status.backlog === 0 && row!.n === seen;
        seen = row!.n;
        return stable;
      },
      120_000,
      250,
    );
    await proc.stop('SIGTERM');
    proc = undefined;

    const opened = await openDataDir(dir);
    try {
      const store = opened.identity.storeId;
      const atCentral = await eventsOf(central.central.db, store);
      const mine = atCentral.filter((r) => r.device_id === opened.identity.deviceId);
      expect(mine.length).toBeGreaterThanOrEqual(60 + 5 * 2 * ROUNDS);
      expectWholeChains(atCentral);
      expect(eventPairs(await eventsOf(opened.db, store))).toEqual(eventPairs(atCentral));
      const [outbox] = await opened.db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox');
      expect(outbox!.n).toBe(0);
    } finally {
      await opened.close();
    }
  });

  it('SIGKILL of a central process mid-ingest: restarted on the same database, the terminal resumes and nothing is lost or repeated', async () => {
    // A second central process on the same PostgreSQL (as in production); the in-process central keeps reading it.
    const port = await freePort();
    const centralDir = scope.dir();
    let proc: CentralProcess | undefined = await spawnCentral(centralDir, port, databaseUrl);
    scope.defer(async () => void (await proc?.stop('SIGKILL')));
    const t = await scope.terminal({ url: proc.url } as RunningCentral, Math.floor(random() * 2 ** 31));
    // A standalone history first, so the first push is one large batch the kill can land in.
    await createProducts(t, 150);
    const pushes = () => t.proxy.log.filter((l) => l.path.startsWith('/fed/v1/push')).length;
    const { code } = await createEnrollmentCode(central.central.db, {});
    let before = pushes();
    expect((await t.node.federation!.enroll({ centralUrl: t.proxy.url, code })).enrolled).toBe(true);
    for (let round = 0; round < 2 * ROUNDS; round++) {
      await until('a push reaching the central', async () => pushes() > before, 60_000, 5);
      await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 60)));
      await proc.stop('SIGKILL');
      proc = undefined;
      // The terminal keeps selling with the central gone: the failures queue.
      await createProducts(t, 20);
      await t.node.federation!.syncNow();
      expect((await t.status()).backlog).toBeGreaterThan(0);
      proc = await spawnCentral(centralDir, port, databaseUrl);
      before = pushes();
      await t.node.federation!.resetBreaker();
    }
    const storeId = t.node.own.storeId;
    await settle([t], 120_000, { db: central.central.db, storeId });
    const atCentral = await eventsOf(central.central.db, storeId);
    expectWholeChains(atCentral);
    expect(eventPairs(await eventsOf(t.node.store.db, storeId))).toEqual(eventPairs(atCentral));
    expect(atCentral.length).toBeGreaterThanOrEqual(150 + 20 * 2 * ROUNDS);
    expect(await t.status()).toMatchObject({ backlog: 0, deadLetter: null, breaker: { state: 'closed' } });
  });
});
