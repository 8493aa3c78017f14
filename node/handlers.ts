import type { MethodName, OutputOf, ParsedInputOf, Role } from '../shared/contract/index.js';

/** Who is calling: until the users domain exists, whoever launched the app is the store's owner. */
export interface Principal {
  actorId: string;
  role: Role;
  via: 'secret' | 'session';
}

export interface CallContext {
  principal: Principal;
  requestId: string;
  /** Set for commands: the client's idempotency key. */
  commandId: string | undefined;
  signal: AbortSignal;
}

/**
 * One handler per method of the contract: a missing or extra one fails to compile. Domains implement them; the API
 * (and later the federation) calls them, so this lives beside both rather than in either.
 */
export type Handlers = {
  [K in MethodName]: (input: ParsedInputOf<K>, ctx: CallContext) => Promise<OutputOf<K>>;
};
