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
  ProductUpdated: eventDef(z.object({ productId: z.string().uuid(), changes: productChanges })),
  PriceChanged: eventDef(
    z.object({
      productId: z.string().uuid(),
      price: minorUnitsSchema,
      previousPrice: minorUnitsSchema,
      currency: z.string(),
      reason: z.string().nullable(),
    }),
  ),
};

/** What the renderer may see of the catalog: its API methods, its events and its push topics. */
export const catalogDomain = defineSharedDomain({
  name: 'catalog',
  methods: productMethods,
  events: catalogEvents,
  topics: ['products'],
});
