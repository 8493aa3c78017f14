import type { MethodName, OutputOf, ParsedInputOf } from '../../shared/contract/index.js';
import type { Principal } from './auth.js';

export interface CallContext {
  principal: Principal;
  requestId: string;
  /** Set for commands: the client's idempotency key. */
  commandId: string | undefined;
  signal: AbortSignal;
}

/** One handler per method of the contract: a missing or extra one fails to compile. */
export type Handlers = {
  [K in MethodName]: (input: ParsedInputOf<K>, ctx: CallContext) => Promise<OutputOf<K>>;
};
