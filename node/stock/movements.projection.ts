import type { ReadDb, WriteTx } from '../db/types.js';
import { defineProjection } from '../journal/projection.js';
import { applyStockEvent, type Movement, type MovementsRow } from './movements.model.js';

/**
 * Saving a row inserts the movements not yet stored and, in the same statement, adds exactly those to stock_levels
 * (the sum kept beside them). A row whose canonical order put a late-arriving event before movements already stored
 * (movements.model.ts) has its movements removed first (taken off stock_levels) and written again in that order.
 */
const SAVE = `
WITH r AS (
  SELECT * FROM jsonb_to_recordset($2::jsonb) AS r("sourceId" uuid, pos integer, "productId" uuid, location text,
    quantity bigint, kind text, "eventId" uuid)
), added AS (
  INSERT INTO stock_movements (store_id, source_id, pos, product_id, location, quantity, kind, event_id)
  SELECT $1::uuid, "sourceId", pos, "productId", location, quantity, kind, "eventId" FROM r
  ON CONFLICT (store_id, source_id, pos) DO NOTHING
  RETURNING product_id, location, quantity
)
INSERT INTO stock_levels (store_id, product_id, location, quantity)
SELECT $1::uuid, product_id, location, sum(quantity) FROM added GROUP BY product_id, location
ON CONFLICT (store_id, product_id, location) DO UPDATE SET quantity = stock_levels.quantity + excluded.quantity`;

const REMOVE = `
WITH gone AS (
  DELETE FROM stock_movements WHERE store_id = $1 AND source_id = ANY($2::uuid[]) RETURNING product_id, location, quantity
), sums AS (SELECT product_id, location, sum(quantity) AS q FROM gone GROUP BY product_id, location)
UPDATE stock_levels l SET quantity = l.quantity - sums.q FROM sums
WHERE l.store_id = $1 AND l.product_id = sums.product_id AND l.location = sums.location`;

type DbRow = Movement & { sourceId: string };

async function select(db: ReadDb, where: string, params: unknown[]): Promise<Map<string, MovementsRow>> {
  const rows = await db.query<DbRow>(
    `SELECT source_id::text AS "sourceId", product_id::text AS "productId", location, quantity, kind, event_id::text AS "eventId"
     FROM stock_movements WHERE ${where}`,
    params,
  );
  const out = new Map<string, MovementsRow>();
  for (const { sourceId, ...movement } of rows) {
    let row = out.get(sourceId);
    if (!row) out.set(sourceId, (row = { sourceId, movements: [] }));
    row.movements.push(movement);
  }
  return out;
}

/** Stock movements by the sale that caused them; stock is their sum (R4). */
export const stockMovementsProjection = defineProjection<MovementsRow, 'SaleCreated' | 'SaleVoided' | 'SaleRefunded'>({
  name: 'stock_movements',
  topic: 'stock',
  handles: ['SaleCreated', 'SaleVoided', 'SaleRefunded'],
  keysOf: (event) => [event.payload.saleId],
  apply: applyStockEvent,
  load: (tx, storeId, keys) => select(tx, 'store_id = $1 AND source_id = ANY($2::uuid[]) ORDER BY source_id, pos FOR UPDATE', [storeId, keys]),
  loadAll: (db, storeId) => select(db, 'store_id = $1 ORDER BY source_id, pos', [storeId]),
  async save(tx: WriteTx, storeId, rows) {
    const rewritten = rows.filter((row) => row.rewrite).map((row) => row.sourceId);
    if (rewritten.length > 0) await tx.query(REMOVE, [storeId, rewritten]);
    const flat = rows.flatMap((row) => row.movements.map((m, pos) => ({ ...m, sourceId: row.sourceId, pos })));
    if (flat.length > 0) await tx.query(SAVE, [storeId, JSON.stringify(flat)]);
  },
  async remove(tx: WriteTx, storeId, keys) {
    await tx.query(REMOVE, [storeId, keys]);
  },
});
