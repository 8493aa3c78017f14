import type { ReadDb, WriteTx } from '../db/types.js';
import { defineProjection } from '../journal/projection.js';
import { applySaleEvent, type SaleRow } from './sales.model.js';

const SAVE = `
INSERT INTO sales (store_id, id, device_id, till_session_id, fiscal_series, fiscal_number, refund_ids, row)
SELECT $1::uuid, (r.value->>'saleId')::uuid, (r.value->'created'->>'deviceId')::uuid,
  (r.value->'sale'->>'tillSessionId')::uuid, r.value->'sale'->'fiscal'->>'series',
  (r.value->'sale'->'fiscal'->>'number')::bigint,
  ARRAY(SELECT (f->'payload'->>'refundId')::uuid FROM jsonb_array_elements(r.value->'refunds') AS f),
  r.value
FROM jsonb_array_elements($2::jsonb) AS r(value)
ON CONFLICT (store_id, id) DO UPDATE SET device_id = excluded.device_id, till_session_id = excluded.till_session_id,
  fiscal_series = excluded.fiscal_series, fiscal_number = excluded.fiscal_number, refund_ids = excluded.refund_ids,
  row = excluded.row`;

async function select(db: ReadDb, where: string, params: unknown[]): Promise<Map<string, SaleRow>> {
  const rows = await db.query<{ row: SaleRow }>(`SELECT row FROM sales WHERE ${where}`, params);
  return new Map(rows.map((r) => [r.row.saleId, r.row]));
}

/** Sales with their void and refunds, one row per sale (refunds recorded against the sale's id). */
export const salesProjection = defineProjection<SaleRow, 'SaleCreated' | 'SaleVoided' | 'SaleRefunded'>({
  name: 'sales',
  topic: 'sales',
  handles: ['SaleCreated', 'SaleVoided', 'SaleRefunded'],
  keysOf: (event) => [event.payload.saleId],
  apply: applySaleEvent,
  load: (tx, storeId, keys) => select(tx, 'store_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE', [storeId, keys]),
  loadAll: (db, storeId) => select(db, 'store_id = $1', [storeId]),
  async save(tx: WriteTx, storeId, rows) {
    await tx.query(SAVE, [storeId, JSON.stringify(rows)]);
  },
  async remove(tx: WriteTx, storeId, keys) {
    await tx.query('DELETE FROM sales WHERE store_id = $1 AND id = ANY($2::uuid[])', [storeId, keys]);
  },
});
