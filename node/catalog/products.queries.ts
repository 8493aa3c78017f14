import type { BarcodeMatch, Product } from '../../shared/contract/index.js';
import { AppError } from '../../shared/errors.js';
import type { ReadDb } from '../db/types.js';
import { toProduct } from './products.model.js';
import { fromDb, PRODUCT_COLUMNS } from './products.projection.js';
import type { BarcodeOwners } from './products.decide.js';

type Row = Parameters<typeof fromDb>[0];
type Listed = Row & { sortKey: string };

export interface ProductList {
  items: Product[];
  next: string | null;
}

/** A whole EAN-8, UPC-A, EAN-13 or GTIN-14: what a scanner (or a person reading the label) types into a search. */
export const isFullBarcode = (text: string): boolean => /^[0-9]+$/.test(text) && [8, 12, 13, 14].includes(text.length);

/** At most this many words of a search are matched (each must appear); the rest only narrow what is already few. */
const MAX_WORDS = 6;

const likeEscape = (word: string) => word.replace(/[\\%_]/g, (c) => `\\${c}`);

export interface ListQuery {
  search?: string;
  limit: number;
  after?: string;
}

/**
 * Products in the order a Spanish speaker expects (sort_key, then id), after a cursor. A search is accent- and
 * case-blind: every word must appear in the name or the SKU (trigram index); a one-word search also matches a
 * barcode exactly, and a full barcode goes to the barcode lookup first.
 */
export async function listProducts(db: ReadDb, storeId: string, q: ListQuery): Promise<ProductList> {
  const search = q.search?.trim() ?? '';
  if (isFullBarcode(search) && !q.after) {
    const matches = await db.query<Row>(BARCODE_SQL, [storeId, search]);
    if (matches.length > 0) return { items: matches.slice(0, q.limit).map((r) => toProduct(fromDb(r))), next: null };
  }
  const { sql, params } = listStatement(storeId, q);
  const rows = await db.query<Listed>(sql, params);
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return { items: page.map((r) => toProduct(fromDb(r))), next: rows.length > q.limit && last ? encodeCursor(last.sortKey, last.id) : null };
}

/** The statement behind a page of products, apart so that bench:lookup can time the very same SQL on bare PGlite. */
export function listStatement(storeId: string, q: ListQuery): { sql: string; params: unknown[] } {
  const params: unknown[] = [storeId, q.limit + 1];
  const param = (value: unknown) => `$${params.push(value)}`;
  let where = 'store_id = $1 AND deleted_at IS NULL';
  const words = (q.search ?? '').split(/\s+/).filter(Boolean).slice(0, MAX_WORDS);
  if (words.length > 0) {
    const text = words.map((w) => `search_text LIKE '%' || search_fold(${param(likeEscape(w))}) || '%'`).join(' AND ');
    where += words.length === 1 ? ` AND (${text} OR barcodes @> ARRAY[${param(words[0])}::text])` : ` AND ${text}`;
  }
  if (q.after) {
    const [sortKey, id] = decodeCursor(q.after);
    where += ` AND (sort_key, id) > (${param(sortKey)}, ${param(id)}::uuid)`;
  }
  const sql = `SELECT ${PRODUCT_COLUMNS}, sort_key AS "sortKey" FROM products WHERE ${where} ORDER BY products.sort_key, products.id LIMIT $2`;
  return { sql, params };
}

export async function getProduct(db: ReadDb, storeId: string, id: string): Promise<Product> {
  const [row] = await db.query<Row>(`SELECT ${PRODUCT_COLUMNS} FROM products WHERE store_id = $1 AND id = $2 AND deleted_at IS NULL`, [storeId, id]);
  if (!row) throw AppError.t('NotFound', 'productNotFound');
  return toProduct(fromDb(row));
}

/** Live products carrying a barcode ($2), oldest first: the same order on every terminal. */
export const BARCODE_SQL = `SELECT ${PRODUCT_COLUMNS} FROM products
  WHERE store_id = $1 AND barcodes @> ARRAY[$2::text] AND deleted_at IS NULL ORDER BY created_at, products.id`;

/**
 * The product a barcode belongs to, and any others carrying it too. Creating a product refuses a barcode already in
 * use, but two terminals offline can each give one barcode to a different product: that conflict reaches every
 * terminal, and a scan must neither fail nor silently pick one, so the oldest is the match and the rest are named.
 */
export async function findByBarcode(db: ReadDb, storeId: string, barcode: string): Promise<BarcodeMatch> {
  const [first, ...others] = (await db.query<Row>(BARCODE_SQL, [storeId, barcode])).map((r) => toProduct(fromDb(r)));
  if (!first) throw AppError.t('NotFound', 'barcodeNotFound', { barcode });
  return { product: first, others };
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

function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      !/[\u0000-\u001f]/.test(value[0]) &&
      /^[0-9a-f-]{36}$/.test(String(value[1]))
    ) {
      return [value[0], value[1] as string];
    }
  } catch {
    // fall through to the error below
  }
  throw AppError.t('ValidationError', 'badCursor');
}
