import type { ticketsDomain } from '../../shared/domains/tickets.js';
import { AppError } from '../../shared/errors.js';
import { ticketTotals } from '../../shared/ticket-totals.js';
import type { DomainHandlers } from '../domain.js';
import { closeTicket, listTickets, openTicketForUpdate, saveTicket } from './store.js';

/**
 * The open ticket's API. `tickets.save` and `tickets.close` are `local` methods: the ticket is working state the
 * renderer replaces many times a minute, so it is written straight to its table (one synced statement, priority
 * high), idempotent by ticket id + revision, and never journaled. What the audit log needs (a line taken off, a
 * ticket abandoned) goes through the write path as events. Why: docs/decisions/0009-open-ticket.md.
 */
export const ticketHandlers: DomainHandlers<typeof ticketsDomain> = {
  async 'tickets.save'(input, ctx) {
    const revision = await saveTicket(ctx.db, ctx.store.storeId, ctx.principal.actorId, input);
    return { ticketId: input.ticketId, revision };
  },

  async 'tickets.close'(input, ctx) {
    const closed = await ctx.db.write((tx) => closeTicket(tx, ctx.store.storeId, ctx.principal.actorId, input.ticketId));
    return { ticketId: input.ticketId, closed };
  },

  'tickets.list': async (_input, ctx) => ({ tickets: await listTickets(ctx.db, ctx.store.storeId) }),

  async 'tickets.removeLine'(_ctx, input) {
    const { ticketId, productId, name, quantity, amount } = input;
    return {
      events: [{ type: 'TicketLineRemoved', payload: { ticketId, productId, name, quantity, amount, approval: null } }],
      result: async () => ({ ticketId }),
    };
  },

  async 'tickets.abandon'(ctx, input) {
    const ticket = await openTicketForUpdate(ctx.db, ctx.store.storeId, input.ticketId);
    if (!ticket) throw new AppError('NotFound', 'That ticket is no longer open (it was sold, abandoned or never saved). Reload the checkout.');
    const { total } = ticketTotals(ticket.lines, ticket.ticketDiscount);
    const payload = { ticketId: input.ticketId, lines: ticket.lines.length, amount: total, reason: input.reason };
    return { events: [{ type: 'TicketAbandoned', payload }], result: async () => ({ ticketId: input.ticketId, lines: payload.lines, amount: total }) };
  },
};
