import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../../shared/contract/index.js';
import { PowerCut } from '../../node/db/crash.js';
import type { PgliteDb } from '../../node/db/pglite.js';
import { wireDomains } from '../../node/dispatch.js';
import { allProjections, route } from '../../node/domains.js';
import { verifyDeviceChain, verifyReadModels } from '../../node/journal/verify.js';
import { commandCall } from '../support/calls.js';
import { openDataDir } from '../../node/runtime/open.js';
import { cutModeFor } from '../support/powercut.js';
import { seededRandom } from '../support/random.js';
import { tempDir } from '../support/tmp.js';

/**
 * R27 through the whole write path: products are created through the command path while the power is cut at a
 * seeded write or sync; reopened, the folder must open, hold every acknowledged product, verify its chain and
 * equal its rebuild. POWERCUT_SEEDS=300 runs more (npm run chaos:powercut); POWERCUT_SEED=n replays one.
 */
const seeds = process.env.POWERCUT_SEED
  ? [Number(process.env.POWERCUT_SEED)]
  : Array.from({ length: Number(process.env.POWERCUT_SEEDS ?? 50) }, (_, i) => i + 1);

describe('power cuts during commands', () => {
  const tmp = tempDir('mostrador-powercut-');
  const template = path.join(tmp.dir, 'template');

  beforeAll(async () => {
    const store = await openDataDir(template);
    await store.close();
  });
  afterAll(() => tmp.remove());

  it.each(seeds)('loses nothing acknowledged (seed %i)', async (seed) => {
    const mode = cutModeFor(seed);
    const random = seededRandom(seed);
    const dir = path.join(tmp.dir, `seed-${seed}`);
    fs.cpSync(template, dir, { recursive: true });
    const cut = new PowerCut(mode);
    // The lock is this process's own; after the cut the dead instance is abandoned, as a dead process would be.
    const store = await openDataDir(dir, { fs: { observer: cut }, skipLock: true });
    const { handlers, own } = wireDomains(store, { status: () => Promise.reject(new Error('no status here')) });
    const create = handlers['products.create'];
    cut.arm(1 + Math.floor(random() * 300));
    const acked: string[] = [];
    let inFlight: Promise<unknown> = Promise.resolve();
    while (!cut.happened && acked.length < 1000) {
      const input = contract['products.create'].input.parse({ name: `Producto ${acked.length} ${'x'.repeat(Math.floor(random() * 90))}`, price: 1 + Math.floor(random() * 1e6) });
      const call = create(input, commandCall(own));
      inFlight = call.catch(() => undefined);
      try {
        acked.push((await cut.race(call)).id);
      } catch {
        break;
      }
    }
    expect(cut.happened, `seed ${seed}: the power was cut`).toBe(true);
    // A dead process's files close with it: once the abandoned instance is idle, give its descriptors back.
    await Promise.race([inFlight, new Promise((resolve) => setTimeout(resolve, 5000))]);
    await (store.db as PgliteDb).fs.closeFs();

    const reopened = await openDataDir(dir);
    try {
      const { storeId, deviceId } = reopened.identity;
      const rows = await reopened.db.query<{ id: string }>('SELECT id::text AS id FROM products');
      const present = new Set(rows.map((r) => r.id));
      expect(acked.filter((id) => !present.has(id)), `seed ${seed} (${mode.label}): acknowledged products lost`).toEqual([]);
      const chain = await verifyDeviceChain(reopened.db, storeId, deviceId);
      expect(chain.ok, `seed ${seed} (${mode.label}): ${JSON.stringify(chain)}`).toBe(true);
      expect(await verifyReadModels(reopened.db, storeId, allProjections, route), `seed ${seed}: read models drift`).toEqual([]);
      const [counts] = await reopened.db.query<{ events: number; outbox: number; results: number }>(
        'SELECT (SELECT count(*) FROM events)::int8 AS events, (SELECT count(*) FROM outbox)::int8 AS outbox, (SELECT count(*) FROM command_results)::int8 AS results',
      );
      expect(counts, `seed ${seed}: event, outbox and result rows commit together`).toEqual({ events: rows.length, outbox: rows.length, results: rows.length });
    } finally {
      await reopened.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
