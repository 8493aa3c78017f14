import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contract } from '../../shared/contract/index.js';
import { newId } from '../../shared/ids.js';
import { startNode, type RunningNode } from '../app.js';
import { commandCall, queryCall } from '../../test/support/calls.js';
import { startFakeCentral, type FakeCentral } from '../../test/support/fake-central.js';
import { useTempDirs } from '../../test/support/tmp.js';
import { PUSH_ATTEMPT_LIMIT } from './attempts.js';
import { BREAKER } from './breaker.js';

/** The relay against a stand-in central (test/support/fake-central.ts): queueing, dead letters, checkpoints, pulls. */
describe('the relay against a fake central', { timeout: 240_000 }, () => {
  const dirs = useTempDirs('mostrador-relay-');
  let central: FakeCentral;
  const running: RunningNode[] = [];

  const start = async (dataDir = dirs()) => {
    // No polling or WebSocket during a test: rounds run when a test asks (syncNow) or a sale kicks them.
    const node = await startNode({ dataDir, port: 0, federation: { pollMs: 3_600_000, realtime: false, timeoutMs: 5_000 } });
    running.push(node);
    return node;
  };
  const stop = async (node: RunningNode) => {
    running.splice(running.indexOf(node), 1);
    await node.close();
  };
  const enroll = (node: RunningNode) => node.federation!.enroll({ centralUrl: central.url, code: central.code, deviceName: 'Caja' });
  const createProduct = (node: RunningNode, name: string) =>
    node.handlers['products.create'](contract['products.create'].input.parse({ name, price: 1000 }), commandCall(node.own));
  const productNames = async (node: RunningNode) =>
    (await node.store.db.query<{ name: string }>('SELECT name FROM products WHERE store_id = $1 ORDER BY name', [node.own.storeId])).map((r) => r.name);

  // A fresh central per test: its first enrolled terminal's store becomes the store every later one joins.
  beforeEach(async () => {
    central = await startFakeCentral();
  });
  afterEach(async () => {
    for (const node of [...running]) await stop(node);
    await central.close();
  });

  it('enrolls, keeps its device id, pushes what it sells and says so in the status', async () => {
    const node = await start();
    expect((await node.federation!.status()).enrolled).toBe(false);
    expect((await node.federation!.syncNow()).enrolled).toBe(false);
    const status = await enroll(node);
    expect(status).toMatchObject({ enrolled: true, centralUrl: central.url, deadLetter: null });
    await createProduct(node, 'Yerba');
    await createProduct(node, 'Azúcar');
    const after = await node.federation!.syncNow();
    expect(after).toMatchObject({ online: true, backlog: 0, breaker: { state: 'closed' } });
    expect(central.ackedSeq(node.store.identity.deviceId)).toBe(2);
    const nodeStatus = await node.handlers['system.status']({}, queryCall(node.own));
    expect(nodeStatus.federation).toMatchObject({ enrolled: true, backlog: 0 });
    // The secret never enters the journal.
    const [leak] = await node.store.db.query("SELECT 1 FROM events WHERE payload::text LIKE '%' || (SELECT secret FROM federation_link) || '%'");
    expect(leak).toBeUndefined();
    await expect(enroll(node)).rejects.toMatchObject({ code: 'Conflict' });
  });

  it('refuses a wrong code with a 4xx and stays standalone', async () => {
    const node = await start();
    await expect(node.federation!.enroll({ centralUrl: central.url, code: 'WRONG-CODE-0000' })).rejects.toMatchObject({ code: 'Conflict' });
    expect((await node.federation!.status()).enrolled).toBe(false);
    await expect(node.federation!.enroll({ centralUrl: 'http://127.0.0.1:1', code: central.code })).rejects.toMatchObject({ code: 'Conflict' });
    // A mistyped address does not count against the breaker of the real central.
    expect((await node.federation!.status()).breaker).toMatchObject({ state: 'closed', failures: 0 });
  });

  it('queues while the network is down, opens the breaker after 5 failures, and relays everything once healed', async () => {
    const node = await start();
    await enroll(node);
    await node.federation!.syncNow();
    central.down = true;
    await createProduct(node, 'Arroz');
    await createProduct(node, 'Fideos');
    for (let i = 0; i < BREAKER.failuresToOpen; i++) await node.federation!.syncNow();
    const down = await node.federation!.status();
    expect(down).toMatchObject({ online: false, backlog: 2, breaker: { state: 'open' } });
    expect(down.breaker.retryAt).not.toBeNull();
    expect(down.lastError).toMatch(/cannot reach|breaker|failed/);
    // Open: no call leaves for the central (the health probe aside).
    const before = central.calls.length;
    await node.federation!.syncNow();
    expect(central.calls.length).toBe(before);
    // The breaker survives a restart: it is kept in the node's database.
    const dataDir = node.store.dataDir;
    await stop(node);
    const again = await start(dataDir);
    expect((await again.federation!.status()).breaker.state).toBe('open');
    central.down = false;
    const healed = await again.federation!.resetBreaker();
    expect(healed.breaker.state).toBe('closed');
    const synced = await again.federation!.syncNow();
    expect(synced).toMatchObject({ online: true, backlog: 0 });
    expect(central.ackedSeq(again.store.identity.deviceId)).toBe(2);
  });

  it('halts on an event the central refuses (a dead letter), never skipping it', async () => {
    const node = await start();
    await enroll(node);
    await createProduct(node, 'Leche');
    await node.federation!.syncNow();
    const bad = await createProduct(node, 'Manteca');
    await createProduct(node, 'Queso');
    const [row] = await node.store.db.query<{ event_id: string }>(
      "SELECT event_id::text AS event_id FROM events WHERE payload->>'productId' = $1",
      [bad.id],
    );
    central.refuse = { eventId: row!.event_id, reason: 'same id, other hash' };
    const halted = await node.federation!.syncNow();
    expect(halted.deadLetter).toMatchObject({ eventId: row!.event_id, reason: 'same id, other hash', kind: 'refused', alerted: true });
    expect(halted.backlog).toBe(2);
    // It does not push past the dead letter, even when the central would now take it.
    central.refuse = undefined;
    const pushes = central.calls.filter((c) => c.path.endsWith('/push')).length;
    await node.federation!.syncNow();
    expect(central.calls.filter((c) => c.path.endsWith('/push')).length).toBe(pushes);
    expect(central.ackedSeq(node.store.identity.deviceId)).toBe(1);
    await node.federation!.clearDeadLetter();
    expect(await node.federation!.syncNow()).toMatchObject({ backlog: 0, deadLetter: null });
    expect(central.ackedSeq(node.store.identity.deviceId)).toBe(3);
  });

  it('a central that answers but fails the same push ten times dead-letters it with an alert; network failures never do', async () => {
    const node = await start();
    await enroll(node);
    await createProduct(node, 'Harina');
    const round = async () => {
      if ((await node.federation!.status()).breaker.state !== 'closed') await node.federation!.resetBreaker();
      return node.federation!.syncNow();
    };
    // Offline: twenty failed rounds only queue.
    central.down = true;
    for (let i = 0; i < 20; i++) expect(await round()).toMatchObject({ deadLetter: null, pushAttempts: 0, backlog: 1 });
    central.down = false;
    // Reachable (the health probe answers) but every push 500: the tenth answered failure is a dead letter.
    central.failPushes = true;
    const pushesBefore = central.calls.filter((c) => c.path.endsWith('/push')).length;
    let halted = await round();
    // The loop's own backoff retries count too: rounds until the halt, each answered failure counted once.
    for (let rounds = 1; halted.deadLetter === null && rounds < 2 * PUSH_ATTEMPT_LIMIT; rounds++) {
      expect(halted.pushAttempts).toBeGreaterThan(0);
      expect(halted.pushAttempts).toBeLessThan(PUSH_ATTEMPT_LIMIT);
      halted = await round();
    }
    expect(central.calls.filter((c) => c.path.endsWith('/push')).length - pushesBefore).toBe(PUSH_ATTEMPT_LIMIT);
    const [first] = await node.store.db.query<{ event_id: string }>('SELECT event_id::text AS event_id FROM outbox ORDER BY device_seq LIMIT 1');
    expect(halted).toMatchObject({ backlog: 1, pushAttempts: 0, deadLetter: { eventId: first!.event_id, kind: 'failing', alerted: true } });
    expect(central.alerts).toMatchObject([{ deviceId: node.store.identity.deviceId, eventId: first!.event_id }]);
    // Halted: no push, however many rounds; the owner retries once the central is fixed, and pushing resumes.
    const pushes = central.calls.filter((c) => c.path.endsWith('/push')).length;
    await round();
    expect(central.calls.filter((c) => c.path.endsWith('/push')).length).toBe(pushes);
    central.failPushes = false;
    expect(await node.federation!.retryDeadLetter()).toMatchObject({ backlog: 0, deadLetter: null, pushAttempts: 0 });
    expect(central.ackedSeq(node.store.identity.deviceId)).toBe(1);
    await expect(node.federation!.retryDeadLetter()).rejects.toMatchObject({ code: 'Conflict' });
  });

  it('a central whose clock is two hours off: signed with its time, skew flagged, pushes go through', async () => {
    central.clockOffsetMs = 2 * 3600_000;
    const node = await start();
    await enroll(node);
    await createProduct(node, 'Arroz');
    const status = await node.federation!.syncNow();
    expect(status).toMatchObject({ backlog: 0, online: true, clockSkewFlagged: true });
    expect(Math.abs(status.clockSkewMs! + 2 * 3600_000)).toBeLessThan(60_000);
    // After a restart the first signed call is refused for the window, carries the central's time and is signed again.
    const dataDir = node.store.dataDir;
    await stop(node);
    const again = await start(dataDir);
    await createProduct(again, 'Fideos');
    expect(await again.federation!.syncNow()).toMatchObject({ backlog: 0, online: true, clockSkewFlagged: true });
    expect(central.ackedSeq(again.store.identity.deviceId)).toBe(2);
  });

  it('resumes from the central checkpoint when the central holds less than it acknowledged', async () => {
    const node = await start();
    await enroll(node);
    for (const name of ['Café', 'Té', 'Mate']) await createProduct(node, name);
    await node.federation!.syncNow();
    const deviceId = node.store.identity.deviceId;
    expect(central.ackedSeq(deviceId)).toBe(3);
    central.forget(deviceId, 1);
    const dataDir = node.store.dataDir;
    await stop(node);
    const again = await start(dataDir);
    await again.federation!.syncNow();
    expect(central.ackedSeq(deviceId)).toBe(3);
    expect(central.held.filter((e) => e.device_id === deviceId).map((e) => e.device_seq)).toEqual([1, 2, 3]);
  });

  it("pulls the other terminals' events, and carries the request id to the central", async () => {
    const first = await start();
    const second = await start();
    await enroll(first);
    await enroll(second);
    // The second terminal joined the first one's store (it had no operations of its own).
    expect(second.own.storeId).toBe(first.own.storeId);
    expect(second.store.identity.storeId).toBe(first.own.storeId);
    await createProduct(first, 'Galletitas');
    await first.federation!.syncNow();
    await second.federation!.syncNow();
    expect(await productNames(second)).toEqual(['Galletitas']);
    await createProduct(second, 'Dulce de leche');
    await second.federation!.syncNow();
    await first.federation!.syncNow();
    expect(await productNames(first)).toEqual(['Dulce de leche', 'Galletitas']);

    const requestId = newId();
    const response = await fetch(`${second.api.url}/api/federation.syncNow`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${second.auth.secret}`, 'x-request-id': requestId },
      body: JSON.stringify({ input: {} }),
    });
    expect(response.status).toBe(200);
    expect(central.calls.some((c) => c.requestId === requestId)).toBe(true);
  });

  it("takes its own tail back when restored from a backup older than what the central holds", async () => {
    const node = await start();
    await enroll(node);
    for (const name of ['Pan', 'Harina']) await createProduct(node, name);
    await node.federation!.syncNow();
    const identity = { ...node.store.identity };
    const [link] = await node.store.db.query<Record<string, unknown>>('SELECT central_url, secret FROM federation_link');
    await stop(node);
    // A folder as a backup from before the sales would be: same device, same link, an empty journal.
    const restoredDir = dirs();
    const { openDataDir } = await import('../runtime/open.js');
    const restoredStore = await openDataDir(restoredDir, { identity });
    await restoredStore.db.write((tx) =>
      tx.query('INSERT INTO federation_link (central_url, device_id, store_id, secret) VALUES ($1, $2, $3, $4)', [link!.central_url, identity.deviceId, identity.storeId, link!.secret]),
    );
    await restoredStore.close();
    const restored = await start(restoredDir);
    await restored.federation!.syncNow();
    expect(await productNames(restored)).toEqual(['Harina', 'Pan']);
    const [head] = await restored.store.db.query<{ seq: number }>('SELECT seq FROM journal_head WHERE device_id = $1', [identity.deviceId]);
    expect(Number(head!.seq)).toBe(2);
    // The next sale continues the chain instead of reissuing device_seq 1.
    await createProduct(restored, 'Sal');
    await restored.federation!.syncNow();
    expect(central.ackedSeq(identity.deviceId)).toBe(3);
  });
});
