import { ticketsDomain } from '../../shared/domains/tickets.js';
import { defineNodeDomain } from '../domain.js';
import { ticketHandlers } from './handlers.js';
import { ticketAuditProjection } from './projection.js';

/** The open tickets of this terminal (working state, not journaled) and their audit events. */
export const ticketsNode = defineNodeDomain({
  shared: ticketsDomain,
  handlers: ticketHandlers,
  projections: [ticketAuditProjection],
  services: [],
});
