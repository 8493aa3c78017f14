import type { OutputOf } from '../../shared/contract/index.js';
import type { ReadDb } from '../db/types.js';
import type { StoreScope } from '../handlers.js';
import { centralNowSql } from './take.js';

/** Numbers left on this device per series (usable ranges only, expiry by the central's time), and who grants this store's ranges. */
export async function fiscalStatus(db: ReadDb, store: StoreScope, now: Date): Promise<OutputOf<'fiscal.status'>> {
  const rows = await db.query<{ series: string; docType: 'ticket' | 'creditNote'; left: number; next: number | null }>(
    `SELECT r.series, r.doc_type AS "docType",
       sum(CASE WHEN r.next <= r.last THEN r.last - r.next + 1 ELSE 0 END)::int8 AS left,
       min(r.next) FILTER (WHERE r.next <= r.last) AS next
     FROM fiscal_ranges r
     WHERE r.store_id = $1 AND r.granted AND (r.expires_at IS NULL OR r.expires_at::timestamptz > ${centralNowSql('$2')})
       AND r.device_id = (SELECT device_id FROM node_identity LIMIT 1)
     GROUP BY r.series, r.doc_type ORDER BY r.doc_type DESC, r.series`,
    [store.storeId, now.toISOString()],
  );
  const [authority] = await db.query<{ authority: 'self' | 'central' }>('SELECT authority FROM fiscal_authority WHERE store_id = $1', [store.storeId]);
  return { authority: authority?.authority ?? 'self', series: rows };
}
