import type { Contract, MethodName, OutputOf, ParsedInputOf, StaffRole } from '../shared/contract/index.js';

/** Who is calling: a signed-in person, or, until the store has an owner who signs in, the installation as its owner. */
export interface Principal {
  actorId: string;
  /** The person's role in the shop (owner, cashier…), not the node's role (terminal, central). */
  staffRole: StaffRole;
  via: 'secret' | 'session';
  /** The SHA-256 of the person session's token, when a person signed in on top of the installation (users.signIn). */
  person?: string;
  /**
   * Only the installation is proven and the store has people, so nobody is signed in: only the sign-in screen's
   * methods (`open` in the contract) answer.
   */
  anonymous?: boolean;
}

/**
 * The store a call acts on. A terminal passes its own; the central passes the authenticated device's. Nothing in
 * the command path, the handlers or remote apply closes over a process-wide store.
 */
export interface StoreScope {
  storeId: string;
  currency: string;
}

export interface QueryCall {
  principal: Principal;
  store: StoreScope;
  requestId: string;
  signal: AbortSignal;
}

/** A command's call: its client-made id (the idempotency key) is required, by type. */
export interface CommandCall extends QueryCall {
  commandId: string;
}

export type CallOf<K extends MethodName> = Contract[K]['kind'] extends 'command' ? CommandCall : QueryCall;

/**
 * One callable per method of the contract, built from the domains (node/dispatch.ts). The API (and later the
 * federation) calls them, so this lives beside both rather than in either.
 */
export type Handlers = {
  [K in MethodName]: (input: ParsedInputOf<K>, call: CallOf<K>) => Promise<OutputOf<K>>;
};
