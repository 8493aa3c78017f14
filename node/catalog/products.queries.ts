import { z } from 'zod';
import type { Product } from '../../shared/contract/index.js';
import { AppError } from '../../shared/errors.js';
import { uuidSchema } from '../../shared/ids.js';
import type { ReadDb } from '../db/types.js';
import { toProduct } from './products.model.js';
import { fromDb, PRODUCT_COLUMNS } from './products.projection.js';
import type { BarcodeOwners } from './products.decide.js';

type Row = Parameters<typeof fromDb>[0];

/** Products by name (then id), after a cursor; a search matches name, SKU or an exact barcode. */
export async function listProducts(db: ReadDb, storeId: string, q: { search?: string; limit: number; after?: string }) {
  const params: unknown[] = [storeId, q.limit + 1];
  let where = 'store_id = $1 AND deleted_at IS NULL';
  if (q.search) {
    params.push(`%${q.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`, q.search);
    where += ` AND (lower(name) LIKE $3 OR lower(sku) LIKE $3 OR barcodes @> ARRAY[$4::text])`;
  }
  if (q.after) {
    const [name, id] = decodeCursor(q.after);
    params.push(name, id);
    where += ` AND (lower(name), id) > ($${params.length - 1}, $${params.length}::uuid)`;
  }
  const rows = await db.query<Row>(`SELECT ${PRODUCT_COLUMNS} FROM products WHERE ${where} ORDER BY lower(name), id LIMIT $2`, params);
  const items = rows.slice(0, q.limit).map((r) => toProduct(fromDb(r)));
  const last = items[items.length - 1];
  return { items, next: rows.length > q.limit && last ? encodeCursor(last.name.toLowerCase(), last.id) : null };
}

export async function getProduct(db: ReadDb, storeId: string, id: string): Promise<Product> {
  const [row] = await db.query<Row>(`SELECT ${PRODUCT_COLUMNS} FROM products WHERE store_id = $1 AND id = $2 AND deleted_at IS NULL`, [storeId, id]);
  if (!row) throw AppError.t('NotFound', 'productNotFound');
  return toProduct(fromDb(row));
}

export async function findByBarcode(db: ReadDb, storeId: string, barcode: string): Promise<Product> {
  const [row] = await db.query<Row>(
    `SELECT ${PRODUCT_COLUMNS} FROM products WHERE store_id = $1 AND barcodes @> ARRAY[$2::text] AND deleted_at IS NULL ORDER BY created_at LIMIT 1`,
    [storeId, barcode],
  );
  if (!row) throw AppError.t('NotFound', 'barcodeNotFound', { barcode });
  return toProduct(fromDb(row));
}

/** Which live products already use any of these barcodes (for the one-owner-per-barcode rule). */
export async function barcodeOwners(db: ReadDb, storeId: string, barcodes: readonly string[]): Promise<BarcodeOwners> {
  if (barcodes.length === 0) return new Map();
  const rows = await db.query<{ id: string; name: string; barcodes: string[] }>(
    'SELECT id::text AS id, name, barcodes FROM products WHERE store_id = $1 AND barcodes && $2::text[] AND deleted_at IS NULL',
    [storeId, barcodes],
  );
  const owners = new Map<string, { id: string; name: string }>();
  for (const row of rows) for (const code of row.barcodes) if (barcodes.includes(code)) owners.set(code, { id: row.id, name: row.name });
  return owners;
}

function encodeCursor(name: string, id: string): string {
  return Buffer.from(JSON.stringify([name, id])).toString('base64url');
}

/**
 * A cursor is the caller's input like any other: only a name the database can take (no NUL, no half surrogate;
 * names stored before today's text rules must still page) and a real uuid get through.
 */
const cursorSchema = z.tuple([z.string().refine((name) => !/[\u0000-\u001f]|\p{Surrogate}/u.test(name)), uuidSchema]);

function decodeCursor(cursor: string): [string, string] {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw AppError.t('ValidationError', 'badCursor');
  }
  const parsed = cursorSchema.safeParse(value);
  if (!parsed.success) throw AppError.t('ValidationError', 'badCursor');
  return parsed.data;
}
