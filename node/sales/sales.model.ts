import { assertNever } from '../../shared/errors.js';
import type { EventOf, PayloadOf } from '../../shared/events.js';
import { lineNets } from '../../shared/sale-math.js';

/** Who did something and when, from the event's envelope. */
export interface Stamp {
  eventId: string;
  at: string;
  by: string;
  deviceId: string;
  hlc: string;
}

/**
 * A row of the sales read model: the sale as SaleCreated told it, its void and its refunds. `sale` is null while
 * only a refund or a void has reached this node (from another terminal, before the sale itself).
 */
export interface SaleRow {
  saleId: string;
  created: Stamp | null;
  sale: PayloadOf<'SaleCreated'> | null;
  voided: (Stamp & { payload: PayloadOf<'SaleVoided'> }) | null;
  refunds: (Stamp & { payload: PayloadOf<'SaleRefunded'> })[];
}

export type SaleEvent = EventOf<'SaleCreated' | 'SaleVoided' | 'SaleRefunded'>;

const stampOf = (event: SaleEvent): Stamp => ({ eventId: event.event_id, at: event.created_at, by: event.actor_id, deviceId: event.device_id, hlc: event.hlc });

/** Pure: the sale after one event. Refunds are kept in clock order, so every node holds them alike. */
export function applySaleEvent(row: SaleRow | undefined, event: SaleEvent, saleId: string): SaleRow {
  const base: SaleRow = row ?? { saleId, created: null, sale: null, voided: null, refunds: [] };
  switch (event.type) {
    case 'SaleCreated':
      return { ...base, created: stampOf(event), sale: event.payload };
    case 'SaleVoided':
      return { ...base, voided: { ...stampOf(event), payload: event.payload } };
    case 'SaleRefunded': {
      const refunds = [...base.refunds.filter((r) => r.eventId !== event.event_id), { ...stampOf(event), payload: event.payload }];
      refunds.sort((a, b) => (a.hlc === b.hlc ? (a.eventId < b.eventId ? -1 : 1) : a.hlc < b.hlc ? -1 : 1));
      return { ...base, refunds };
    }
    default:
      return assertNever(event, 'sale event');
  }
}

/** Quantity refunded so far per line of the sale (across every refund, from any terminal). */
export function refundedByLine(row: SaleRow): Map<string, number> {
  const out = new Map<string, number>();
  for (const refund of row.refunds) {
    for (const line of refund.payload.lines) out.set(line.lineId, (out.get(line.lineId) ?? 0) + line.quantity);
  }
  return out;
}

/** What the customer paid for each line in the end (line total less its share of the ticket discount), by line id. */
export function netByLine(sale: PayloadOf<'SaleCreated'>): Map<string, number> {
  const nets = lineNets(
    sale.lines.map((l) => l.total),
    sale.ticketDiscount,
  );
  return new Map(sale.lines.map((l, i) => [l.lineId, nets[i]!]));
}
