import { z } from 'zod';
import { command, everyone, managers, query } from './define.js';
import { minorUnitsSchema } from '../money.js';
import { optionalTextSchema, textSchema } from '../text.js';
import { uuidSchema } from '../ids.js';
import { because } from '../issues.js';

const BARCODE = /^[0-9A-Za-z\-.]{1,32}$/;

export const barcodeSchema = z
  .string({ error: 'barcode must be text' })
  .trim()
  .refine((s) => BARCODE.test(s), because('badBarcode'))
  .meta({ pattern: BARCODE.source });

const fields = {
  name: textSchema(120, 'name'),
  sku: optionalTextSchema(40, 'SKU').nullable(),
  barcodes: z.array(barcodeSchema).max(10, 'at most 10 barcodes per product'),
  cost: minorUnitsSchema.nullable(),
  taxRateBp: z.number().int('tax rate must be whole basis points').min(0).max(10_000),
  category: optionalTextSchema(60, 'category').nullable(),
  unit: z.enum(['unit', 'kg']),
  trackStock: z.boolean(),
  minStock: z.number().int('minimum stock must be in thousandths').min(0).max(1_000_000_000).nullable(),
};

export const productSchema = z.object({
  id: z.string(),
  ...fields,
  price: minorUnitsSchema,
  currency: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
  version: z.number().int(),
});
export type Product = z.infer<typeof productSchema>;

/** A scanned barcode's product; `others` is not empty when terminals gave the barcode to several (a conflict). */
export const barcodeMatchSchema = z.object({ product: productSchema, others: z.array(productSchema) });
export type BarcodeMatch = z.infer<typeof barcodeMatchSchema>;

export const productCreateInput = z.strictObject({
  name: fields.name,
  price: minorUnitsSchema,
  sku: fields.sku.optional(),
  barcodes: fields.barcodes.default([]),
  cost: fields.cost.optional(),
  taxRateBp: fields.taxRateBp.default(0),
  category: fields.category.optional(),
  unit: fields.unit.default('unit'),
  trackStock: fields.trackStock.default(true),
  minStock: fields.minStock.optional(),
});

const productPatch = z.strictObject({
  name: fields.name.optional(),
  sku: fields.sku.optional(),
  barcodes: fields.barcodes.optional(),
  cost: fields.cost.optional(),
  taxRateBp: fields.taxRateBp.optional(),
  category: fields.category.optional(),
  unit: fields.unit.optional(),
  trackStock: fields.trackStock.optional(),
  minStock: fields.minStock.optional(),
});
export type ProductPatch = z.infer<typeof productPatch>;

export const productUpdateInput = z.strictObject({
  id: uuidSchema,
  patch: productPatch.refine((p) => Object.keys(p).length > 0, because('nothingToChange')),
});

export const priceChangeInput = z.strictObject({
  id: uuidSchema,
  price: minorUnitsSchema,
  reason: optionalTextSchema(200, 'reason').optional(),
});

export const productListInput = z.strictObject({
  search: optionalTextSchema(100, 'search').optional(),
  limit: z.number().int().min(1).max(500).default(100),
  // A cursor carries the last name seen: 120 characters of "ñ" or "€" take several hundred once encoded.
  after: z.string().max(1000).optional(),
});

const fieldWriteSchema = z.object({
  hlc: z.string(),
  basis: z.string().nullable(),
  eventId: z.string(),
  deviceId: z.string(),
  actorId: z.string(),
  at: z.string(),
  value: z.unknown(),
});

/** One entry of the catalog's conflict log: a field's winning write and the concurrent writes it beat. */
export const productConflictSchema = z.object({
  productId: z.string(),
  productName: z.string(),
  field: z.string(),
  strategy: z.literal('lww-hlc'),
  at: z.string(),
  winner: fieldWriteSchema,
  losers: z.array(fieldWriteSchema),
});
export type ProductConflict = z.infer<typeof productConflictSchema>;

const isoTime = z.iso.datetime({ offset: true, error: 'must be a date and time such as 2026-11-29T10:00:00Z' });

export const productConflictsInput = z.strictObject({
  from: isoTime.optional(),
  to: isoTime.optional(),
  limit: z.number().int().min(1).max(500).default(100),
});

export const productMethods = [
  query({
    name: 'products.list',
    summary:
      'Products in alphabetical order as Spanish speakers expect (Ñ after N, accents ignored, numbers by value), ' +
      'optionally filtered by an accent-blind search over name and SKU, where a full barcode finds its product; paged with `after`.',
    input: productListInput,
    output: z.object({ items: z.array(productSchema), next: z.string().nullable() }),
    roles: everyone,
  }),
  query({
    name: 'products.get',
    summary: 'One product by id.',
    input: z.strictObject({ id: uuidSchema }),
    output: productSchema,
    roles: everyone,
  }),
  query({
    name: 'products.findByBarcode',
    summary:
      'The product a scanned barcode belongs to (the oldest one), and in `others` any other product that carries it ' +
      'too: a conflict between terminals for the owner to resolve.',
    input: z.strictObject({ barcode: barcodeSchema }),
    output: barcodeMatchSchema,
    roles: everyone,
    priority: 'high',
  }),
  query({
    name: 'products.conflicts',
    summary:
      'The conflict log (R8), newest first: writes to a product field that lost, last-writer-wins by clock, to a ' +
      'write of another terminal that had not seen them; with the winner, the losers and their values.',
    input: productConflictsInput,
    output: z.object({ conflicts: z.array(productConflictSchema) }),
    roles: managers,
    priority: 'low',
  }),
  command({
    name: 'products.create',
    summary: 'Adds a product to the catalog (ProductCreated).',
    input: productCreateInput,
    output: productSchema,
    roles: managers,
  }),
  command({
    name: 'products.update',
    summary: 'Changes a product’s details other than its price (ProductUpdated).',
    input: productUpdateInput,
    output: productSchema,
    roles: managers,
  }),
  command({
    name: 'products.changePrice',
    summary: 'Sets a product’s sale price (PriceChanged, audited on its own).',
    input: priceChangeInput,
    output: productSchema,
    roles: managers,
  }),
] as const;
