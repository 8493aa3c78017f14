import type { StaffRole } from '../../shared/contract/index.js';
import { newId } from '../../shared/ids.js';
import type { CommandCall, QueryCall, StoreScope } from '../../node/handlers.js';

/** A query call as the API would make it, for a person of this role in this store. */
export const queryCall = (store: StoreScope, staffRole: StaffRole = 'owner'): QueryCall => ({
  principal: { actorId: staffRole, staffRole, via: 'secret' },
  store,
  requestId: newId(),
  signal: new AbortController().signal,
});

/** A command call: a fresh command id unless one is given (a retry reuses it). */
export const commandCall = (store: StoreScope, staffRole: StaffRole = 'owner', commandId = newId()): CommandCall => ({
  ...queryCall(store, staffRole),
  commandId,
});
