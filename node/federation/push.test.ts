import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contract } from '../../shared/contract/index.js';
import { startNode, type RunningNode } from '../app.js';
import { acknowledgedSeq, CENTRAL } from '../journal/outbox.js';
import { commandCall } from '../../test/support/calls.js';
import { startFakeCentral, type FakeCentral } from '../../test/support/fake-central.js';
import { useTempDirs } from '../../test/support/tmp.js';
import { PUSH_LIMITS } from './relay.js';

/**
 * The relay's pipelined push (relay.ts): windows of the outbox cut into byte-capped batches, the next window read
 * while a batch is on the wire, acknowledgements written behind. Small limits, so a few products make many batches.
 */
describe('the pipelined push', { timeout: 240_000 }, () => {
  const dirs = useTempDirs('mostrador-push-');
  const limits = { ...PUSH_LIMITS };
  let central: FakeCentral;
  let node: RunningNode;
  const PRODUCTS = 20;

  beforeEach(async () => {
    central = await startFakeCentral();
    node = await startNode({ dataDir: dirs(), port: 0, federation: { pollMs: 3_600_000, realtime: false, timeoutMs: 5_000 } });
    // Enrolled only once the outbox is full (test by test): a sale on an enrolled node kicks a round of its own.
    for (let i = 1; i <= PRODUCTS; i++) {
      await node.handlers['products.create'](contract['products.create'].input.parse({ name: `Producto ${i} ${'x'.repeat(100)}`, price: 1000 + i }), commandCall(node.own));
    }
    // Windows of 7 rows; about three events a batch (each product event is some 600 bytes of JSON).
    Object.assign(PUSH_LIMITS, { maxEvents: 7, maxBytes: 2_200 });
  });
  afterEach(async () => {
    Object.assign(PUSH_LIMITS, limits);
    await node.close();
    await central.close();
  });

  const enroll = () => node.federation!.enroll({ centralUrl: central.url, code: central.code, deviceName: 'Caja' });
  const deviceSeqs = () => central.held.filter((e) => e.device_id === node.store.identity.deviceId).map((e) => e.device_seq);
  const expectContiguous = (pushes: { seqs: number[] }[], from: number) => {
    let next = from;
    for (const { seqs } of pushes) {
      expect(seqs).toEqual(seqs.map((_, i) => next + i));
      next += seqs.length;
    }
    return next;
  };

  it('sends the outbox in byte-capped batches, each continuing the last, and acknowledges them all', async () => {
    await enroll();
    const status = await node.federation!.syncNow();
    expect(status).toMatchObject({ backlog: 0, lastError: null });
    expect(deviceSeqs()).toEqual(Array.from({ length: PRODUCTS }, (_, i) => i + 1));
    // No batch past the byte cap, none repeated or skipped, and none cut short by the window's row limit alone.
    expect(central.pushes.length).toBeGreaterThanOrEqual(Math.ceil(PRODUCTS / 3));
    for (const push of central.pushes) expect(push.bytes).toBeLessThanOrEqual(PUSH_LIMITS.maxBytes + 20);
    expect(expectContiguous(central.pushes, 1)).toBe(PRODUCTS + 1);
    expect(await acknowledgedSeq(node.store.db, node.own.storeId, CENTRAL)).toBe(PRODUCTS);
    expect(await node.store.db.query('SELECT 1 FROM outbox')).toEqual([]);
  });

  it('after the central loses batches in the middle of a push, resumes from its lower checkpoint and resends them once', async () => {
    const deviceId = node.store.identity.deviceId;
    // As the third batch arrives the central is restored from a backup holding only seq 1 and 2: the batch no longer
    // continues its chain and the round fails, after the terminal pruned the outbox rows it had acknowledged.
    central.beforePush = () => {
      if (central.pushes.length === 3) central.forget(deviceId, 2);
    };
    await enroll();
    await node.federation!.syncNow();
    const healed = await node.federation!.syncNow();
    expect(healed).toMatchObject({ backlog: 0, lastError: null });
    expect(deviceSeqs()).toEqual(Array.from({ length: PRODUCTS }, (_, i) => i + 1));
    const [first, second, third, ...after] = central.pushes;
    expect(expectContiguous([first!, second!, third!], 1)).toBeGreaterThan(5);
    // Nothing else went out after the failed batch: the next push is the resend from the central's checkpoint (read
    // from the journal), and it goes on contiguously to the end, each event once.
    expect(after[0]!.seqs[0]).toBe(3);
    expect(expectContiguous(after, 3)).toBe(PRODUCTS + 1);
    expect(await acknowledgedSeq(node.store.db, node.own.storeId, CENTRAL)).toBe(PRODUCTS);
    expect(await node.store.db.query('SELECT 1 FROM outbox')).toEqual([]);
  });
});
