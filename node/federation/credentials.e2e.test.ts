import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalHash } from '../../shared/canonical.js';
import { newId } from '../../shared/ids.js';
import { exportJournal } from '../cli/journal-file.js';
import type { RunningCentral } from '../central/app.js';
import { createEnrollmentCode } from '../central/enrollment.js';
import { startTestCentral } from '../../test/support/central.js';
import { until } from '../../test/support/cluster.js';
import { startFaultProxy, type FaultProxy } from '../../test/support/faultproxy.js';
import { startTestNode, type TestNode } from '../../test/support/node.js';
import { createTestDatabase } from '../../test/support/postgres.js';
import { tempDir } from '../../test/support/tmp.js';
import { applyCredentials, credentialBacklog } from './credentials.js';

/**
 * PINs and passwords reach a store's other terminals through the central (docs/decisions/0013): a central on
 * PostgreSQL in this process and two terminals, the second behind a fault proxy so it can go offline. People sign in
 * through the API, as at the counter.
 */
describe('credentials across the terminals of a store', { timeout: 300_000 }, () => {
  // The terminals live across the tests of this file (each test continues the store's story).
  const folders: { dir: string; remove: () => void }[] = [];
  const dirs = () => folders[folders.push(tempDir('mostrador-creds-e2e-')) - 1]!.dir;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let central: RunningCentral;
  let proxy: FaultProxy;
  let a: TestNode;
  let b: TestNode;
  let storeId: string;
  const tokens = new Map<TestNode, string>();
  const people = { owner: '', cashier: '', supervisor: '' };
  const relay = { federation: { pollMs: 3_600_000, realtime: false, timeoutMs: 20_000 } };

  /** A call as the signed-in owner of that terminal (or nobody). */
  const asOwner = (t: TestNode, method: string, input: unknown, command = false) =>
    t.call(method, input, { ...(command ? { commandId: newId() } : {}), headers: tokens.has(t) ? { 'x-mostrador-person': tokens.get(t)! } : {} });
  const signIn = (t: TestNode, userId: string, secret: { pin: string } | { password: string }) => t.call('users.signIn', { userId, ...secret });
  const sync = async (t: TestNode) => {
    const status = await t.node.federation!.syncNow();
    expect(status.lastError, 'the round failed').toBeNull();
  };

  beforeAll(async () => {
    database = await createTestDatabase('mostrador_creds_e2e');
    central = await startTestCentral({ databaseUrl: database.url });
    proxy = await startFaultProxy(central.url);
    a = await startTestNode(dirs(), relay);
    b = await startTestNode(dirs(), relay);
  }, 240_000);

  afterAll(async () => {
    for (const stop of [() => b?.stop(), () => a?.stop(), () => proxy?.close(), () => central?.close(), () => database?.drop()]) await stop().catch(() => undefined);
    for (const folder of folders) folder.remove();
  });

  it("the owner's password set on the first terminal before it enrolled works on a terminal that joins the store", async () => {
    const setup = await a.call('users.setupOwner', { name: 'Ana Dueña', password: 'correct horse' }, { commandId: newId() });
    expect(setup.status).toBe(200);
    people.owner = setup.body.result.id;
    expect(await credentialBacklog(a.node.store.db, a.node.own.storeId)).toBe(1);
    await a.node.federation!.enroll({ centralUrl: central.url, code: (await createEnrollmentCode(central.central.db, {})).code });
    storeId = a.node.own.storeId;
    await sync(a);
    expect(await credentialBacklog(a.node.store.db, storeId)).toBe(0);

    await b.node.federation!.enroll({ centralUrl: proxy.url, code: (await createEnrollmentCode(central.central.db, { storeId })).code });
    expect(b.node.own.storeId).toBe(storeId);
    await sync(b);
    // The store has an owner who signs in: from now on this terminal too wants a person on every call.
    await until('sign-in required on the second terminal', async () => (await b.call('products.list', {})).status === 401, 30_000);
    const owner = await signIn(b, people.owner, { password: 'correct horse' });
    expect(owner.status, JSON.stringify(owner.body)).toBe(200);
    tokens.set(b, owner.body.result.token);
    expect((await signIn(b, people.owner, { password: 'wrong horse' })).status).toBe(401);
  });

  it('a cashier created with a PIN on one terminal signs in with it on the other', async () => {
    const ownerOnA = await signIn(a, people.owner, { password: 'correct horse' });
    expect(ownerOnA.status, JSON.stringify(ownerOnA.body)).toBe(200);
    tokens.set(a, ownerOnA.body.result.token);
    const created = await asOwner(a, 'users.create', { name: 'Beto Cajero', role: 'cashier', pin: '4321' }, true);
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    people.cashier = created.body.result.id;
    await sync(a);
    await sync(b);
    const directory = await b.call('users.directory', {});
    expect(directory.body.result.users).toContainEqual({ id: people.cashier, name: 'Beto Cajero', role: 'cashier', hasPin: true, hasPassword: false });
    const cashier = await signIn(b, people.cashier, { pin: '4321' });
    expect(cashier.status, JSON.stringify(cashier.body)).toBe(200);
    expect(cashier.body.result.user).toMatchObject({ id: people.cashier, role: 'cashier' });
  });

  it('a PIN changed on the second terminal: the first refuses the old one and takes the new; the lockout count stays on its till', async () => {
    const cashierToken = (await signIn(b, people.cashier, { pin: '4321' })).body.result.token;
    const changed = await b.call('users.setPin', { userId: people.cashier, pin: '8765' }, { commandId: newId(), headers: { 'x-mostrador-person': cashierToken } });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    await sync(b);
    await sync(a);
    const old = await signIn(a, people.cashier, { pin: '4321' });
    expect(old.status).toBe(401);
    expect(old.body.error.message).toContain('4 attempts left');
    expect((await signIn(a, people.cashier, { pin: '8765' })).status).toBe(200);
    // The wrong PIN counted on the first till only (lockouts are local: decision 0013).
    const failures = await b.node.store.db.query('SELECT failures FROM user_lockout WHERE store_id = $1 AND user_id = $2 AND failures > 0', [storeId, people.cashier]);
    expect(failures).toEqual([]);
  });

  it('a PIN changed while the terminal is offline reaches the other terminal once it reconnects', async () => {
    proxy.partition(true);
    const changed = await asOwner(b, 'users.setPin', { userId: people.cashier, pin: '2468' }, true);
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    const offline = await b.node.federation!.syncNow();
    expect(offline.lastError).not.toBeNull();
    expect(await credentialBacklog(b.node.store.db, storeId)).toBe(1);
    // Meanwhile the other till still takes the PIN it knows; the cashier at this one already uses the new one.
    expect((await signIn(a, people.cashier, { pin: '8765' })).status).toBe(200);
    expect((await signIn(b, people.cashier, { pin: '2468' })).status).toBe(200);
    proxy.partition(false);
    await b.node.federation!.resetBreaker();
    await until('the offline change sent', async () => {
      await b.node.federation!.syncNow();
      return (await credentialBacklog(b.node.store.db, storeId)) === 0;
    });
    await sync(a);
    expect((await signIn(a, people.cashier, { pin: '8765' })).status).toBe(401);
    expect((await signIn(a, people.cashier, { pin: '2468' })).status).toBe(200);
  });

  it('a credential that arrives before its person is kept, and works once the person arrives', async () => {
    const created = await asOwner(a, 'users.create', { name: 'Carla Supervisora', role: 'supervisor', password: 'night shift 22' }, true);
    people.supervisor = created.body.result.id;
    await sync(a);
    // The second terminal gets the hash before the person's UserCreated (the order a pull can produce).
    const [row] = await a.node.store.db.query<{ userId: string; kind: 'password'; hash: string; salt: string; params: never; hlc: string }>(
      `SELECT user_id::text AS "userId", kind, hash, salt, params, hlc FROM user_credential WHERE store_id = $1 AND user_id = $2`,
      [storeId, people.supervisor],
    );
    expect(await b.node.store.db.write((tx) => applyCredentials(tx, storeId, [row!]))).toBe(1);
    expect((await signIn(b, people.supervisor, { password: 'night shift 22' })).status).toBe(404);
    await sync(b);
    expect((await signIn(b, people.supervisor, { password: 'night shift 22' })).status).toBe(200);
  });

  it('no PIN, password, hash or salt is in either journal, its command results or its export', async () => {
    for (const t of [a, b]) {
      const creds = await t.node.store.db.query<{ hash: string; salt: string }>('SELECT hash, salt FROM user_credential WHERE store_id = $1', [storeId]);
      expect(creds.length).toBe(3);
      const secrets = ['correct horse', 'night shift 22', ...creds.flatMap((c) => [c.hash, c.salt])];
      const events = await t.node.store.db.query<{ type: string; payload: string }>('SELECT type, payload::text AS payload FROM events WHERE store_id = $1', [storeId]);
      // Every terminal knows the three people; B joined from a snapshot, so those created before it joined are in
      // its read model (and the snapshot rows below), not its journal.
      expect(await t.node.store.db.query('SELECT 1 FROM users WHERE store_id = $1', [storeId])).toHaveLength(3);
      if (t === a) expect(events.filter((e) => e.type === 'UserCreated')).toHaveLength(3);
      for (const e of events) {
        for (const s of secrets) expect(e.payload).not.toContain(s);
        expect(Object.keys(JSON.parse(e.payload) as object)).not.toEqual(expect.arrayContaining(['pin']));
        expect(e.payload).not.toMatch(/"(pin|password|hash|salt)"/);
      }
      const file = path.join(dirs(), 'journal.sqlite');
      await exportJournal(t.node.store.db, t.node.store.identity, file);
      const exported = new Database(file, { readonly: true });
      const rows = [
        ...exported.prepare('SELECT payload AS text FROM events').all(),
        ...exported.prepare('SELECT result || input_hash AS text FROM commands').all(),
        ...exported.prepare('SELECT rows AS text FROM snapshot_rows').all(),
      ] as { text: string }[];
      const hashes = exported.prepare('SELECT method, input_hash FROM commands').all() as { method: string; input_hash: string }[];
      exported.close();
      fs.rmSync(file);
      expect(rows.length).toBeGreaterThan(3);
      for (const { text } of rows) for (const s of secrets) expect(text).not.toContain(s);
      // The idempotency hash of a PIN change does not confirm a guessed PIN (an unsalted digest of 4 digits would).
      const guesses = ['4321', '8765', '2468'].flatMap((pin) => [
        canonicalHash({ method: 'users.setPin', input: { userId: people.cashier, pin } }),
        canonicalHash({ method: 'users.create', input: { name: 'Beto Cajero', role: 'cashier', pin } }),
      ]);
      expect(hashes.filter((h) => guesses.includes(h.input_hash))).toEqual([]);
      expect(hashes.some((h) => h.method === 'users.setPin' || h.method === 'users.create')).toBe(true);
    }
  });
});
