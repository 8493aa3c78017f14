import type { CommandName, MethodName, OutputOf, ParsedInputOf } from '../shared/contract/index.js';
import type { NodeStatus } from '../shared/contract/system.js';
import type { FederationStatus } from '../shared/contract/federation.js';
import type { SharedDomain } from '../shared/domains/index.js';
import type { Db, ReadDb } from './db/types.js';
import type { Principal, StoreScope } from './handlers.js';
import type { CommandHandler, CommandRunner } from './journal/command.js';
import type { AnyProjection } from './journal/projection.js';

/** What the node is, for handlers that speak about the node itself rather than a store. */
export interface NodeEnv {
  status(): Promise<NodeStatus>;
  /** The relay to the central (node/federation), on a terminal; set once it has started. */
  federation?: FederationControl;
}

/** What the federation methods ask of the relay (node/federation implements it; app.ts hands it over). */
export interface FederationControl {
  status(): Promise<FederationStatus>;
  enroll(input: { centralUrl: string; code: string; deviceName?: string | undefined }): Promise<FederationStatus>;
  syncNow(): Promise<FederationStatus>;
  resetBreaker(): Promise<FederationStatus>;
  reconcileNow(): Promise<FederationStatus>;
  retryDeadLetter(): Promise<FederationStatus>;
}

/** What a query handler sees: a read-only database and the store of the call. */
export interface QueryContext {
  db: ReadDb;
  store: StoreScope;
  principal: Principal;
  node: NodeEnv;
  signal: AbortSignal;
}

export type QueryHandler<K extends MethodName> = (input: ParsedInputOf<K>, ctx: QueryContext) => Promise<OutputOf<K>>;

/**
 * What a `local` method sees: the database itself, to write this node's local state outside the journal, each write
 * its own synced transaction (Db.write): working state such as the open ticket, or security records (failed
 * attempts, lockouts, approvals), so that a refused sign-in still counts.
 */
export interface LocalContext extends Omit<QueryContext, 'db'> {
  db: Db;
}

export type LocalHandler<K extends MethodName> = (input: ParsedInputOf<K>, ctx: LocalContext) => Promise<OutputOf<K>>;

/** A handler per method of the domain, keyed by the method's name (named once): commands decide, queries read. */
export type DomainHandlers<S extends SharedDomain> = {
  [D in S['methods'][number] as D['name']]: D['kind'] extends 'command'
    ? CommandHandler<D['name'] & CommandName>
    : D['kind'] extends 'local'
      ? LocalHandler<D['name'] & MethodName>
      : QueryHandler<D['name'] & MethodName>;
};

/** Something a domain keeps running beside the API (a scheduled job, a watcher). `start` returns its stop. */
export interface Service {
  name: string;
  start(deps: ServiceDeps): () => void | Promise<void>;
}

export interface ServiceDeps {
  db: Db;
  store: StoreScope;
  commands: CommandRunner;
}

/**
 * A domain as the node runs it: the shared part (contract, events, topics) plus its handlers, read models and
 * services. The app, the routing, remote apply, the verifier and the CLI all iterate over node/domains.ts.
 */
export interface NodeDomain<S extends SharedDomain = SharedDomain, P extends readonly AnyProjection[] = readonly AnyProjection[]> {
  readonly shared: S;
  readonly handlers: DomainHandlers<NoInfer<S>>;
  readonly projections: P;
  readonly services: readonly Service[];
}

/** Any domain, for the lists that iterate over them (its handlers' exact types are checked where it is defined). */
export interface AnyNodeDomain {
  readonly shared: SharedDomain;
  readonly handlers: object;
  readonly projections: readonly AnyProjection[];
  readonly services: readonly Service[];
}

export const defineNodeDomain = <S extends SharedDomain, const P extends readonly AnyProjection[]>(domain: NodeDomain<S, P>) => domain;
