import { ticketMethods } from '../contract/tickets.js';
import { counterEvents } from './counter.events.js';
import { defineSharedDomain } from './define.js';

/**
 * The open ticket: kept by the node as working state (not journaled), restored after a reload or a crash. Only what
 * the audit log needs goes to the journal: lines taken off and tickets abandoned.
 */
export const ticketsDomain = defineSharedDomain({
  name: 'tickets',
  methods: ticketMethods,
  events: { TicketLineRemoved: counterEvents.TicketLineRemoved, TicketAbandoned: counterEvents.TicketAbandoned },
  topics: ['tickets'],
});
