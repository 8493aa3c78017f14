import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../../shared/contract/index.js';
import { wireDomains } from '../dispatch.js';
import type { Handlers, StoreScope } from '../handlers.js';
import { openDataDir, type OpenStore } from '../runtime/open.js';
import { commandCall } from '../../test/support/calls.js';
import { tempDir } from '../../test/support/tmp.js';
import { acknowledge, acknowledgedSeq, CENTRAL, pendingEvents } from './outbox.js';

describe('the outbox', () => {
  const tmp = tempDir('mostrador-outbox-');
  let store: OpenStore;
  let handlers: Handlers;
  let own: StoreScope;
  const outboxSeqs = async () => (await store.db.query<{ device_seq: number }>('SELECT device_seq FROM outbox ORDER BY device_seq')).map((r) => r.device_seq);

  beforeAll(async () => {
    store = await openDataDir(tmp.dir);
    ({ handlers, own } = wireDomains(store, { status: () => Promise.reject(new Error('not used')) }));
    for (let i = 1; i <= 5; i++) await handlers['products.create'](contract['products.create'].input.parse({ name: `Producto ${i} ${'x'.repeat(100)}`, price: i * 100 }), commandCall(own));
  });
  afterAll(async () => {
    await store.close();
    tmp.remove();
  });

  it('holds every event of this device, in device_seq order, until it is acknowledged', async () => {
    expect(await outboxSeqs()).toEqual([1, 2, 3, 4, 5]);
    const batch = await pendingEvents(store.db, own.storeId, CENTRAL, { maxEvents: 100, maxBytes: 1 << 20 });
    expect(batch.map((e) => e.device_seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('caps a batch by bytes, but always sends at least one event', async () => {
    const one = await pendingEvents(store.db, own.storeId, CENTRAL, { maxEvents: 100, maxBytes: 10 });
    expect(one.map((e) => e.device_seq)).toEqual([1]);
    const size = Buffer.byteLength(JSON.stringify(one[0]));
    const two = await pendingEvents(store.db, own.storeId, CENTRAL, { maxEvents: 100, maxBytes: size * 2 + 10 });
    expect(two.map((e) => e.device_seq)).toEqual([1, 2]);
  });

  it('moves the checkpoint forward only, and prunes what was acknowledged', async () => {
    await store.db.write((tx) => acknowledge(tx, own.storeId, CENTRAL, 3));
    expect(await acknowledgedSeq(store.db, own.storeId, CENTRAL)).toBe(3);
    expect(await outboxSeqs()).toEqual([4, 5]);
    await store.db.write((tx) => acknowledge(tx, own.storeId, CENTRAL, 2));
    expect(await acknowledgedSeq(store.db, own.storeId, CENTRAL)).toBe(3);
    const next = await pendingEvents(store.db, own.storeId, CENTRAL, { maxEvents: 100, maxBytes: 1 << 20 });
    expect(next.map((e) => e.device_seq)).toEqual([4, 5]);
  });

  it('keeps rows another target has not acknowledged yet', async () => {
    await store.db.write((tx) => acknowledge(tx, own.storeId, 'backup', 4));
    await store.db.write((tx) => acknowledge(tx, own.storeId, CENTRAL, 5));
    expect(await outboxSeqs()).toEqual([5]);
  });
});
