import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../../shared/contract/index.js';
import { newId } from '../../shared/ids.js';
import { loadMigrations, migrate } from '../db/migrate.js';
import { openPostgres, type PostgresDb } from '../db/postgres.js';
import { wireDomains } from '../dispatch.js';
import { allProjections, route } from '../domains.js';
import type { Handlers } from '../handlers.js';
import { ensureIdentity, type Identity } from '../runtime/identity.js';
import { migrationsDir } from '../runtime/paths.js';
import { verifyDeviceChain, verifyReadModels } from './verify.js';
import { startTestNode, type RawResponse, type TestNode } from '../../test/support/node.js';
import { createTestDatabase } from '../../test/support/postgres.js';
import { commandCall } from '../../test/support/calls.js';

/** R2: a command id is an idempotency key — one effect however often and however concurrently it is sent. */

const countByCommand = async (db: { query: TestNode['node']['store']['db']['query'] }, commandId: string) => {
  const [row] = await db.query<{ events: number; results: number }>(
    `SELECT (SELECT count(*)::int FROM events WHERE command_id = $1) AS events,
            (SELECT count(*)::int FROM command_results WHERE command_id = $1) AS results`,
    [commandId],
  );
  return row!;
};

describe('idempotency over HTTP (PGlite node)', () => {
  let t: TestNode;
  beforeAll(async () => {
    t = await startTestNode();
  });
  afterAll(() => t?.stop());

  const productCount = async () => (await t.node.store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM products'))[0]!.n;

  /** A separate client: its own connection pool, so the calls really arrive side by side. */
  const client = () => {
    const agent = new http.Agent({ keepAlive: false, maxSockets: 100 });
    return (method: string, input: unknown, commandId: string): Promise<RawResponse> =>
      new Promise((resolve, reject) => {
        const req = http.request(
          `${t.node.api.url}/api/${method}`,
          { method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: `Bearer ${t.node.auth.secret}` } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify({ input, commandId }));
      });
  };

  it('10 concurrent identical creates with one command id make one product and one event, and answer the same', async () => {
    const before = await productCount();
    const commandId = newId();
    const input = { name: 'Fideos Tirabuzón 500g', price: 98000, barcodes: ['7790070000017'] };
    const a = client();
    const b = client();
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b)('products.create', input, commandId)));
    expect(answers.map((r) => r.status)).toEqual(Array(10).fill(200));
    const first = answers[0]!.body.result;
    expect(first).toMatchObject({ name: input.name, price: input.price, barcodes: input.barcodes, version: 1 });
    for (const r of answers) expect(r.body.result).toEqual(first);
    expect(await productCount()).toBe(before + 1);
    expect(await countByCommand(t.node.store.db, commandId)).toEqual({ events: 1, results: 1 });
    const byBarcode = await t.call('products.findByBarcode', { barcode: '7790070000017' });
    expect(byBarcode.body.result.product.id).toBe(first.id);
  });

  it('a retry after a lost response returns the first result and does nothing again', async () => {
    const commandId = newId();
    const input = { name: 'Arroz 1kg', price: 150000 };
    const lost = await t.call('products.create', input, { commandId }); // the answer is "lost": we only keep the id
    expect(lost.status).toBe(200);
    const before = await productCount();
    const retry = await t.call('products.create', input, { commandId });
    expect(retry.status).toBe(200);
    expect(retry.body.result).toEqual(lost.body.result);
    expect(await productCount()).toBe(before);
    expect(await countByCommand(t.node.store.db, commandId)).toEqual({ events: 1, results: 1 });

    // Also for a command on an existing product: a replayed price change does not bump the version again.
    const pc = newId();
    const first = await t.call('products.changePrice', { id: lost.body.result.id, price: 160000 }, { commandId: pc });
    const again = await t.call('products.changePrice', { id: lost.body.result.id, price: 160000 }, { commandId: pc });
    expect(first.body.result).toMatchObject({ price: 160000, version: 2 });
    expect(again.body.result).toEqual(first.body.result);
    expect((await t.call('products.get', { id: lost.body.result.id })).body.result.version).toBe(2);
  });

  it('a retry after the connection dropped mid-request finds exactly one outcome', async () => {
    const commandId = newId();
    const input = { name: 'Lentejas 500g', price: 70000 };
    const before = await productCount();
    // Send and hang up without reading the answer (the client crashed or the network dropped).
    await new Promise<void>((resolve) => {
      const req = http.request(`${t.node.api.url}/api/products.create`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${t.node.auth.secret}` },
      });
      req.on('error', () => resolve());
      req.on('response', (res) => {
        res.destroy();
        resolve();
      });
      req.end(JSON.stringify({ input, commandId }), () => setTimeout(() => {
        req.destroy();
        resolve();
      }, 1));
    });
    const retry = await t.call('products.create', input, { commandId });
    expect(retry.status).toBe(200);
    expect(retry.body.result).toMatchObject({ name: input.name, price: input.price, version: 1 });
    const again = await t.call('products.create', input, { commandId });
    expect(again.body.result).toEqual(retry.body.result);
    expect(await productCount()).toBe(before + 1);
    expect(await countByCommand(t.node.store.db, commandId)).toEqual({ events: 1, results: 1 });
  });

  it('the same id with another input is a 409 with a message, and changes nothing', async () => {
    const commandId = newId();
    const ok = await t.call('products.create', { name: 'Harina 000', price: 90000 }, { commandId });
    expect(ok.status).toBe(200);
    const before = await productCount();
    const other = await t.call('products.create', { name: 'Harina 0000', price: 90000 }, { commandId });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('Conflict');
    expect(other.body.error.message).toMatch(/already used/i);
    // Another method with the same id is a conflict too.
    const otherMethod = await t.call('products.changePrice', { id: ok.body.result.id, price: 1 }, { commandId });
    expect(otherMethod.status).toBe(409);
    expect(await productCount()).toBe(before);
    expect((await t.call('products.get', { id: ok.body.result.id })).body.result).toMatchObject({ name: 'Harina 000', price: 90000, version: 1 });
    expect(await countByCommand(t.node.store.db, commandId)).toEqual({ events: 1, results: 1 });
    // And the original still replays.
    const replay = await t.call('products.create', { name: 'Harina 000', price: 90000 }, { commandId });
    expect(replay.body.result).toEqual(ok.body.result);
  });

  it('concurrent calls with one id and two different inputs: one effect, the rest replay it or get 409', async () => {
    const commandId = newId();
    const before = await productCount();
    const inputs = Array.from({ length: 10 }, (_, i) => ({ name: i % 2 ? 'Aceite 900ml' : 'Aceite 1,5l', price: 200000 + (i % 2) }));
    const answers = await Promise.all(inputs.map((input) => t.call('products.create', input, { commandId })));
    const ok = answers.filter((r) => r.status === 200);
    const conflicts = answers.filter((r) => r.status === 409);
    expect(ok.length + conflicts.length).toBe(10);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    const winner = ok[0]!.body.result;
    for (const r of ok) expect(r.body.result).toEqual(winner);
    // Every 200 was for the winner's input; every 409 for the other one.
    answers.forEach((r, i) => expect(r.status, `call ${i}`).toBe(inputs[i]!.name === winner.name ? 200 : 409));
    expect(await productCount()).toBe(before + 1);
    expect(await countByCommand(t.node.store.db, commandId)).toEqual({ events: 1, results: 1 });
  });
});

describe('idempotency on the command path against PostgreSQL', () => {
  let drop: () => Promise<void>;
  let db: PostgresDb;
  let identity: Identity;
  let handlers: Handlers;
  const ctx = (commandId: string) => commandCall({ storeId: identity.storeId, currency: identity.currency }, 'owner', commandId);
  const create = (input: unknown, commandId: string) =>
    handlers['products.create'](contract['products.create'].input.parse(input), ctx(commandId));
  const settle = <T>(p: Promise<T>) => p.then((value) => ({ ok: true as const, value }), (error: Error & { code?: string }) => ({ ok: false as const, error }));

  beforeAll(async () => {
    const server = await createTestDatabase();
    drop = server.drop;
    db = openPostgres(server.url, { max: 12 });
    await migrate(db, loadMigrations(migrationsDir(), 'central'));
    identity = await ensureIdentity(db, 'central', 'ARS');
    handlers = wireDomains({ db, identity }, { status: () => Promise.reject(new Error('not used')) }).handlers;
  });
  afterAll(async () => {
    await db?.close();
    await drop?.();
  });

  const raceOneId = async (input: Record<string, unknown>) => {
    const commandId = newId();
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => settle(create(input, commandId))));
    const failed = outcomes.filter((o) => !o.ok).map((o) => `${(o as { error: Error & { code?: string } }).error.code ?? ''} ${(o as { error: Error }).error.message}`);
    expect(failed, 'every concurrent duplicate should get the first result, not an error').toEqual([]);
    const results = outcomes.map((o) => (o as { value: unknown }).value);
    for (const r of results) expect(r).toEqual(results[0]);
    expect(results[0]).toMatchObject({ name: input.name, price: input.price, version: 1 });
    expect(await countByCommand(db, commandId)).toEqual({ events: 1, results: 1 });
    const [products] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM products WHERE name = $1`, [input.name]);
    expect(products!.n).toBe(1);
  };

  it('10 concurrent creates with one command id: exactly one event, one product, all results equal', async () => {
    await raceOneId({ name: 'Galletitas 300g', price: 55000 });
  });

  // The decision of a duplicate must never run: here it would see the first copy's barcode and refuse.
  it('the same, for a product with a barcode (a rule that depends on what the first copy wrote)', async () => {
    await raceOneId({ name: 'Galletitas 500g', price: 75000, barcodes: ['7790040000011'] });
  });

  it('10 concurrent price changes with one command id: one PriceChanged, all results equal', async () => {
    const product = await create({ name: 'Mermelada 454g', price: 80000 }, newId());
    const commandId = newId();
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () => settle(handlers['products.changePrice'](contract['products.changePrice'].input.parse({ id: product.id, price: 85000 }), ctx(commandId)))),
    );
    expect(outcomes.filter((o) => !o.ok).map((o) => (o as { error: Error }).error.message)).toEqual([]);
    const results = outcomes.map((o) => (o as { value: unknown }).value);
    for (const r of results) expect(r).toEqual(results[0]);
    expect(results[0]).toMatchObject({ id: product.id, price: 85000, version: 2 });
    expect(await countByCommand(db, commandId)).toEqual({ events: 1, results: 1 });
  });

  it('repeats the race several times (distinct ids in parallel too) and the chain and read models stay whole', async () => {
    for (let round = 0; round < 5; round++) {
      const ids = [newId(), newId(), newId()];
      const calls = ids.flatMap((commandId, k) =>
        Array.from({ length: 6 }, () => settle(create({ name: `Ronda ${round} producto ${k}`, price: 1000 * (k + 1) }, commandId))),
      );
      const outcomes = await Promise.all(calls);
      const failed = outcomes.filter((o) => !o.ok).map((o) => (o as { error: Error }).error.message);
      expect(failed, `round ${round}`).toEqual([]);
      for (const commandId of ids) expect(await countByCommand(db, commandId), `round ${round} ${commandId}`).toEqual({ events: 1, results: 1 });
    }
    const chain = await verifyDeviceChain(db, identity.storeId, identity.deviceId);
    expect(chain).toMatchObject({ ok: true });
    const [{ n } = { n: -1 }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
    expect((chain as { checked: number }).checked).toBe(n);
    expect(await verifyReadModels(db, identity.storeId, allProjections, route)).toEqual([]);
  });

  it('the same id with another input is a Conflict on PostgreSQL too', async () => {
    const commandId = newId();
    const first = await create({ name: 'Té 25 saquitos', price: 30000 }, commandId);
    const other = await settle(create({ name: 'Té 50 saquitos', price: 30000 }, commandId));
    expect(other.ok).toBe(false);
    expect((other as { error: { code?: string; message: string } }).error).toMatchObject({ code: 'Conflict', message: expect.stringMatching(/already used/i) });
    expect(await create({ name: 'Té 25 saquitos', price: 30000 }, commandId)).toEqual(first);
    expect(await countByCommand(db, commandId)).toEqual({ events: 1, results: 1 });
  });
});
