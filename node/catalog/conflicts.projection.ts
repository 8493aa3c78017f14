import type { ReadDb, WriteTx } from '../db/types.js';
import { defineProjection } from '../journal/projection.js';
import { applyConflictEvent, type ConflictRow } from './conflicts.model.js';

const COLUMNS = `product_id::text AS "productId", fields, conflicts`;

async function select(db: ReadDb, where: string, params: unknown[]): Promise<Map<string, ConflictRow>> {
  const rows = await db.query<ConflictRow>(`SELECT ${COLUMNS} FROM product_conflicts WHERE ${where}`, params);
  return new Map(rows.map((r) => [r.productId, r]));
}

const SAVE = `
INSERT INTO product_conflicts (store_id, product_id, fields, conflicts, last_conflict_at)
SELECT $1::uuid, r."productId", r.fields, r.conflicts,
  (SELECT max((c->>'at')::timestamptz) FROM jsonb_array_elements(r.conflicts) AS c)
FROM jsonb_to_recordset($2::jsonb) AS r("productId" uuid, fields jsonb, conflicts jsonb)
ON CONFLICT (store_id, product_id) DO UPDATE SET fields = excluded.fields, conflicts = excluded.conflicts,
  last_conflict_at = excluded.last_conflict_at`;

/** The catalog's conflict log, kept beside the products from the same events (see conflicts.model.ts). */
export const productConflictsProjection = defineProjection<ConflictRow, 'ProductCreated' | 'ProductUpdated' | 'PriceChanged'>({
  name: 'product_conflicts',
  topic: 'products',
  handles: ['ProductCreated', 'ProductUpdated', 'PriceChanged'],
  keysOf: (event) => [event.payload.productId],
  apply: applyConflictEvent,
  load: (tx, storeId, keys) => select(tx, 'store_id = $1 AND product_id = ANY($2::uuid[]) ORDER BY product_id FOR UPDATE', [storeId, keys]),
  loadAll: (db, storeId) => select(db, 'store_id = $1', [storeId]),
  async save(tx: WriteTx, storeId, rows) {
    await tx.query(SAVE, [storeId, JSON.stringify(rows)]);
  },
  async remove(tx: WriteTx, storeId, keys) {
    await tx.query('DELETE FROM product_conflicts WHERE store_id = $1 AND product_id = ANY($2::uuid[])', [storeId, keys]);
  },
});
