import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../shared/events.js';
import type { WireEvent } from '../../shared/federation.js';
import type { RunningCentral } from '../../node/central/app.js';
import { ingest } from '../../node/central/ingest.js';
import { allProjections, route } from '../../node/domains.js';
import { deviceEvents } from '../../node/journal/store.js';
import { verifyReadModels } from '../../node/journal/verify.js';
import { reconcileWith } from '../../node/reconcile/index.js';
import { chaosScope, enrollTerminal, expectSameAsCentral, settle, until, type ChaosTerminal } from '../support/cluster.js';
import { seededRandom } from '../support/random.js';

/**
 * Two offline terminals refunding the same sale past what was sold (issue 14 chaos suites): a central on PostgreSQL,
 * terminals A and B in this process, each behind its own fault proxy. A sells; B pulls the sale; both are cut off;
 * each refunds the same line within what its own view leaves, together more than was sold. Healed (with duplicated,
 * reordered and delayed calls), nothing is refused or lost: both refunds are everywhere, the central raises exactly
 * one alert for the line (not repeated by a re-ingest, duplicates or reconciliation), both terminals show the
 * over-refund on the sale and list it for the owner, nothing more of the line can be refunded, and every node's read
 * models are equal by digest (the central's too). The same for a sale one terminal voids while the other refunds
 * it. `REFUND_CHAOS_SEED` replays a run (which terminal reaches the central first), `REFUND_CHAOS_ROUNDS` runs more
 * sales.
 */
const SEED = Number(process.env.REFUND_CHAOS_SEED ?? Date.now() % 2 ** 31);
/** One sale in CI; `npm run chaos:refund` runs five, the seller alternating between the terminals. */
const ROUNDS = Number(process.env.REFUND_CHAOS_ROUNDS ?? 1);

describe(`two offline terminals refunding one sale past what was sold (REFUND_CHAOS_SEED=${SEED}, rounds ${ROUNDS})`, { timeout: 600_000 }, () => {
  const scope = chaosScope('mostrador-refund-chaos-');
  const random = seededRandom(SEED);
  let central: RunningCentral;

  beforeAll(async () => {
    ({ central } = await scope.central('mostrador_refund_chaos'));
  }, 120_000);

  afterAll(() => scope.cleanup(), 120_000);

  const terminal = () => scope.terminal(central, Math.floor(random() * 2 ** 31));

  const creditNotesLeft = async (t: ChaosTerminal) =>
    ((await t.call('fiscal.status', {})).series as { docType: string; left: number }[]).filter((s) => s.docType === 'creditNote').reduce((n, s) => n + s.left, 0);

  /** Every node holds the central's events (chains whole), and the read models are equal everywhere, the central's too. */
  const converged = async (storeId: string, terminals: ChaosTerminal[]) => {
    await settle(terminals, 180_000, { db: central.central.db, storeId });
    // The central folds the same projections: every terminal's read models equal the central's.
    const { atCentral } = await expectSameAsCentral(central.central.db, storeId, terminals);
    for (const t of terminals) expect(await verifyReadModels(t.node.store.db, storeId, allProjections, route)).toEqual([]);
    return atCentral;
  };

  const overRefundAlerts = (storeId: string) =>
    central.central.db.query<{ alert_key: string; device_id: string; event_id: string; reason: string }>(
      "SELECT alert_key, device_id::text AS device_id, event_id, reason FROM central_alerts WHERE store_id = $1 AND kind = 'overRefund' ORDER BY alert_key",
      [storeId],
    );

  const LINES = (sale: { saleId: string }, t: ChaosTerminal) => t.call('sales.find', { code: sale.saleId }).then((v) => v.lines as { lineId: string }[]);

  /**
   * The store both suites share (sequential, in file order): A, standalone with products, an open till and the first
   * sale, becomes the store's first terminal at the central; B joins and opens its till.
   */
  const makeShop = async () => {
    const a = await terminal();
    const yerba = await a.call('products.create', { name: 'Yerba 1 kg', price: 250_000, trackStock: true });
    const azucar = await a.call('products.create', { name: 'Azúcar 1 kg', price: 120_000, trackStock: true });
    const tills = new Map<ChaosTerminal, string>([[a, (await a.call('cash.open', { float: [{ denomination: 100_000, count: 5 }] })).id as string]]);
    const saleInput = (t: ChaosTerminal) => ({
      tillSessionId: tills.get(t),
      lines: [{ productId: yerba.id, quantity: 2_000 }, { productId: azucar.id, quantity: 3_000 }],
      tenders: [{ kind: 'cash', received: 1_000_000 }],
    });
    // Sold while A is standalone (its own fiscal range, which the central takes over at enrollment).
    const first = await a.call('sales.complete', saleInput(a));
    expect((await enrollTerminal(a, central)).enrolled).toBe(true);
    const storeId = a.node.own.storeId;
    const b = await terminal();
    await enrollTerminal(b, central, storeId);
    tills.set(b, (await b.call('cash.open', { float: [] })).id as string);
    return { a, b, storeId, tills, yerba, saleInput, first };
  };
  let shopMade: ReturnType<typeof makeShop> | undefined;
  const shop = () => (shopMade ??= makeShop());

  /** A sale on `seller` (waiting for the central's ticket range if it has none yet), held by both with credit notes. */
  const saleHeldByBoth = async (seller: ChaosTerminal, s: Awaited<ReturnType<typeof makeShop>>, made?: { saleId: string; fiscal: { series: string; number: number } }) => {
    let sale = made;
    await until('a sale with a fiscal number', async () => {
      sale ??= await seller.call('sales.complete', s.saleInput(seller)).catch(() => undefined);
      await seller.node.federation!.syncNow();
      return sale !== undefined;
    }, 120_000, 250);
    // Both hold the sale and credit note numbers from the central before the partition (they refund offline).
    await until('the sale on both and credit note numbers on both', async () => {
      for (const t of [s.a, s.b]) await t.node.federation!.syncNow();
      const held = await Promise.all([s.a, s.b].map((t) => t.call('sales.find', { code: sale!.saleId }).then(() => true, () => false)));
      return held.every(Boolean) && (await creditNotesLeft(s.a)) > 0 && (await creditNotesLeft(s.b)) > 0;
    }, 120_000, 250);
    await converged(s.storeId, [s.a, s.b]);
    return sale!;
  };

  /** Heals the partition one terminal after the other (random order), with duplicated, reordered and delayed calls. */
  const heal = async (s: Awaited<ReturnType<typeof makeShop>>) => {
    const order = random() < 0.5 ? [s.a, s.b] : [s.b, s.a];
    for (const t of order) {
      t.proxy.partition(false);
      t.proxy.setPlan({ weights: { duplicate: 0.2, reorder: 0.2, delay: 0.1 }, delayMs: 50 });
      await settle([t], 120_000);
    }
    for (const t of order) t.proxy.setPlan({});
    return converged(s.storeId, [s.a, s.b]);
  };

  it('both refunds are applied everywhere, alerted once at the central and shown on both terminals', async () => {
    const { a, b, storeId, tills, yerba, first } = await shop();
    const keys: string[] = [];

    for (let round = 0; round < ROUNDS; round++) {
      // The seller alternates.
      const sale = await saleHeldByBoth(round % 2 === 0 ? a : b, await shop(), round === 0 ? first : undefined);
      const [yerbaLine, azucarLine] = await LINES(sale, b);

      for (const t of [a, b]) t.proxy.partition(true);
      // Each refunds within what its own view leaves: yerba 2 on A and 1 on B (3 of 2 sold); azúcar 1 and 1 (2 of 3).
      const refund = (t: ChaosTerminal, yerbaQty: number) =>
        t.call('sales.refund', {
          saleId: sale.saleId,
          tillSessionId: tills.get(t),
          lines: [{ lineId: yerbaLine!.lineId, quantity: yerbaQty }, { lineId: azucarLine!.lineId, quantity: 1_000 }],
          refundTo: 'cash',
          reason: 'vencido',
        });
      const refundA = await refund(a, 2_000);
      const refundB = await refund(b, 1_000);
      for (const t of [a, b]) await t.node.federation!.syncNow();
      expect((await a.status()).backlog).toBeGreaterThan(0);
      expect((await b.status()).backlog).toBeGreaterThan(0);

      const held = (await heal(await shop())).length;

      // The central: exactly one alert per over-refunded line (yerba), naming the sale, the quantities, the money and
      // both refunds with their devices; none for azúcar (2 of 3 refunded).
      keys.push(`overRefund:${sale.saleId}:${yerbaLine!.lineId}`);
      const alerts = await overRefundAlerts(storeId);
      expect(alerts.map((x) => x.alert_key)).toEqual([...keys].sort());
      const reason = alerts.find((x) => x.alert_key === keys.at(-1))!.reason;
      expect(reason).toContain(`over-refund on ${sale.fiscal.series} ${sale.fiscal.number}`);
      expect(reason).toContain(`"Yerba 1 kg" (product ${yerba.id})`);
      expect(reason).toContain('sold 2 for 500000, refunded 3 for 750000 (1 and 250000 too many)');
      for (const id of [refundA.documentId, refundB.documentId, a.node.store.identity.deviceId, b.node.store.identity.deviceId]) expect(reason).toContain(id);

      // Both terminals: the sale shows it per line, the owner's list has it with both refunds, the line is closed.
      for (const t of [a, b]) {
        const view = await t.call('sales.find', { code: sale.saleId });
        expect(view.lines.map((l: { refunded: number; refundable: number; overRefunded: number }) => [l.refunded, l.refundable, l.overRefunded])).toEqual([[3_000, 0, 1_000], [2_000, 1_000, 0]]);
        const { items } = await t.call('sales.anomalies', {});
        expect(items).toHaveLength(round + 1);
        const item = items.find((i: { saleId: string }) => i.saleId === sale.saleId);
        expect(item).toMatchObject({ lines: [{ lineId: yerbaLine!.lineId, sold: 2_000, refunded: 3_000, over: 1_000, overAmount: 250_000 }] });
        expect(item.refunds.map((r: { refundId: string }) => r.refundId).sort()).toEqual([refundA.documentId, refundB.documentId].sort());
        await expect(t.call('sales.refund', { saleId: sale.saleId, tillSessionId: tills.get(t), lines: [{ lineId: yerbaLine!.lineId, quantity: 1 }], reason: 'otra' })).rejects.toMatchObject({
          code: 'Conflict',
          key: 'refundOverSold',
          params: { left: 0 },
        });
      }
      expect((await a.call('sales.anomalies', {})).items).toEqual((await b.call('sales.anomalies', {})).items);

      // Re-ingest of every event, duplicates through the proxies and a reconciliation both ways: still one alert.
      for (const t of [a, b]) {
        const own: WireEvent[] = [];
        for await (const e of deviceEvents(t.node.store.db, storeId, t.node.store.identity.deviceId)) own.push(e as EventEnvelope as WireEvent);
        const again = await ingest(central.central.db, { storeId, deviceId: t.node.store.identity.deviceId }, own);
        expect(again).toMatchObject({ inserted: 0, duplicates: own.length, refused: null });
        t.proxy.setPlan({ weights: { duplicate: 1 } });
        await t.node.federation!.syncNow();
        t.proxy.setPlan({});
        const result = await reconcileWith({ db: t.node.store.db, route, storeId, deviceId: t.node.store.identity.deviceId }, t.node.federation!.reconcilePeer()!);
        expect(result.outcome).not.toBe('failed');
      }
      expect(await overRefundAlerts(storeId)).toEqual(alerts);
      expect((await converged(storeId, [a, b])).length).toBe(held);
    }
  });
  it('a sale voided on one terminal while the other refunds it offline: both stand, alerted as over-refunded', async () => {
    const s = await shop();
    const { a, b, storeId, tills } = s;
    const sale = await saleHeldByBoth(a, s);
    const [yerbaLine] = await LINES(sale, b);
    const before = (await overRefundAlerts(storeId)).length;
    const listed = (await a.call('sales.anomalies', {})).items.length as number;

    for (const t of [a, b]) t.proxy.partition(true);
    await a.call('sales.void', { saleId: sale.saleId, tillSessionId: tills.get(a), reason: 'error de cobro' });
    const refundB = await b.call('sales.refund', { saleId: sale.saleId, tillSessionId: tills.get(b), lines: [{ lineId: yerbaLine!.lineId, quantity: 1_000 }], refundTo: 'cash', reason: 'roto' });
    await heal(s);

    const alerts = (await overRefundAlerts(storeId)).filter((x) => x.alert_key.startsWith(`overRefund:${sale.saleId}:`));
    expect(alerts.map((x) => x.alert_key)).toEqual([`overRefund:${sale.saleId}:${yerbaLine!.lineId}`]);
    expect(alerts[0]!.reason).toContain(`over-refund on ${sale.fiscal.series} ${sale.fiscal.number} (voided)`);
    expect(alerts[0]!.reason).toContain('refunded 1 for 250000 (1 and 250000 too many)');
    expect(alerts[0]!.reason).toContain(refundB.documentId);
    expect((await overRefundAlerts(storeId)).length).toBe(before + 1);
    for (const t of [a, b]) {
      const view = await t.call('sales.find', { code: sale.saleId });
      expect(view.status).toBe('voided');
      expect(view.lines.map((l: { refundable: number; overRefunded: number }) => [l.refundable, l.overRefunded])).toEqual([[0, 1_000], [0, 0]]);
      const { items } = await t.call('sales.anomalies', {});
      expect(items).toHaveLength(listed + 1);
      expect(items.find((i: { saleId: string }) => i.saleId === sale.saleId)).toMatchObject({ voided: true, lines: [{ over: 1_000, overAmount: 250_000 }] });
      await expect(t.call('sales.refund', { saleId: sale.saleId, tillSessionId: tills.get(t), lines: [{ lineId: yerbaLine!.lineId, quantity: 1 }], reason: 'otra' })).rejects.toMatchObject({
        code: 'Conflict',
        key: 'saleAlreadyVoided',
      });
    }
  });
});
