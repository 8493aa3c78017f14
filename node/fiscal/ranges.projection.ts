import type { ReadDb, WriteTx } from '../db/types.js';
import { defineProjection } from '../journal/projection.js';
import { applyFiscalEvent, consumedBy, type RangeRow } from './ranges.model.js';

export const RANGE_COLUMNS = `id::text AS "rangeId", device_id::text AS "deviceId", series, doc_type AS "docType", first, last,
  next, granted_by AS "grantedBy", expires_at AS "expiresAt", granted`;

const SAVE = `
INSERT INTO fiscal_ranges (store_id, id, device_id, series, doc_type, first, last, next, granted_by, expires_at, granted)
SELECT $1::uuid, r."rangeId", r."deviceId", r.series, r."docType", r.first, r.last, r.next, r."grantedBy", r."expiresAt", r.granted
FROM jsonb_to_recordset($2::jsonb) AS r("rangeId" uuid, "deviceId" uuid, series text, "docType" text, first bigint,
  last bigint, next bigint, "grantedBy" text, "expiresAt" text, granted boolean)
ON CONFLICT (store_id, id) DO UPDATE SET device_id = excluded.device_id, series = excluded.series,
  doc_type = excluded.doc_type, first = excluded.first, last = excluded.last, next = excluded.next,
  granted_by = excluded.granted_by, expires_at = excluded.expires_at, granted = excluded.granted`;

async function select(db: ReadDb, where: string, params: unknown[]): Promise<Map<string, RangeRow>> {
  const rows = await db.query<RangeRow>(`SELECT ${RANGE_COLUMNS} FROM fiscal_ranges WHERE ${where}`, params);
  return new Map(rows.map((r) => [r.rangeId, r]));
}

/** Fiscal ranges per device and series, advanced by every document that takes a number (local or remote). */
export const fiscalRangesProjection = defineProjection<RangeRow, 'FiscalRangeGranted' | 'SaleCreated' | 'SaleVoided' | 'SaleRefunded'>({
  name: 'fiscal_ranges',
  topic: 'fiscal',
  handles: ['FiscalRangeGranted', 'SaleCreated', 'SaleVoided', 'SaleRefunded'],
  keysOf: (event) => {
    if (event.type === 'FiscalRangeGranted') return [event.payload.rangeId];
    const used = consumedBy(event);
    return used ? [used.rangeId] : [];
  },
  apply: applyFiscalEvent,
  load: (tx, storeId, keys) => select(tx, 'store_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE', [storeId, keys]),
  loadAll: (db, storeId) => select(db, 'store_id = $1', [storeId]),
  async save(tx: WriteTx, storeId, rows) {
    await tx.query(SAVE, [storeId, JSON.stringify(rows)]);
  },
  async remove(tx: WriteTx, storeId, keys) {
    await tx.query('DELETE FROM fiscal_ranges WHERE store_id = $1 AND id = ANY($2::uuid[])', [storeId, keys]);
  },
});
