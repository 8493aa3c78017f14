import { z } from 'zod';
import { productMethods } from '../contract/products.js';
import { eventDef } from '../eventdef.js';
import { minorUnitsSchema } from '../money.js';
import { defineSharedDomain } from './define.js';

const productFields = z.object({
  productId: z.string().uuid(),
  name: z.string(),
  sku: z.string().nullable(),
  barcodes: z.array(z.string()),
  price: minorUnitsSchema,
  currency: z.string(),
  cost: minorUnitsSchema.nullable(),
  taxRateBp: z.number().int(),
  category: z.string().nullable(),
  unit: z.enum(['unit', 'kg']),
  trackStock: z.boolean(),
  minStock: z.number().int().nullable(),
});

const productChanges = productFields.omit({ productId: true, price: true, currency: true }).partial();

/** The catalog's events, by type, with their payload versions. */
export const catalogEvents = {
  ProductCreated: eventDef(productFields),
  // v2 adds `basis`: per changed field, the clock of the value the writer replaced (what it had seen), so a node
  // can tell a concurrent write (a conflict, logged) from a later one. Without a basis (v1, or a write that replaced
  // nothing) a write is never called a conflict.
  ProductUpdated: eventDef(z.object({ productId: z.string().uuid(), changes: productChanges })).next(
    z.object({ productId: z.string().uuid(), changes: productChanges, basis: z.record(z.string(), z.string()).optional() }),
    (v1) => ({ ...v1, basis: {} }),
  ),
  PriceChanged: eventDef(
    z.object({
      productId: z.string().uuid(),
      price: minorUnitsSchema,
      previousPrice: minorUnitsSchema,
      currency: z.string(),
      reason: z.string().nullable(),
    }),
  ).next(
    z.object({
      productId: z.string().uuid(),
      price: minorUnitsSchema,
      previousPrice: minorUnitsSchema,
      currency: z.string(),
      reason: z.string().nullable(),
      /** The clock of the price the writer replaced; null when unknown (v1). */
      basis: z.string().nullable().optional(),
    }),
    (v1) => ({ ...v1, basis: null }),
  ),
};

/** What the renderer may see of the catalog: its API methods, its events and its push topics. */
export const catalogDomain = defineSharedDomain({
  name: 'catalog',
  methods: productMethods,
  events: catalogEvents,
  topics: ['products'],
});
