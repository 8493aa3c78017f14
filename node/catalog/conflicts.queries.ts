import type { ProductConflict } from '../../shared/contract/index.js';
import type { ReadDb } from '../db/types.js';
import type { Conflict } from './conflicts.model.js';

/** The conflict log by date, newest first; each entry named by the product's current name. */
export async function listConflicts(
  db: ReadDb,
  storeId: string,
  input: { from?: string; to?: string; limit: number },
): Promise<{ conflicts: ProductConflict[] }> {
  const rows = await db.query<{ productId: string; productName: string | null; conflicts: Conflict[] }>(
    `SELECT c.product_id::text AS "productId", p.name AS "productName", c.conflicts
       FROM product_conflicts c LEFT JOIN products p ON p.store_id = c.store_id AND p.id = c.product_id
      WHERE c.store_id = $1 AND c.last_conflict_at IS NOT NULL AND ($2::timestamptz IS NULL OR c.last_conflict_at >= $2)
      ORDER BY c.last_conflict_at DESC LIMIT 1000`,
    [storeId, input.from ?? null],
  );
  const inRange = (at: string) => (!input.from || at >= new Date(input.from).toISOString()) && (!input.to || at < new Date(input.to).toISOString());
  const entries = rows.flatMap((row) =>
    row.conflicts.filter((c) => inRange(c.at)).map((c) => ({ productId: row.productId, productName: row.productName ?? '', ...c })),
  );
  entries.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  return { conflicts: entries.slice(0, input.limit) };
}
