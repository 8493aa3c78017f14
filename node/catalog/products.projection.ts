import type { ReadDb, WriteTx } from '../db/types.js';
import { defineProjection } from '../journal/projection.js';
import { applyProductEvent, type ProductRow } from './products.model.js';

export const PRODUCT_COLUMNS = `id::text AS id, name, sku, barcodes, price, currency, cost, tax_rate_bp AS "taxRateBp",
  category, unit, track_stock AS "trackStock", min_stock AS "minStock", version, field_hlc AS "fieldHlc",
  created_at AS "createdAt", created_by AS "createdBy", updated_at AS "updatedAt", updated_by AS "updatedBy"`;

type DbRow = Omit<ProductRow, 'createdAt' | 'updatedAt'> & { createdAt: Date | null; updatedAt: Date };

export const fromDb = (row: DbRow): ProductRow => ({
  ...row,
  createdAt: row.createdAt?.toISOString() ?? null,
  updatedAt: row.updatedAt.toISOString(),
});

const SAVE = `
INSERT INTO products (store_id, id, name, sku, barcodes, price, currency, cost, tax_rate_bp, category, unit,
  track_stock, min_stock, version, field_hlc, created_at, created_by, updated_at, updated_by)
SELECT $1::uuid, r.id, r.name, r.sku, r.barcodes, r.price, r.currency, r.cost, r."taxRateBp", r.category, r.unit,
  r."trackStock", r."minStock", r.version, r."fieldHlc", r."createdAt", r."createdBy", r."updatedAt", r."updatedBy"
FROM jsonb_to_recordset($2::jsonb) AS r(id uuid, name text, sku text, barcodes text[], price bigint, currency text,
  cost bigint, "taxRateBp" integer, category text, unit text, "trackStock" boolean, "minStock" bigint, version integer,
  "fieldHlc" jsonb, "createdAt" timestamptz, "createdBy" text, "updatedAt" timestamptz, "updatedBy" text)
ON CONFLICT (store_id, id) DO UPDATE SET name = excluded.name, sku = excluded.sku, barcodes = excluded.barcodes,
  price = excluded.price, currency = excluded.currency, cost = excluded.cost, tax_rate_bp = excluded.tax_rate_bp,
  category = excluded.category, unit = excluded.unit, track_stock = excluded.track_stock,
  min_stock = excluded.min_stock, version = excluded.version, field_hlc = excluded.field_hlc,
  created_at = excluded.created_at, created_by = excluded.created_by,
  updated_at = excluded.updated_at, updated_by = excluded.updated_by`;

async function select(db: ReadDb, where: string, params: unknown[]): Promise<Map<string, ProductRow>> {
  const rows = await db.query<DbRow>(`SELECT ${PRODUCT_COLUMNS} FROM products WHERE ${where}`, params);
  return new Map(rows.map((r) => [r.id, fromDb(r)]));
}

export const productsProjection = defineProjection<ProductRow, 'ProductCreated' | 'ProductUpdated' | 'PriceChanged'>({
  name: 'products',
  topic: 'products',
  handles: ['ProductCreated', 'ProductUpdated', 'PriceChanged'],
  keysOf: (event) => [event.payload.productId],
  apply: applyProductEvent,
  load: (tx, storeId, keys) => select(tx, 'store_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE', [storeId, keys]),
  loadAll: (db, storeId) => select(db, 'store_id = $1', [storeId]),
  async save(tx: WriteTx, storeId, rows) {
    await tx.query(SAVE, [storeId, JSON.stringify(rows)]);
  },
  async remove(tx: WriteTx, storeId, keys) {
    await tx.query('DELETE FROM products WHERE store_id = $1 AND id = ANY($2::uuid[])', [storeId, keys]);
  },
});
