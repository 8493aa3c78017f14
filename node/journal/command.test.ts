import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../../shared/contract/index.js';
import { wireDomains } from '../dispatch.js';
import type { Handlers, StoreScope } from '../handlers.js';
import { openDataDir, type OpenStore } from '../runtime/open.js';
import { tempDir } from '../../test/support/tmp.js';
import { commandCall } from '../../test/support/calls.js';
import type { CommandRunner } from './command.js';

describe('the write path', () => {
  const tmp = tempDir('mostrador-command-');
  let store: OpenStore;
  let handlers: Handlers;
  let runner: CommandRunner;
  let own: StoreScope;
  const ctx = (role: Parameters<typeof commandCall>[1]) => commandCall(own, role);
  const count = async (table: string) => (await store.db.query<{ n: number }>(`SELECT count(*)::int8 AS n FROM ${table}`))[0]!.n;

  beforeAll(async () => {
    store = await openDataDir(tmp.dir);
    ({ commands: runner, handlers, own } = wireDomains(store, { status: () => Promise.reject(new Error('not used')) }));
  });
  afterAll(async () => {
    await store.close();
    tmp.remove();
  });

  it('checks the role itself, whoever calls it, and writes nothing when refused', async () => {
    const input = contract['products.create'].input.parse({ name: 'Aceite 1,5L', price: 390000 });
    await expect(handlers['products.create'](input, ctx('cashier'))).rejects.toMatchObject({ code: 'Forbidden' });
    expect([await count('events'), await count('command_results'), await count('outbox')]).toEqual([0, 0, 0]);
  });

  it('appends event, read model, outbox and result together, and tells listeners after the commit', async () => {
    const heard: string[][] = [];
    runner.onCommitted((c) => heard.push(c.topics));
    const input = contract['products.create'].input.parse({ name: 'Aceite 1,5L', price: 390000 });
    const product = await handlers['products.create'](input, ctx('owner'));
    expect(product).toMatchObject({ name: 'Aceite 1,5L', price: 390000, version: 1 });
    expect([await count('events'), await count('products'), await count('outbox'), await count('command_results')]).toEqual([1, 1, 1, 1]);
    expect(heard).toEqual([['products']]);
    const [head] = await store.db.query<{ seq: number }>('SELECT seq FROM journal_head WHERE device_id = $1', [store.identity.deviceId]);
    expect(head!.seq).toBe(1);
  });

  it('appends nothing for a command that changes nothing, and still answers', async () => {
    const [row] = await store.db.query<{ id: string }>('SELECT id::text AS id FROM products');
    const before = await count('events');
    const same = await handlers['products.changePrice']({ id: row!.id, price: 390000 }, ctx('supervisor'));
    expect(same.price).toBe(390000);
    expect(await count('events')).toBe(before);
  });
});
