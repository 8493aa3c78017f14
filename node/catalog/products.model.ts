import type { Product } from '../../shared/contract/index.js';
import type { DomainEvent } from '../../shared/events.js';

/** A row of the products read model. `fieldHlc` holds, per field, the clock of the event that last set it. */
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
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

const LAST = '_last';

type Settable = Partial<Omit<ProductRow, 'id' | 'version' | 'fieldHlc' | 'createdAt' | 'createdBy' | 'updatedAt' | 'updatedBy'>>;

/**
 * Pure: the products read model after one event. Mutable fields resolve last-writer-wins per field by hybrid logical
 * clock (R8), so concurrent edits from several terminals converge whatever order they arrive in.
 */
export function applyProductEvent(row: ProductRow | undefined, event: DomainEvent): ProductRow | undefined {
  switch (event.type) {
    case 'ProductCreated': {
      if (row) return row;
      const { productId, ...fields } = event.payload;
      const fieldHlc: Record<string, string> = { [LAST]: event.hlc };
      for (const field of Object.keys(fields)) fieldHlc[field] = event.hlc;
      return {
        id: productId,
        ...fields,
        version: 1,
        fieldHlc,
        createdAt: event.created_at,
        createdBy: event.actor_id,
        updatedAt: event.created_at,
        updatedBy: event.actor_id,
      };
    }
    case 'ProductUpdated':
      return row && setFields(row, event.payload.changes, event);
    case 'PriceChanged':
      return row && setFields(row, { price: event.payload.price, currency: event.payload.currency }, event);
    default:
      return row;
  }
}

function setFields(row: ProductRow, changes: Settable, event: DomainEvent): ProductRow {
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
  createdAt: row.createdAt,
  createdBy: row.createdBy,
  updatedAt: row.updatedAt,
  updatedBy: row.updatedBy,
  version: row.version,
});
