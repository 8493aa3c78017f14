import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseHlc } from '../../shared/hlc.js';
import type { RunningCentral } from '../../node/central/app.js';
import { createEnrollmentCode } from '../../node/central/enrollment.js';
import { PUSH_ATTEMPT_LIMIT } from '../../node/federation/attempts.js';
import { openDataDir } from '../../node/runtime/open.js';
import type { ReadDb } from '../../node/db/types.js';
import path from 'node:path';
import { launchChromium, screenshotDir } from '../support/browser.js';
import { chaosScope, contiguity, enrollTerminal, eventsOf, readModelDigest, settle, until, type ChaosTerminal } from '../support/cluster.js';
import { startFaultProxy, type FaultProxy } from '../support/faultproxy.js';
import { seededRandom } from '../support/random.js';
import { spawnSkewedTerminal, type SkewedTerminal } from '../support/skewed.js';

/**
 * Chaos suites of issue 14 (seed 002 D19) that need a clock or a stubborn central: a store whose terminals' wall
 * clocks are 2 h ahead and 2 h behind (their own processes, the clock shifted by test/support/skew-clock.mjs), and a
 * central that is reachable but fails every push of one terminal (bounded attempts → dead letter + alert, R9).
 * Each ends with every node's events equal to the central's and the terminals' read models equal (digests).
 *
 * Short by default (CI); `SKEW_CHAOS_ROUNDS=n` (npm run chaos:skew) runs more rounds of offline selling and healing.
 */
const ROUNDS = Number(process.env.SKEW_CHAOS_ROUNDS ?? 1);
const SEED = Number(process.env.SKEW_CHAOS_SEED ?? Date.now() % 2 ** 31);
const HOUR = 3600_000;
const SECRET = 'skew-chaos-operator-secret-0123456789';

describe(`clock skew and dead letters (SKEW_CHAOS_SEED=${SEED}, rounds ${ROUNDS})`, { timeout: 900_000 }, () => {
  const scope = chaosScope('mostrador-skew-chaos-');
  const dirs = () => scope.dir();
  const random = seededRandom(SEED);
  let central: RunningCentral;

  beforeAll(async () => {
    // Ranges live one hour: a terminal judging expiry by its own clock two hours ahead would find every range
    // expired on arrival and stop selling; judged by the central's time, it sells.
    ({ central } = await scope.central('mostrador_skew', { secret: SECRET, grants: { size: 500, ttlMs: HOUR, graceMs: HOUR } }));
  }, 120_000);
  afterAll(() => scope.cleanup(), 120_000);

  let chromium: Promise<Awaited<ReturnType<typeof launchChromium>>> | undefined;
  /** A terminal's status screen in Chromium, signed in with its printed link (Spanish, as a cashier sees it). */
  const statusScreen = async (signInUrl: string) => {
    if (!chromium) {
      chromium = launchChromium();
      scope.defer(async () => (await chromium!).close());
    }
    const context = await (await chromium).browser.newContext({ locale: 'es-AR' });
    const page = await context.newPage();
    await page.goto(signInUrl);
    await page.getByTestId('fed-panel').waitFor();
    return { page, close: () => context.close() };
  };

  const terminal = () => scope.terminal(central, Math.floor(random() * 2 ** 31));
  const centralCount = async (storeId: string) =>
    (await central.central.db.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE store_id = $1', [storeId]))[0]!.n;
  const pairs = (rows: { event_id: string; hash: string }[]) => rows.map((r) => `${r.event_id}:${r.hash}`);
  const checkCentralChains = async (storeId: string) => {
    const atCentral = await eventsOf(central.central.db, storeId);
    for (const [device, c] of Object.entries(contiguity(atCentral))) {
      expect({ device, ...c }, 'a device chain at the central has a hole or a repeat').toEqual({ device, count: c.max, max: c.max, distinct: c.max });
    }
    return atCentral;
  };
  const noFiscalRepeats = async (db: ReadDb, storeId: string) =>
    expect(
      await db.query(
        `SELECT fiscal_series, fiscal_number FROM sales WHERE store_id = $1 AND fiscal_number IS NOT NULL GROUP BY 1, 2 HAVING count(*) > 1`,
        [storeId],
      ),
    ).toEqual([]);

  it('clock skew ±2 h: every terminal keeps selling, the relay signs with the central time, skew is flagged, all converge', async () => {
    // The terminal with a true clock brings the store: a product, an open till, a standalone sale.
    const honest = await terminal();
    const product = await honest.call('products.create', { name: 'Yerba 1 kg', price: 250_000, trackStock: false });
    const till = await honest.call('cash.open', { float: [{ denomination: 100_000, count: 5 }] });
    const sellHonest = () =>
      honest.call('sales.complete', { tillSessionId: till.id, lines: [{ productId: product.id, quantity: 1_000 }], tenders: [{ kind: 'cash', received: 1_000_000 }] });
    await sellHonest();
    await enrollTerminal(honest, central);
    const storeId = honest.node.own.storeId;

    // Two terminals whose machines are 2 h ahead and 2 h behind, each behind its own fault proxy.
    const skewed: { t: SkewedTerminal; proxy: FaultProxy; till: string }[] = [];
    for (const offsetMs of [2 * HOUR, -2 * HOUR]) {
      const proxy = await startFaultProxy(central.url, { seed: Math.floor(random() * 2 ** 31) });
      const t = await spawnSkewedTerminal(dirs(), offsetMs);
      scope.defer(async () => {
        await t.stop('SIGKILL');
        await proxy.close();
      });
      const { code } = await createEnrollmentCode(central.central.db, { storeId });
      expect(await t.api('federation.enroll', { centralUrl: proxy.url, code })).toMatchObject({ enrolled: true });
      skewed.push({ t, proxy, till: (await t.api('cash.open', { float: [] }, true)).id });
    }
    const sell = (s: (typeof skewed)[number]) =>
      s.t.api('sales.complete', { tillSessionId: s.till, lines: [{ productId: product.id, quantity: 1_000 }], tenders: [{ kind: 'cash', received: 1_000_000 }] }, true);
    // Each skewed terminal sells as soon as the central's range has been pulled: never blocked by its clock.
    for (const s of skewed) {
      await until(`a sale on the terminal ${s.t.offsetMs / HOUR} h off`, async () => {
        if (await sell(s).then(() => true, () => false)) return true;
        await s.t.api('federation.syncNow', {});
        return false;
      }, 120_000, 500);
    }

    for (let round = 0; round < ROUNDS; round++) {
      // Everyone sells and edits at once; the skewed ones partly offline (their proxies partitioned).
      for (const s of skewed) s.proxy.partition(true);
      for (let i = 0; i < 3; i++) {
        await sellHonest();
        for (const s of skewed) await sell(s);
      }
      await honest.call('products.changePrice', { id: product.id, price: 260_000 + round, reason: 'aumento' });
      await skewed[0]!.t.api('products.changePrice', { id: product.id, price: 270_000 + round, reason: 'lista nueva' }, true);
      for (const s of skewed) s.proxy.partition(false);
      // Killed and started again: this process has never heard the central's time, so its first signed call is
      // refused for the window, carries the central's time, and is signed again with it.
      await skewed[round % 2]!.t.restart('SIGKILL');
      await settleAll(honest, skewed, storeId);
    }

    // The skew is measured against the central and flagged; the honest terminal is not.
    for (const s of skewed) {
      const status = await s.t.status();
      expect(status).toMatchObject({ clockSkewFlagged: true, backlog: 0, deadLetter: null, online: true });
      expect(Math.abs(status.clockSkewMs! - s.t.offsetMs)).toBeLessThan(60_000);
    }
    expect(await honest.status()).toMatchObject({ clockSkewFlagged: false });
    // Their events carry their own (wrong) clocks, and the honest terminal's clock was not dragged 2 h ahead.
    const [latest] = await honest.node.store.db.query<{ hlc: string }>(
      'SELECT hlc FROM events WHERE store_id = $1 AND device_id = $2 ORDER BY device_seq DESC LIMIT 1',
      [storeId, honest.node.store.identity.deviceId],
    );
    expect(Math.abs(parseHlc(latest!.hlc).wall - Date.now())).toBeLessThan(10 * 60_000);

    // The status screen says so, in words.
    for (const s of skewed) {
      const screen = await statusScreen(s.t.proc.signInUrl);
      const shown = screen.page.getByTestId('fed-clock-skew');
      await shown.waitFor();
      expect(await shown.getAttribute('data-flagged')).toBe('true');
      expect(await shown.textContent()).toBe('120 min');
      const banner = await screen.page.getByTestId('fed-clock-banner').textContent();
      expect(banner).toMatch(new RegExp(`está 120 min ${s.t.offsetMs > 0 ? 'adelantado' : 'atrasado'} respecto del servidor central\\. Podés seguir vendiendo`));
      await screen.page.screenshot({ path: path.join(screenshotDir(), `fed-skew-${s.t.offsetMs > 0 ? 'ahead' : 'behind'}.png`), fullPage: true });
      await screen.close();
    }

    // Convergence, checked from the data folders once the skewed processes are stopped.
    const atCentral = await checkCentralChains(storeId);
    for (const s of skewed) await s.t.stop();
    const digests = [await readModelDigest(honest.node.store.db, storeId)];
    expect(pairs(await eventsOf(honest.node.store.db, storeId))).toEqual(pairs(atCentral));
    for (const s of skewed) {
      const opened = await openDataDir(s.t.dir);
      try {
        expect(pairs(await eventsOf(opened.db, storeId))).toEqual(pairs(atCentral));
        digests.push(await readModelDigest(opened.db, storeId));
        const [ahead] = await central.central.db.query<{ created_at: Date }>(
          'SELECT created_at FROM events WHERE store_id = $1 AND device_id = $2 ORDER BY device_seq DESC LIMIT 1',
          [storeId, opened.identity.deviceId],
        );
        // The preload really shifted that process's clock (else this suite proves nothing).
        expect(Math.abs(ahead!.created_at.getTime() - Date.now() - s.t.offsetMs)).toBeLessThan(30 * 60_000);
      } finally {
        await opened.close();
      }
    }
    for (const d of digests.slice(1)) expect(d).toEqual(digests[0]);
    expect(digests[0]!['parked_events']!.startsWith('0:')).toBe(true);
    const [sales] = await honest.node.store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM sales WHERE store_id = $1', [storeId]);
    expect(sales!.n).toBe(1 + 2 + 3 * 3 * ROUNDS);
    await noFiscalRepeats(honest.node.store.db, storeId);
  });

  /** Rounds on every terminal until each backlog is empty and the central's count holds still across a round. */
  async function settleAll(honest: ChaosTerminal, skewed: { t: SkewedTerminal }[], storeId: string): Promise<void> {
    let seen = -1;
    await until('every terminal relayed and pulled everything', async () => {
      await settle([honest], 120_000, { db: central.central.db, storeId });
      const statuses = [];
      for (const { t } of skewed) {
        if ((await t.status()).breaker.state !== 'closed') await t.api('federation.resetBreaker', {});
        statuses.push(await t.api('federation.syncNow', {}));
      }
      const n = await centralCount(storeId);
      const stable = statuses.every((s) => s.backlog === 0 && s.deadLetter === null) && n === seen;
      seen = n;
      return stable;
    }, 240_000, 250);
  }

  it('outbox: a central that answers but always fails the push dead-letters the event after bounded attempts, alerts, and the owner retries it', async () => {
    const first = await terminal();
    const other = await terminal();
    await first.call('products.create', { name: 'Azúcar', price: 120_000 });
    await enrollTerminal(first, central);
    const storeId = first.node.own.storeId;
    await enrollTerminal(other, central, storeId);
    await settle([first, other], 120_000, { db: central.central.db, storeId });
    const round = async (t: ChaosTerminal) => {
      if ((await t.status()).breaker.state !== 'closed') await t.node.federation!.resetBreaker();
      return t.node.federation!.syncNow();
    };

    // A weekend offline: network failures only ever queue, however many.
    first.proxy.partition(true);
    for (let i = 0; i < 3 * PUSH_ATTEMPT_LIMIT; i++) {
      await first.call('products.create', { name: `Offline ${i}`, price: 1_000 + i });
      expect(await round(first)).toMatchObject({ deadLetter: null, pushAttempts: 0 });
    }
    first.proxy.partition(false);

    // Reachable (its health probe answers) but every push fails: bounded, then a dead letter and an alert.
    // (Reconciliation replays fail too, so the events wait for the push alone.)
    first.proxy.setPlan({ paths: ['/fed/v1/push', '/fed/v1/reconcile'], next: () => 'error500' });
    const [head] = await first.node.store.db.query<{ event_id: string }>('SELECT event_id::text AS event_id FROM outbox ORDER BY device_seq LIMIT 1');
    const from = first.proxy.log.length;
    const seen: number[] = [];
    let halted = await round(first);
    // The loop's own backoff retries count too: rounds until the halt, each attempt counted once, up to the bound.
    for (; halted.deadLetter === null; halted = await round(first)) seen.push(halted.pushAttempts);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(Math.max(...seen)).toBeLessThan(PUSH_ATTEMPT_LIMIT);
    expect(first.proxy.log.slice(from).filter((l) => l.path.startsWith('/fed/v1/push') && l.fault === 'error500').length).toBe(PUSH_ATTEMPT_LIMIT);
    expect(halted.deadLetter).toMatchObject({ eventId: head!.event_id, kind: 'failing', alerted: true });
    expect(halted.backlog).toBe(3 * PUSH_ATTEMPT_LIMIT);
    const alerts = await fetch(`${central.url}/admin/v1/alerts?storeId=${storeId}`, { headers: { authorization: `Bearer ${SECRET}` } });
    const listed = ((await alerts.json()) as { alerts: { deviceId: string; eventId: string; reason: string }[] }).alerts;
    expect(listed.filter((a) => a.eventId === head!.event_id)).toMatchObject([{ deviceId: first.node.store.identity.deviceId, reason: expect.stringMatching(/^relay dead letter: /) }]);

    // Halted, it still pulls (the other terminal keeps selling and is seen); it pushes nothing, never skips.
    await other.call('products.create', { name: 'Del otro', price: 5_000 });
    await settle([other], 120_000);
    const pushes = first.proxy.log.filter((l) => l.path.startsWith('/fed/v1/push')).length;
    for (let i = 0; i < 3; i++) await round(first);
    expect(first.proxy.log.filter((l) => l.path.startsWith('/fed/v1/push')).length).toBe(pushes);
    const [pulled] = await first.node.store.db.query<{ n: number }>("SELECT count(*)::int AS n FROM products WHERE store_id = $1 AND name = 'Del otro'", [storeId]);
    expect(pulled!.n).toBe(1);

    // Retrying while the central still fails: the same event again, counted from zero; fixed, pushing resumes.
    // The owner sees it on the status screen and retries it there.
    const screen = await statusScreen(first.node.signInUrl());
    const banner = screen.page.getByTestId('fed-dead-letter');
    await banner.waitFor();
    expect(await banner.getAttribute('data-kind')).toBe('failing');
    expect(await banner.textContent()).toMatch(/^El servidor central falló 10 veces seguidas .* El servidor central ya recibió el aviso\.$/);
    await screen.page.screenshot({ path: path.join(screenshotDir(), 'fed-dead-letter.png'), fullPage: true });
    await screen.page.getByTestId('fed-retry-dead-letter').click();
    await screen.page.getByTestId('fed-push-attempts').waitFor({ timeout: 60_000 });
    expect(await screen.page.getByTestId('fed-dead-letter').count()).toBe(0);
    await screen.close();
    const retried = await first.status();
    expect(retried).toMatchObject({ deadLetter: null, backlog: 3 * PUSH_ATTEMPT_LIMIT });
    expect(retried.pushAttempts).toBeGreaterThanOrEqual(1);
    first.proxy.setPlan({});
    expect(await round(first)).toMatchObject({ backlog: 0, deadLetter: null, pushAttempts: 0 });
    await settle([first, other], 120_000, { db: central.central.db, storeId });
    const atCentral = await checkCentralChains(storeId);
    for (const t of [first, other]) expect(pairs(await eventsOf(t.node.store.db, storeId))).toEqual(pairs(atCentral));
    expect(await readModelDigest(other.node.store.db, storeId)).toEqual(await readModelDigest(first.node.store.db, storeId));
    expect(atCentral.filter((r) => r.device_id === first.node.store.identity.deviceId).length).toBeGreaterThanOrEqual(1 + 3 * PUSH_ATTEMPT_LIMIT);
    // One alert for that dead letter, however often the relay sent it.
    const [count] = await central.central.db.query<{ n: number }>('SELECT count(*)::int AS n FROM central_alerts WHERE store_id = $1 AND event_id = $2', [storeId, head!.event_id]);
    expect(count!.n).toBe(1);
  });
});
