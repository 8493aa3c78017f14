import { defineProjection } from '../journal/projection.js';
import { closeTicket } from './store.js';

/**
 * Routes the tickets' audit events. They build no read model of their own (the audit log reads the journal), with
 * one effect: TicketAbandoned, and a SaleCreated that names its ticket, close the open ticket in the same
 * transaction that records them, so a sold or abandoned ticket is never restored (not even after a crash between
 * the sale and the renderer's `tickets.close`). `apply` gives "no row" and `remove` closes the ticket; `loadAll` is
 * empty, as a fold of the log is, so the rebuild verifier agrees.
 */
export const ticketAuditProjection = defineProjection<never, 'TicketLineRemoved' | 'TicketAbandoned' | 'SaleCreated'>({
  name: 'ticketAudit',
  topic: 'tickets',
  handles: ['TicketLineRemoved', 'TicketAbandoned', 'SaleCreated'],
  keysOf: (event) => {
    if (event.type === 'TicketAbandoned') return [event.payload.ticketId];
    if (event.type === 'SaleCreated' && event.payload.ticketId) return [event.payload.ticketId];
    return [];
  },
  apply: () => undefined,
  load: async () => new Map<string, never>(),
  loadAll: async () => new Map<string, never>(),
  save: async () => {},
  async remove(tx, storeId, keys) {
    for (const ticketId of keys) await closeTicket(tx, storeId, 'system', ticketId);
  },
});
