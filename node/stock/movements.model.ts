import { assertNever } from '../../shared/errors.js';
import type { EventOf } from '../../shared/events.js';

/** One signed movement of goods: negative leaves the shelf (a sale), positive comes back (a void, a restock). */
export interface Movement {
  productId: string;
  location: string;
  quantity: number;
  kind: 'sale' | 'void' | 'refund';
  eventId: string;
}

/** The movements one document (a sale, with its void and refunds) caused, in the order they happened. */
export interface MovementsRow {
  sourceId: string;
  movements: Movement[];
}

export type StockEvent = EventOf<'SaleCreated' | 'SaleVoided' | 'SaleRefunded'>;

/** Event by event (ids compare as PostgreSQL compares uuids), each event's movements in their own order. */
const byEvent = (a: Movement, b: Movement): number => (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0);

/**
 * Pure: the movements of a sale after one event. A sale takes each line off its location; a void puts back what the
 * sale took (a sale with refunds cannot be voided); a refund puts back the lines it restocks. The movements are kept
 * by event id, not by arrival: two terminals that receive each other's refunds of one sale in opposite orders hold
 * the same row (and the table keys a movement by its event and its place in it, migration 0028).
 */
export function applyStockEvent(row: MovementsRow | undefined, event: StockEvent, sourceId: string): MovementsRow {
  const base = row ?? { sourceId, movements: [] };
  const add = (more: Movement[]): MovementsRow => ({ sourceId, movements: [...base.movements.filter((m) => m.eventId !== event.event_id), ...more].sort(byEvent) });
  switch (event.type) {
    case 'SaleCreated':
      return add(event.payload.lines.map((l) => ({ productId: l.productId, location: l.location, quantity: -l.quantity, kind: 'sale', eventId: event.event_id })));
    case 'SaleVoided':
      return add(
        base.movements
          .filter((m) => m.kind === 'sale')
          .map((m) => ({ productId: m.productId, location: m.location, quantity: -m.quantity, kind: 'void', eventId: event.event_id })),
      );
    case 'SaleRefunded':
      return add(
        event.payload.lines
          .filter((l) => l.restock)
          .map((l) => ({ productId: l.productId, location: l.location, quantity: l.quantity, kind: 'refund', eventId: event.event_id })),
      );
    default:
      return assertNever(event, 'stock event');
  }
}

/** Stock per "product|location" as the sum of movements: the definition stock_levels must agree with (R4). */
export function stockOf(rows: Iterable<MovementsRow>): Map<string, number> {
  const out = new Map<string, number>();
  for (const row of rows) {
    for (const m of row.movements) {
      const key = `${m.productId}|${m.location}`;
      out.set(key, (out.get(key) ?? 0) + m.quantity);
    }
  }
  return out;
}
