import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataDir, type OpenStore } from './open.js';
import { AppError } from '../../shared/errors.js';
import type { Db } from '../db/types.js';
import { recentRuns } from '../jobs/locks.js';
import { JobRunner } from '../jobs/runner.js';
import { analyze, analyzeJob } from './maintenance.js';
import { tempDir } from '../../test/support/tmp.js';

describe('planner statistics on PGlite', () => {
  const tmp = tempDir('mostrador-maint-');
  let store: OpenStore;
  beforeAll(async () => {
    store = await openDataDir(tmp.dir);
    await store.db.write((tx) =>
      tx.query(
        `INSERT INTO products (store_id, id, name, sku, barcodes, price, currency, cost, tax_rate_bp, category, unit, track_stock,
           min_stock, version, field_hlc, created_at, created_by, updated_at, updated_by)
         SELECT $1, gen_random_uuid(), 'Producto ' || g, NULL, ARRAY[(7790000000000 + g)::text], 100 + g, 'ARS', NULL, 0, NULL,
           'unit', true, NULL, 1, '{}'::jsonb, now(), 'owner', now(), 'owner' FROM generate_series(1, 5000) g`,
        [store.identity.storeId],
      ),
    );
  });
  afterAll(async () => {
    await store.close();
    tmp.remove();
  });

  const stats = async () => (await store.db.query<{ n: number }>("SELECT count(*)::int8 AS n FROM pg_stats WHERE tablename = 'products'"))[0]!.n;

  it('are missing until ANALYZE runs (PGlite has no autovacuum), and then the barcode index is used', async () => {
    expect(await stats()).toBe(0);
    await analyze(store.db);
    expect(await stats()).toBeGreaterThan(0);
    const plan = await store.db.query<{ 'QUERY PLAN': string }>(
      "EXPLAIN SELECT id FROM products WHERE store_id = $1 AND barcodes @> ARRAY['7790000000042']",
      [store.identity.storeId],
    );
    expect(plan.map((r) => r['QUERY PLAN']).join('\n')).toContain('products_by_barcode');
  });

  it('is a job of the runner that tries again soon when a busy node refused it, not hours later', async () => {
    let calls = 0;
    // The job's statements go through a node that is busy once; its lock and run log through the real database.
    const busyOnce = new Proxy(store.db, {
      get(target, key, receiver) {
        if (key !== 'query') return Reflect.get(target, key, receiver);
        return async (sql: string, params?: unknown[], work?: { priority?: 'low' }) => {
          if (sql === 'ANALYZE' && ++calls === 1) throw AppError.t('Unavailable', 'busy', { seconds: 1 });
          return target.query(sql, params, work);
        };
      },
    }) as Db;
    const runner = new JobRunner(store.db, { catchUpDelayMs: 0 });
    runner.add(analyzeJob(busyOnce, 50));
    runner.start();
    try {
      const deadline = Date.now() + 30_000;
      let runs = await recentRuns(store.db, 'planner-statistics');
      while (!runs.some((r) => r.outcome === 'succeeded') && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 25));
        runs = await recentRuns(store.db, 'planner-statistics');
      }
      // Never ran on this folder: it runs at start ('missed'), is refused as busy, and the retry 50 ms later succeeds.
      expect(runs.map((r) => [r.reason, r.outcome]).reverse()).toEqual([
        ['missed', 'failed'],
        ['retry', 'succeeded'],
      ]);
      expect(calls).toBe(2);
    } finally {
      await runner.stop();
    }
  });
});
