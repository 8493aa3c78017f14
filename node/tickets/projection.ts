import { defineProjection } from '../journal/projection.js';
import { closeTicket } from './store.js';

/**
 * Routes the tickets' audit events. They build no read model of their own (the audit log reads the journal), with
 * one effect: TicketAbandoned closes the open ticket it names in the same transaction that records it, so an
 * abandoned ticket is never restored. `apply` gives "no row" and `remove` closes the ticket; `loadAll` is empty, as
 * a fold of the log is, so the rebuild verifier agrees.
 */
export const ticketAuditProjection = defineProjection<never, 'TicketLineRemoved' | 'TicketAbandoned'>({
  name: 'ticketAudit',
  topic: 'tickets',
  handles: ['TicketLineRemoved', 'TicketAbandoned'],
  keysOf: (event) => (event.type === 'TicketAbandoned' ? [event.payload.ticketId] : []),
  apply: () => undefined,
  load: async () => new Map<string, never>(),
  loadAll: async () => new Map<string, never>(),
  save: async () => {},
  async remove(tx, storeId, keys) {
    for (const ticketId of keys) await closeTicket(tx, storeId, 'system', ticketId);
  },
});
