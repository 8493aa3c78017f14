import type { Product } from '../../shared/contract/index.js';
import { assertNever } from '../../shared/errors.js';
import type { EventOf } from '../../shared/events.js';

/**
 * A row of the products read model. `fieldHlc` holds, per field, the clock of the event that last set it.
 * `createdAt` is null while only updates have arrived (from another terminal, before the creation reached here):
 * such a row is kept so nothing is lost, but not listed.
 */
export interface ProductRow {
  id: string;
  name: string;
  sku: string | null;
  barcodes: string[];
  price: number;
  currency: string;
  cost: number | null;
  taxRateBp: number;
  category: string | null;
  unit: 'unit' | 'kg';
  trackStock: boolean;
  minStock: number | null;
  version: number;
  fieldHlc: Record<string, string>;
  createdAt: string | null;
  createdBy: string | null;
  updatedAt: string;
  updatedBy: string;
}

export type ProductEvent = EventOf<'ProductCreated' | 'ProductUpdated' | 'PriceChanged'>;

const LAST = '_last';
const CREATED = '_created';

type Fields = Omit<ProductRow, 'id' | 'version' | 'fieldHlc' | 'createdAt' | 'createdBy' | 'updatedAt' | 'updatedBy'>;

/** Placeholders of a row that only updates have reached; every field a creation brings will overwrite them. */
const UNSET: Fields = { name: '', sku: null, barcodes: [], price: 0, currency: '', cost: null, taxRateBp: 0, category: null, unit: 'unit', trackStock: false, minStock: null };

/**
 * Pure: the products read model after one event. Every field resolves last-writer-wins by hybrid logical clock
 * (R8), the creation included, so concurrent edits from several terminals converge whatever order they arrive in.
 */
export function applyProductEvent(row: ProductRow | undefined, event: ProductEvent, id: string): ProductRow {
  const base = row ?? { id, ...UNSET, version: 0, fieldHlc: {}, createdAt: null, createdBy: null, updatedAt: event.created_at, updatedBy: event.actor_id };
  switch (event.type) {
    case 'ProductCreated': {
      const { productId: _id, ...fields } = event.payload;
      const next = setFields(base, fields, event);
      // Should two creations of one product ever meet, the earliest names its creation, in any order.
      if (base.createdAt !== null && event.hlc >= (base.fieldHlc[CREATED] ?? '')) return next;
      return { ...next, createdAt: event.created_at, createdBy: event.actor_id, fieldHlc: { ...next.fieldHlc, [CREATED]: event.hlc } };
    }
    case 'ProductUpdated':
      return setFields(base, event.payload.changes, event);
    case 'PriceChanged':
      return setFields(base, { price: event.payload.price, currency: event.payload.currency }, event);
    default:
      return assertNever(event, 'product event');
  }
}

function setFields(row: ProductRow, changes: Partial<Fields>, event: ProductEvent): ProductRow {
  const next: ProductRow = { ...row, fieldHlc: { ...row.fieldHlc }, version: row.version + 1 };
  for (const [field, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    if (event.hlc > (next.fieldHlc[field] ?? '')) {
      (next as unknown as Record<string, unknown>)[field] = value;
      next.fieldHlc[field] = event.hlc;
    }
  }
  if (event.hlc > (next.fieldHlc[LAST] ?? '')) {
    next.fieldHlc[LAST] = event.hlc;
    next.updatedAt = event.created_at;
    next.updatedBy = event.actor_id;
  }
  return next;
}

/** The API's view of a created product. */
export const toProduct = (row: ProductRow): Product => ({
  id: row.id,
  name: row.name,
  sku: row.sku,
  barcodes: row.barcodes,
  price: row.price,
  currency: row.currency,
  cost: row.cost,
  taxRateBp: row.taxRateBp,
  category: row.category,
  unit: row.unit,
  trackStock: row.trackStock,
  minStock: row.minStock,
  createdAt: row.createdAt ?? row.updatedAt,
  createdBy: row.createdBy ?? row.updatedBy,
  updatedAt: row.updatedAt,
  updatedBy: row.updatedBy,
  version: row.version,
});
