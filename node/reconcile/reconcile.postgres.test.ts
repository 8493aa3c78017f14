import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../../shared/contract/index.js';
import { newId } from '../../shared/ids.js';
import { loadMigrations, migrate } from '../db/migrate.js';
import { openPostgres, type PostgresDb } from '../db/postgres.js';
import { wireDomains } from '../dispatch.js';
import { route } from '../domains.js';
import { applyRemoteEvents } from '../journal/remote.js';
import { JobRunner } from '../jobs/runner.js';
import { recentRuns } from '../jobs/locks.js';
import { ensureIdentity, type Identity } from '../runtime/identity.js';
import { openDataDir, type OpenStore } from '../runtime/open.js';
import { migrationsDir } from '../runtime/paths.js';
import { commandCall } from '../../test/support/calls.js';
import { createTestDatabase } from '../../test/support/postgres.js';
import { deviceLog } from '../../test/support/eventlog.js';
import { tempDir } from '../../test/support/tmp.js';
import { combineHashes, sumToHex } from './combine.js';
import { applyReceiver, dbPeer, lastReconcile, reconcileJob, reconcileWith, type LocalSide } from './index.js';

/** A terminal on PGlite against a central's database on PostgreSQL 15: the same summaries on both engines. */
describe('reconciling a terminal (PGlite) with a central (PostgreSQL)', () => {
  const tmp = tempDir('mostrador-recon-pg-');
  let terminal: OpenStore;
  let central: PostgresDb;
  let centralId: Identity;
  let drop: () => Promise<void>;
  let local: LocalSide;

  beforeAll(async () => {
    const server = await createTestDatabase();
    drop = server.drop;
    central = openPostgres(server.url, { max: 4 });
    await migrate(central, loadMigrations(migrationsDir(), 'central'));
    centralId = await ensureIdentity(central, 'central', 'ARS');
    terminal = await openDataDir(tmp.dir);
    local = { db: terminal.db, storeId: terminal.identity.storeId, deviceId: terminal.identity.deviceId, route };
  }, 120_000);
  afterAll(async () => {
    await terminal?.close();
    await central?.close();
    await drop?.();
    tmp.remove();
  });

  const centralPeer = () => dbPeer(central, local.storeId, applyReceiver(central, local.storeId, centralId.deviceId, route));

  it('the terminal sold offline (command path) and the central lost a tail: both converge, and the log says so', async () => {
    const { handlers, own } = wireDomains(terminal, { status: () => Promise.reject(new Error('not used')) });
    for (let i = 0; i < 5; i++) await handlers['products.create'](contract['products.create'].input.parse({ name: `Fideos ${i}`, price: 100 + i }), commandCall(own));
    const other = newId();
    const otherLog = deviceLog(local.storeId, other, 30);
    await applyRemoteEvents(central, { storeId: local.storeId, deviceId: centralId.deviceId, mode: 'remote' }, otherLog, route);
    await applyRemoteEvents(terminal.db, { storeId: local.storeId, deviceId: local.deviceId, mode: 'remote' }, otherLog.slice(0, 12), route);

    // Both engines summarise the same events identically.
    const sums = async (db: PostgresDb | OpenStore['db']) =>
      (await db.query<{ hash_sum: string }>('SELECT hash_sum::text AS hash_sum FROM recon_device WHERE store_id = $1 AND device_id = $2', [local.storeId, other])).map((r) => sumToHex(r.hash_sum));
    expect(await sums(central)).toEqual([combineHashes(otherLog.map((e) => e.hash))]);
    expect(await sums(terminal.db)).toEqual([combineHashes(otherLog.slice(0, 12).map((e) => e.hash))]);

    const result = await reconcileWith(local, centralPeer());
    expect(result).toMatchObject({ outcome: 'converged', pulled: 18, pushed: 5 });
    expect(await lastReconcile(terminal.db, local.storeId)).toMatchObject({ outcome: 'converged', pulled: 18, pushed: 5 });
    expect(await reconcileWith(local, centralPeer())).toMatchObject({ outcome: 'in-sync' });
  });

  it('on the central, a second reconcile of the same store waits its turn (advisory lock), and the nightly job logs its run', async () => {
    const side: LocalSide = { db: central, storeId: local.storeId, deviceId: centralId.deviceId, route };
    let release!: () => void;
    const slowPeer = { ...dbPeer(terminal.db, local.storeId, applyReceiver(terminal.db, local.storeId, local.deviceId, route)) };
    const inner = slowPeer.vector;
    slowPeer.vector = async (h) => (await new Promise<void>((r) => (release = r)), inner(h));
    const first = reconcileWith(side, slowPeer, 'terminal');
    while (!release) await new Promise((r) => setTimeout(r, 10));
    const second = await reconcileWith(side, dbPeer(terminal.db, local.storeId, applyReceiver(terminal.db, local.storeId, local.deviceId, route)), 'terminal');
    expect(second).toMatchObject({ outcome: 'skipped', reason: expect.stringContaining('another central process') });
    release();
    expect((await first).outcome).toBe('in-sync');

    const runner = new JobRunner(terminal.db);
    runner.add(reconcileJob(local, () => centralPeer()));
    const run = await runner.runNow('reconcile');
    expect(run).toMatchObject({ outcome: 'succeeded', result: { outcome: 'in-sync' } });
    expect((await recentRuns(terminal.db, 'reconcile'))[0]).toMatchObject({ outcome: 'succeeded', reason: 'manual' });
    await runner.stop();
  });
});
