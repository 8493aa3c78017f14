import { afterEach, describe, expect, it } from 'vitest';
import { contract } from '../../shared/contract/index.js';
import { startNode, type RunningNode } from '../app.js';
import { lastReconcile } from '../reconcile/index.js';
import { createEnrollmentCode } from '../central/enrollment.js';
import type { RunningCentral } from '../central/app.js';
import { commandCall } from '../../test/support/calls.js';
import { startTestCentral } from '../../test/support/central.js';
import { useTempDirs } from '../../test/support/tmp.js';

/** The real central (PGlite) and two terminal nodes in this process: what one terminal records reaches the other. */
describe('two terminals through a central', { timeout: 300_000 }, () => {
  const dirs = useTempDirs('mostrador-fed-e2e-');
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  });

  const terminal = async (realtime: boolean) => {
    const node = await startNode({ dataDir: dirs(), port: 0, federation: { pollMs: 3_600_000, realtime, timeoutMs: 20_000 } });
    stops.push(() => node.close());
    return node;
  };
  const names = async (node: RunningNode) =>
    (await node.store.db.query<{ name: string }>('SELECT name FROM products WHERE store_id = $1 ORDER BY name', [node.own.storeId])).map((r) => r.name);
  const until = async (what: string, check: () => Promise<boolean>, ms = 120_000) => {
    const end = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  it('a product created on one terminal appears on the other, pushed by the sale and pulled on the WebSocket nudge', async () => {
    const central: RunningCentral = await startTestCentral({ dataDir: dirs() });
    stops.push(() => central.close());
    const first = await terminal(false);
    const second = await terminal(true);

    // The first terminal brings its standalone store; the second joins that store.
    const firstCode = await createEnrollmentCode(central.central.db, {});
    const joined = await first.federation!.enroll({ centralUrl: central.url, code: firstCode.code });
    expect(joined.enrolled).toBe(true);
    const storeId = first.own.storeId;
    const secondCode = await createEnrollmentCode(central.central.db, { storeId });
    await second.federation!.enroll({ centralUrl: central.url, code: secondCode.code });
    expect(second.own.storeId).toBe(storeId);

    await first.handlers['products.create'](contract['products.create'].input.parse({ name: 'Yerba Mate 1kg', price: 450000 }), commandCall(first.own));
    // The sale kicks the relay; the central's WebSocket tells the second terminal to pull.
    await until('the product on the second terminal', async () => (await names(second)).includes('Yerba Mate 1kg'));

    await second.handlers['products.create'](contract['products.create'].input.parse({ name: 'Azúcar 1kg', price: 120000 }), commandCall(second.own));
    await until('the second product at the central', async () => (await second.federation!.status()).backlog === 0);
    await first.federation!.syncNow();
    expect(await names(first)).toEqual(['Azúcar 1kg', 'Yerba Mate 1kg']);
    const status = await first.federation!.status();
    expect(status).toMatchObject({ enrolled: true, online: true, backlog: 0, deadLetter: null, breaker: { state: 'closed' } });

    // The first round after enrolling is a reconnect: each terminal compared its log with the central's (R12).
    for (const node of [first, second]) {
      await until('a reconciliation logged', async () => {
        await node.federation!.reconciled();
        return (await lastReconcile(node.store.db, storeId)) !== undefined;
      });
      const last = await lastReconcile(node.store.db, storeId);
      expect(['in-sync', 'converged'], JSON.stringify(last)).toContain(last!.outcome);
    }
    // The nightly job reaches the same central through the same breaker.
    let nightly = await first.jobs.runNow('reconcile');
    // A catch-up run of the same job may hold its lock at this moment: the runner skips rather than overlap.
    for (let i = 0; i < 20 && nightly.outcome === 'skipped'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      nightly = await first.jobs.runNow('reconcile');
    }
    expect(nightly).toMatchObject({ outcome: 'succeeded' });
  });
});
