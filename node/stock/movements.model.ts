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

/**
 * The movements one document (a sale, with its void and refunds) caused, in one canonical order whatever order its
 * events reached this node in (refunds from two terminals arrive either way round): the sale's first, then by event
 * id, each event's in its own order. So every node stores the same rows at the same positions.
 */
export interface MovementsRow {
  sourceId: string;
  movements: Movement[];
  /** Set when an event's movements sorted before ones already held: the stored positions must be written again. */
  rewrite?: boolean;
}

const canonical = (movements: Movement[]): Movement[] =>
  movements
    .map((m, i) => ({ m, i }))
    .sort((a, b) => (a.m.kind === 'sale' ? 0 : 1) - (b.m.kind === 'sale' ? 0 : 1) || (a.m.eventId < b.m.eventId ? -1 : a.m.eventId > b.m.eventId ? 1 : a.i - b.i))
    .map(({ m }) => m);

export type StockEvent = EventOf<'SaleCreated' | 'SaleVoided' | 'SaleRefunded'>;

/**
 * Pure: the movements of a sale after one event. A sale takes each line off its location; a void puts back what the
 * sale took (a sale with refunds cannot be voided); a refund puts back the lines it restocks.
 */
export function applyStockEvent(row: MovementsRow | undefined, event: StockEvent, sourceId: string): MovementsRow {
  const base = row ?? { sourceId, movements: [] };
  const add = (more: Movement[]): MovementsRow => {
    const movements = canonical([...base.movements, ...more]);
    const moved = base.rewrite === true || base.movements.some((m, i) => movements[i] !== m);
    return { sourceId, movements, ...(moved ? { rewrite: true } : {}) };
  };
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
