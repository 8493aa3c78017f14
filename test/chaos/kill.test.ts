import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids.js';
import { verifyDeviceChain, verifyReadModels } from '../../node/journal/verify.js';
import { allProjections, route } from '../../node/domains.js';
import { openDataDir } from '../../node/runtime/open.js';
import { request } from '../support/node.js';
import { spawnNode, type NodeProcess } from '../support/process.js';
import { seededRandom } from '../support/random.js';
import { tempDir } from '../support/tmp.js';

/**
 * R27 "acknowledged means on disk" against the real process: a client creates products as fast as it can, the node
 * is SIGKILLed at a seeded random moment and restarted at once on the same folder, many times. Every product whose
 * answer reached the client must be there after every restart, and at the end the journal and read models agree.
 *
 * Replay a failure with KILL_SEED=<seed> (printed in the test name); more rounds with KILL_ROUNDS=<n>.
 */
const SEED = Number(process.env.KILL_SEED ?? (Date.now() % 2 ** 31));
const ROUNDS = Number(process.env.KILL_ROUNDS ?? 20);
const CONCURRENCY = 4;
const SECRET = randomBytes(24).toString('hex');

interface Acked {
  id: string;
  name: string;
  price: number;
  round: number;
}

function api(url: string, method: string, input: unknown, commandId?: string) {
  return request(`${url}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${SECRET}` },
    body: JSON.stringify({ input, ...(commandId ? { commandId } : {}) }),
  });
}

async function listAll(url: string): Promise<Map<string, { name: string; price: number }>> {
  const all = new Map<string, { name: string; price: number }>();
  let after: string | undefined;
  for (let page = 0; page < 10_000; page++) {
    const res = await api(url, 'products.list', { limit: 500, ...(after ? { after } : {}) });
    if (res.status !== 200) throw new Error(`products.list answered ${res.status}: ${JSON.stringify(res.body)}`);
    for (const p of res.body.result.items as { id: string; name: string; price: number }[]) {
      if (all.has(p.id)) throw new Error(`products.list returned ${p.id} twice`);
      all.set(p.id, { name: p.name, price: p.price });
    }
    after = res.body.result.next ?? undefined;
    if (!after) return all;
  }
  throw new Error('products.list never ended');
}

describe('SIGKILL at random moments (R27)', () => {
  const tmp = tempDir('mostrador-kill-');
  let node: NodeProcess | undefined;

  afterAll(async () => {
    await node?.stop('SIGKILL');
    tmp.remove();
  });

  it(`loses no acknowledged product over ${ROUNDS} kills (KILL_SEED=${SEED})`, { timeout: 300_000 }, async () => {
    const random = seededRandom(SEED);
    const acked: Acked[] = [];
    const unknownOutcome: string[] = [];
    const refused: string[] = [];
    const wrong: string[] = [];
    let counter = 0;
    const startedAll = Date.now();

    for (let round = 0; round < ROUNDS; round++) {
      node = await spawnNode(tmp.dir, { MOSTRADOR_LAUNCH_SECRET: SECRET }).catch((error: Error) => {
        throw new Error(`round ${round} (KILL_SEED=${SEED}): the node did not start again after SIGKILL: ${error.message}`);
      });
      const url = node.url;

      // Everything acknowledged so far (all earlier rounds) survived the kill.
      const present = await listAll(url);
      const lost = acked.filter((a) => {
        const p = present.get(a.id);
        return !p || p.name !== a.name || p.price !== a.price;
      });
      expect(lost, `round ${round} (KILL_SEED=${SEED}): acknowledged products missing or different after restart`).toEqual([]);
      // Spot-check by id too (a different read path than the list).
      for (const a of acked.filter((x) => x.round === round - 1).slice(-5)) {
        const got = await api(url, 'products.get', { id: a.id });
        expect(got.status, `products.get ${a.id} after round ${round - 1}`).toBe(200);
        expect(got.body.result).toMatchObject({ id: a.id, name: a.name, price: a.price });
      }

      // The client loop: CONCURRENCY creates in flight until the node dies.
      let running = true;
      const worker = async () => {
        while (running) {
          const n = counter++;
          const name = `Producto ${String(n).padStart(6, '0')}`;
          const price = 100 + n;
          let res;
          try {
            res = await api(url, 'products.create', { name, price }, newId());
          } catch {
            // Connection reset by the kill: the outcome is unknown; the product may or may not exist.
            unknownOutcome.push(name);
            return;
          }
          if (res.status === 200) {
            const p = res.body.result;
            if (p?.name !== name || p?.price !== price || p?.version !== 1) wrong.push(JSON.stringify(p));
            acked.push({ id: p.id, name, price, round });
          } else {
            refused.push(`${res.status} ${JSON.stringify(res.body)}`);
          }
        }
      };
      const before = acked.length;
      const workers = Array.from({ length: CONCURRENCY }, worker);
      // Kill at a seeded moment after the round's first acknowledged create (so every round has something to lose).
      const firstAck = Date.now() + 15_000;
      while (acked.length === before && refused.length === 0 && Date.now() < firstAck) await new Promise((r) => setTimeout(r, 2));
      const delay = Math.floor(random() * 700);
      await new Promise((r) => setTimeout(r, delay));
      const child = node;
      const exited = child.stop('SIGKILL');
      running = false;
      await exited;
      expect(child.child.signalCode).toBe('SIGKILL');
      await Promise.all(workers);
      node = undefined;
      // A round that acknowledged nothing proves nothing; the node must have been serving.
      expect(acked.length - before, `round ${round}: no create was acknowledged in 15 s`).toBeGreaterThan(0);
    }
    expect(refused, 'a create was refused (not a kill, a real error)').toEqual([]);
    expect(wrong, 'a create answered something else than what was sent').toEqual([]);

    // One more start: the last kill's acknowledged products are there too.
    node = await spawnNode(tmp.dir, { MOSTRADOR_LAUNCH_SECRET: SECRET });
    const present = await listAll(node.url);
    expect(acked.filter((a) => !present.has(a.id)).map((a) => a.id)).toEqual([]);
    // Nothing beyond what was acknowledged or cut mid-flight.
    expect(present.size).toBeGreaterThanOrEqual(acked.length);
    expect(present.size).toBeLessThanOrEqual(acked.length + unknownOutcome.length);
    expect(await node.stop('SIGTERM')).toBe(0);
    node = undefined;

    const store = await openDataDir(tmp.dir);
    try {
      const { storeId, deviceId } = store.identity;
      const chain = await verifyDeviceChain(store.db, storeId, deviceId);
      expect(chain).toMatchObject({ ok: true });
      expect(await verifyReadModels(store.db, storeId, allProjections, route)).toEqual([]);
      const [counts] = await store.db.query<{ events: number; created: number; products: number; results: number; outbox: number }>(
        `SELECT (SELECT count(*)::int FROM events) AS events,
                (SELECT count(*)::int FROM events WHERE type = 'ProductCreated') AS created,
                (SELECT count(*)::int FROM products) AS products,
                (SELECT count(*)::int FROM command_results) AS results,
                (SELECT count(*)::int FROM outbox) AS outbox`,
      );
      expect(counts!.events).toBe(counts!.products);
      expect(counts!.created).toBe(counts!.events);
      expect(counts!.results).toBe(counts!.events);
      expect(counts!.outbox).toBe(counts!.events);
      expect(counts!.products).toBe(present.size);
      expect((chain as { checked: number }).checked).toBe(counts!.events);
    } finally {
      await store.close();
    }
    console.log(
      `kill chaos KILL_SEED=${SEED}: ${ROUNDS} kills, ${acked.length} acknowledged, ${unknownOutcome.length} cut mid-flight, ` +
        `${present.size} products, ${((Date.now() - startedAll) / 1000).toFixed(1)} s`,
    );
  });
});
