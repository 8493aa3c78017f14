import { contract, type CommandName, type MethodName, type StaffRole } from '../../../shared/contract/index.js';
import { wireDomains } from '../../dispatch.js';
import type { Handlers, StoreScope } from '../../handlers.js';
import { openDataDir, type OpenStore } from '../../runtime/open.js';
import { commandCall, queryCall } from '../../../test/support/calls.js';
import { tempDir } from '../../../test/support/tmp.js';

/** A node's store in this process with its handlers, and calls made as a person of a given role. */
export interface Counter {
  store: OpenStore;
  handlers: Handlers;
  own: StoreScope;
  run<K extends CommandName>(method: K, input: unknown, role?: StaffRole, commandId?: string): Promise<any>;
  ask<K extends MethodName>(method: K, input: unknown, role?: StaffRole): Promise<any>;
  close(): Promise<void>;
}

export async function openCounter(): Promise<Counter> {
  const tmp = tempDir('mostrador-sales-');
  const store = await openDataDir(tmp.dir);
  const { handlers, own } = wireDomains(store, { status: () => Promise.reject(new Error('not used')) });
  const call = handlers as unknown as Record<string, (input: unknown, call: unknown) => Promise<unknown>>;
  return {
    store,
    handlers,
    own,
    run: (method, input, role = 'owner', commandId) => call[method]!(contract[method].input.parse(input), commandCall(own, role, commandId)),
    ask: (method, input, role = 'owner') => call[method]!(contract[method].input.parse(input), queryCall(own, role)),
    async close() {
      await store.close();
      tmp.remove();
    },
  };
}

/** A product as the owner creates it; returns its id. */
export async function product(c: Counter, fields: Record<string, unknown>): Promise<string> {
  return ((await c.run('products.create', fields)) as { id: string }).id;
}

/** Opens this terminal's till with one note of the largest denomination; returns the session id. */
export async function openTill(c: Counter): Promise<string> {
  const { denominations } = (await c.ask('cash.settings', {})) as { denominations: number[] };
  const session = (await c.run('cash.open', { float: [{ denomination: denominations[0]!, count: 1 }] })) as { id: string };
  return session.id;
}
