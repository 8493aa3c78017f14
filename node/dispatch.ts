import { contract, type CommandName } from '../shared/contract/index.js';
import type { Db } from './db/types.js';
import type { AnyNodeDomain, NodeEnv, QueryHandler } from './domain.js';
import { nodeDomains, route } from './domains.js';
import type { CommandCall, Handlers, QueryCall, StoreScope } from './handlers.js';
import { CommandRunner, type CommandHandler } from './journal/command.js';
import type { Identity } from './runtime/identity.js';

export interface DispatchDeps {
  db: Db;
  commands: CommandRunner;
  node: NodeEnv;
}

/**
 * One callable per contract method, from the domains' handlers: a command's decision goes through the write path,
 * a query reads with the call's store. Registering a method twice, or one the contract lacks, throws at start.
 */
export function dispatchOf(domains: readonly AnyNodeDomain[], deps: DispatchDeps): Handlers {
  const out: Record<string, (input: never, call: never) => Promise<unknown>> = {};
  for (const domain of domains) {
    for (const [name, handler] of Object.entries(domain.handlers) as [string, unknown][]) {
      if (Object.hasOwn(out, name)) throw new Error(`API method ${name} has two handlers`);
      const def = (contract as Record<string, { kind: string } | undefined>)[name];
      if (!def) throw new Error(`handler for ${name}, which the contract does not declare`);
      out[name] =
        def.kind === 'command'
          ? (input: never, call: CommandCall) => deps.commands.run(name as CommandName, handler as CommandHandler<CommandName>, input, call)
          : // Queries and `local` methods get the same context; `deps.db` is the full Db, which local handlers write through.
            (input: never, call: QueryCall) =>
              (handler as QueryHandler<never>)(input, { db: deps.db, store: call.store, principal: call.principal, node: deps.node, signal: call.signal });
    }
  }
  const missing = Object.keys(contract).filter((name) => !Object.hasOwn(out, name));
  if (missing.length > 0) throw new Error(`no handler for ${missing.join(', ')}`);
  return out as unknown as Handlers;
}

export interface Wired {
  commands: CommandRunner;
  handlers: Handlers;
  /** The store this node acts on when it is a terminal. */
  own: StoreScope;
}

/** The domains over an open data folder: the write path and every handler (the app, tests and benchmarks use it). */
export function wireDomains(store: { db: Db; identity: Identity }, node: NodeEnv): Wired {
  const { db, identity } = store;
  const commands = new CommandRunner(db, route, { deviceId: identity.deviceId, nodeRole: identity.nodeRole });
  return { commands, handlers: dispatchOf(nodeDomains, { db, commands, node }), own: { storeId: identity.storeId, currency: identity.currency } };
}
