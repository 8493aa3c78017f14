import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMessage } from '../../shared/messages.js';
import type { RunningCentral } from '../../node/central/app.js';
import type { ReadDb } from '../../node/db/types.js';
import { startTestCentral } from '../support/central.js';
import { freePort } from '../support/central-process.js';
import {
  enrollTerminal,
  eventsOf,
  expectConvergedWithCentral,
  restartChaosTerminal,
  settle,
  startChaosTerminal,
  until,
  type ChaosTerminal,
} from '../support/cluster.js';
import { backupDatabase, createTestDatabase } from '../support/postgres.js';
import { seededRandom } from '../support/random.js';
import { tempDir } from '../support/tmp.js';

/**
 * Restores from older backups (issue 14, seed 002 D19), against a central on PostgreSQL and terminals each behind its
 * own fault proxy (test/support/cluster.ts):
 * - the central's database replaced by an older copy: the relays resend from their journals, reconciliation brings
 *   back what only terminals hold (a terminal that left, the central's own grants), no range is granted twice;
 * - a terminal's data folder replaced by an older copy: it takes its own tail back before it sells again, and never
 *   reissues a device_seq or a fiscal number.
 * Every suite ends with every terminal's events and read models equal to the central's, by digest.
 *
 * Short by default (CI); `RESTORE_CHAOS_ROUNDS=n` (npm run chaos:restore) sells n times as much between backup and
 * restore and after it, the latter through faulty links.
 * `RESTORE_CHAOS_SEED` replays a run.
 */
const ROUNDS = Number(process.env.RESTORE_CHAOS_ROUNDS ?? 1);
const SEED = Number(process.env.RESTORE_CHAOS_SEED ?? Date.now() % 2 ** 31);
/** Small ranges, so sales between a backup and its restore need grants the restored central will not remember. */
const GRANTS = { size: 6, ttlMs: 30 * 24 * 3600_000, graceMs: 7 * 24 * 3600_000 };

describe(`restore chaos (RESTORE_CHAOS_SEED=${SEED}, rounds ${ROUNDS})`, { timeout: 600_000 }, () => {
  const folders: (() => void)[] = [];
  const dirs = () => {
    const made = tempDir('mostrador-restore-chaos-');
    folders.push(made.remove);
    return made.dir;
  };
  const random = seededRandom(SEED);
  let central: RunningCentral;
  let databaseUrl = '';
  let port = 0;
  let dropDb: (() => Promise<void>) | undefined;
  const terminals: ChaosTerminal[] = [];
  let storeId = '';
  let product = '';
  const sessions = new Map<ChaosTerminal['dataDir'], string>();

  const startCentral = () => startTestCentral({ databaseUrl, port, rateLimit: { max: 1_000_000, windowMs: 60_000 }, grants: GRANTS });

  beforeAll(async () => {
    const database = await createTestDatabase('mostrador_restore');
    dropDb = database.drop;
    databaseUrl = database.url;
    port = await freePort();
    central = await startCentral();
    // The store: the first terminal brings its standalone data (a product, a till, a self-granted range), two join.
    for (let i = 0; i < 3; i++) terminals.push(await startChaosTerminal(dirs(), central, Math.floor(random() * 2 ** 31)));
    const [first, ...others] = terminals as [ChaosTerminal, ...ChaosTerminal[]];
    product = (await first.call('products.create', { name: 'Yerba 1 kg', price: 250_000, trackStock: false })).id;
    sessions.set(first.dataDir, (await first.call('cash.open', { float: [] })).id);
    await sell(first);
    expect((await enrollTerminal(first, central)).enrolled).toBe(true);
    storeId = first.node.own.storeId;
    for (const t of others) {
      await enrollTerminal(t, central, storeId);
      await settle([t], 60_000, { db: central.central.db, storeId });
      sessions.set(t.dataDir, (await t.call('cash.open', { float: [] })).id);
    }
    for (const t of terminals) await sell(t);
    await settle(terminals, 120_000, { db: central.central.db, storeId });
    await expectConvergedWithCentral(central.central.db, storeId, terminals);
  }, 300_000);

  afterAll(async () => {
    for (const t of terminals) {
      await t.node.close().catch(() => undefined);
      await t.proxy.close();
    }
    await central?.close();
    await dropDb?.();
    for (const remove of folders) remove();
  }, 120_000);

  const saleInput = (t: ChaosTerminal) => ({
    tillSessionId: sessions.get(t.dataDir)!,
    lines: [{ productId: product, quantity: 1_000 }],
    tenders: [{ kind: 'cash', received: 250_000 }],
  });

  /** A sale; while the terminal has no fiscal number left (a grant on its way), a round and another try. */
  async function sell(t: ChaosTerminal): Promise<{ saleId: string; fiscal: { series: string; number: number } | null }> {
    let sale: { saleId: string; fiscal: { series: string; number: number } | null } | undefined;
    await until(
      'a sale (fiscal numbers in hand)',
      async () => {
        try {
          sale = await t.call('sales.complete', saleInput(t));
          return true;
        } catch (error) {
          if ((error as { key?: string }).key !== 'noFiscalNumbers') throw error;
          if ((await t.status()).breaker.state !== 'closed') await t.node.federation!.resetBreaker();
          await t.node.federation!.syncNow();
          return false;
        }
      },
      90_000,
      100,
    );
    return sale!;
  }

  const headAt = async (db: ReadDb, deviceId: string) =>
    Number((await db.query<{ seq: number }>('SELECT seq FROM journal_head WHERE store_id = $1 AND device_id = $2', [storeId, deviceId]))[0]?.seq ?? 0);

  const overlappingRanges = (db: ReadDb) =>
    db.query(
      `SELECT a.range_id, b.range_id AS other FROM central_fiscal_ranges a JOIN central_fiscal_ranges b ON a.store_id = b.store_id
         AND a.series = b.series AND a.doc_type = b.doc_type AND a.range_id < b.range_id
         AND a.first_number <= b.last_number AND b.first_number <= a.last_number
       WHERE a.store_id = $1`,
      [storeId],
    );

  it('a central restored from an older backup: resent from the journals, the rest reconciled back, no range granted twice', async () => {
    const [t1, t2, t3] = terminals as [ChaosTerminal, ChaosTerminal, ChaosTerminal];
    // The backup (the central stopped a moment: a template copy wants nobody connected).
    await central.close();
    const backup = await backupDatabase(databaseUrl);
    try {
      central = await startCentral();
      const centralDevice = central.central.identity.deviceId;
      const centralHeadAtBackup = await headAt(central.central.db, centralDevice);
      // After the backup: sales everywhere, enough to need new grants, and a product.
      for (let round = 0; round < ROUNDS; round++) {
        for (const t of terminals) for (let i = 0; i < 12; i++) await sell(t);
        await t3.call('products.create', { name: `Producto de la caja 3 (${round})`, price: 1_000 + round });
      }
      await settle(terminals, 120_000, { db: central.central.db, storeId });
      const before = await eventsOf(central.central.db, storeId);
      const grantedBefore = await headAt(central.central.db, centralDevice);
      expect(grantedBefore, 'the central granted ranges after the backup').toBeGreaterThan(centralHeadAtBackup);
      const t3Device = t3.node.store.identity.deviceId;
      const t3Head = await headAt(central.central.db, t3Device);

      // The third terminal leaves (switched off): its later events are held only by the others, which pulled them.
      await t3.node.close();
      await central.close();
      // While the central is down the relays' rounds fail (events would queue): they no longer trust its checkpoint.
      for (const t of [t1, t2]) await expect(t.node.federation!.syncNow()).resolves.toMatchObject({ online: false });
      await backup.restore();
      central = await startCentral();
      const pushesBefore = t1.proxy.log.filter((l) => l.path.startsWith('/fed/v1/push')).length;
      const restored = await eventsOf(central.central.db, storeId);
      expect(restored.length).toBeLessThan(before.length);
      expect(await headAt(central.central.db, t3Device)).toBeLessThan(t3Head);
      expect(await headAt(central.central.db, centralDevice)).toBe(centralHeadAtBackup);

      // The first terminal notices at once: its own checkpoint at the central is below its own (it resends from the
      // journal), and its pull cursor is past the central's order (it reconciles before it moves the cursor).
      await t1.node.federation!.resetBreaker();
      await t1.node.federation!.syncNow();
      expect(await headAt(central.central.db, t3Device), "the departed terminal's events, back through reconciliation").toBe(t3Head);
      expect(await headAt(central.central.db, centralDevice), "the central's own grants, back through reconciliation").toBe(grantedBefore);
      expect(t1.proxy.log.filter((l) => l.path.startsWith('/fed/v1/push')).length, 'the relay resent from its journal').toBeGreaterThan(pushesBefore);
      // The second runs its nightly reconciliation too (the job, as at 03:30), once its reconnect's is done.
      await t2.node.federation!.resetBreaker();
      await t2.node.federation!.syncNow();
      await t2.node.federation!.reconciled();
      expect(await t2.node.jobs.runNow('reconcile')).toMatchObject({ outcome: 'succeeded', result: { outcome: expect.stringMatching(/^(in-sync|converged)$/) } });
      // Selling goes on: the next grants continue past every range the central had granted before the restore (in
      // the longer run through faulty links: drops, 500s, lost answers, duplicates, reorders).
      if (ROUNDS > 1) for (const t of [t1, t2]) t.proxy.setPlan({ weights: { drop: 0.1, error500: 0.1, dropResponse: 0.1, duplicate: 0.1, reorder: 0.1 }, delayMs: 50 });
      for (let round = 0; round < ROUNDS; round++) for (const t of [t1, t2]) for (let i = 0; i < 12; i++) await sell(t);
      for (const t of [t1, t2]) t.proxy.setPlan({});
      await settle([t1, t2], 180_000, { db: central.central.db, storeId });
      const after = new Set((await eventsOf(central.central.db, storeId)).map((e) => `${e.event_id}:${e.hash}`));
      expect(before.filter((e) => !after.has(`${e.event_id}:${e.hash}`)), 'events the central held before the restore and lost').toEqual([]);
      expect(await headAt(central.central.db, centralDevice)).toBeGreaterThan(grantedBefore);
      expect(await overlappingRanges(central.central.db)).toEqual([]);
      await expectConvergedWithCentral(central.central.db, storeId, [t1, t2]);

      // The third comes back: it holds nothing the central lacks, and catches up.
      terminals[2] = await restartChaosTerminal(t3, central, true);
      await settle(terminals, 120_000, { db: central.central.db, storeId });
      await expectConvergedWithCentral(central.central.db, storeId, terminals);
    } finally {
      await backup.drop();
    }
  });

  it('a terminal restored from an old backup takes its own tail back before it sells again: no device_seq or fiscal number twice', async () => {
    let t = terminals[1]!;
    const deviceId = t.node.store.identity.deviceId;
    const copy = `${dirs()}/data`;
    await t.node.close();
    fs.cpSync(t.dataDir, copy, { recursive: true });
    t = terminals[1] = await restartChaosTerminal(t, central, true);
    const headAtBackup = await headAt(t.node.store.db, deviceId);
    // After the copy: sales relayed to the central (and ranges used up and granted again).
    const sold: number[] = [];
    for (let i = 0; i < 8 * ROUNDS; i++) sold.push((await sell(t)).fiscal!.number);
    await settle(terminals, 120_000, { db: central.central.db, storeId });
    const centralHead = await headAt(central.central.db, deviceId);
    expect(centralHead).toBeGreaterThan(headAtBackup);

    // The old copy put back, and the way to the own tail held (the window in which the log is known to be behind).
    await t.node.close();
    fs.rmSync(t.dataDir, { recursive: true, force: true });
    fs.cpSync(copy, t.dataDir, { recursive: true });
    t.proxy.setPlan({ paths: ['/fed/v1/own'], weights: { error500: 1 } });
    t = terminals[1] = await restartChaosTerminal(t, central, true);
    expect(await headAt(t.node.store.db, deviceId)).toBe(headAtBackup);
    // A sale at once: the start check waits for the central's checkpoint, which is above this log: refused.
    await expect(t.call('sales.complete', saleInput(t))).rejects.toMatchObject({ code: 'Unavailable', key: 'recoveringOwnTail' });
    expect(renderMessage('es', 'recoveringOwnTail', undefined)).toContain('Esta caja está recuperando sus ventas del servidor central; esperá unos segundos');
    await t.node.federation!.syncNow();
    await expect(t.call('sales.complete', saleInput(t))).rejects.toMatchObject({ code: 'Unavailable', key: 'recoveringOwnTail' });
    expect(await headAt(t.node.store.db, deviceId), 'nothing appended while behind').toBe(headAtBackup);

    // The way healed: the tail comes back, and the next sale continues past it.
    t.proxy.setPlan({});
    await t.node.federation!.resetBreaker();
    await t.node.federation!.syncNow();
    expect(await headAt(t.node.store.db, deviceId)).toBe(centralHead);
    const sale = await sell(t);
    const [first] = await t.node.store.db.query<{ seq: number }>(
      "SELECT min(device_seq)::int AS seq FROM events WHERE store_id = $1 AND device_id = $2 AND type = 'SaleCreated' AND payload->>'saleId' = $3",
      [storeId, deviceId, sale.saleId],
    );
    expect(first?.seq, "the sale's event follows the central's checkpoint").toBe(centralHead + 1);
    expect(sale.fiscal!.number).toBeGreaterThan(Math.max(...sold));
    await settle(terminals, 120_000, { db: central.central.db, storeId });
    expect((await t.status()).deadLetter).toBeNull();
    await expectConvergedWithCentral(central.central.db, storeId, terminals);
  });

  it('a terminal offline at start still sells (the start check gives up on an unreachable central)', async () => {
    let t = terminals[0]!;
    await t.node.close();
    t.proxy.partition(true);
    t = terminals[0] = await restartChaosTerminal(t, central, true);
    const started = Date.now();
    await sell(t);
    expect(Date.now() - started).toBeLessThan(30_000);
    t.proxy.partition(false);
    await settle(terminals, 120_000, { db: central.central.db, storeId });
    await expectConvergedWithCentral(central.central.db, storeId, terminals);
  });
});
