import { counterEvents, fiscalRef } from '../../shared/domains/counter.events.js';
import type { WireEvent } from '../../shared/federation.js';
import type { WriteTx } from '../db/types.js';

interface RangeRow {
  range_id: string;
  series: string;
  doc_type: string;
  device_id: string;
  first_number: number;
  last_number: number;
  granted_by: string;
  expires_at: string | null;
  used_upto: number;
}

interface UseRow {
  range_id: string;
  number: number;
}

/** The fiscal facts in a batch: ranges a device gave itself (standalone, before it enrolled) and numbers consumed. */
export function fiscalFacts(events: readonly WireEvent[]): { ranges: RangeRow[]; uses: UseRow[] } {
  const ranges: RangeRow[] = [];
  const uses: UseRow[] = [];
  for (const e of events) {
    if (e.type === 'FiscalRangeGranted') {
      const p = readSafely(() => counterEvents.FiscalRangeGranted.read(e.version, e.payload));
      if (p) {
        ranges.push({ range_id: p.rangeId, series: p.series, doc_type: p.docType, device_id: p.deviceId, first_number: p.first, last_number: p.last, granted_by: p.grantedBy, expires_at: p.expiresAt, used_upto: 0 });
      }
      continue;
    }
    const payload = e.payload as Record<string, unknown> | null;
    if (payload === null || typeof payload !== 'object') continue;
    for (const field of ['fiscal', 'creditNote']) {
      const ref = fiscalRef.safeParse(payload[field]);
      if (ref.success) uses.push({ range_id: ref.data.rangeId, number: ref.data.number });
    }
  }
  // A range and numbers from it can arrive in one batch; the statement's update does not see rows it inserts.
  for (const range of ranges) {
    for (const use of uses) if (use.range_id === range.range_id) range.used_upto = Math.max(range.used_upto, use.number);
  }
  return { ranges, uses };
}

function readSafely<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/**
 * Keeps the central's record of a store's fiscal ranges current with what devices push, in one statement when the
 * batch has any: self-granted ranges are recorded (and their series' next number moved past them, so the central
 * never grants over them), consumed numbers move their range's `used_upto`.
 */
export async function recordFiscalEvents(tx: WriteTx, storeId: string, events: readonly WireEvent[]): Promise<void> {
  const { ranges, uses } = fiscalFacts(events);
  if (ranges.length === 0 && uses.length === 0) return;
  await tx.query(
    `WITH r AS (
       INSERT INTO central_fiscal_ranges (store_id, range_id, series, doc_type, device_id, first_number, last_number, granted_by, expires_at, used_upto, state)
       SELECT $1, x.range_id, x.series, x.doc_type, x.device_id, x.first_number, x.last_number, x.granted_by, x.expires_at,
         x.used_upto, CASE WHEN x.used_upto >= x.last_number THEN 'used' ELSE 'open' END
       FROM jsonb_to_recordset($2::jsonb) AS x(range_id uuid, series text, doc_type text, device_id uuid, first_number bigint,
         last_number bigint, granted_by text, expires_at timestamptz, used_upto bigint)
       ON CONFLICT DO NOTHING RETURNING series, doc_type, last_number
     ), s AS (
       INSERT INTO fiscal_series AS s (store_id, series, doc_type, next_number)
       SELECT $1, series, doc_type, max(last_number) + 1 FROM r GROUP BY series, doc_type
       ON CONFLICT (store_id, series, doc_type) DO UPDATE SET next_number = greatest(s.next_number, EXCLUDED.next_number)
     ), u AS (
       SELECT range_id, max(number) AS upto FROM jsonb_to_recordset($3::jsonb) AS y(range_id uuid, number bigint) GROUP BY range_id
     )
     UPDATE central_fiscal_ranges f SET used_upto = greatest(f.used_upto, u.upto),
       state = CASE WHEN f.state = 'open' AND u.upto >= f.last_number THEN 'used' ELSE f.state END
     FROM u WHERE f.store_id = $1 AND f.range_id = u.range_id`,
    [storeId, JSON.stringify(ranges), JSON.stringify(uses)],
  );
  if (ranges.length > 0) await alertOverlaps(tx, storeId, ranges);
}

/**
 * A range a device gave itself that overlaps another range of its series (a terminal that went on granting itself
 * numbers after it joined, or a restored one) would let one fiscal number be used twice: it cannot be undone here,
 * so it is raised as an alert for the operator, with both ranges named.
 */
async function alertOverlaps(tx: WriteTx, storeId: string, ranges: readonly RangeRow[]): Promise<void> {
  await tx.query(
    `INSERT INTO central_alerts (store_id, alert_id, device_id, event_id, reason)
     SELECT r.store_id, gen_random_uuid(), r.device_id, r.range_id::text,
       'fiscal range ' || r.series || ' ' || r.doc_type || ' ' || r.first_number || '-' || r.last_number ||
       ' overlaps range ' || o.range_id || ' (' || o.first_number || '-' || o.last_number || ', granted by ' || o.granted_by || ')'
     FROM central_fiscal_ranges r JOIN central_fiscal_ranges o ON o.store_id = r.store_id AND o.series = r.series AND o.doc_type = r.doc_type
       AND o.range_id <> r.range_id AND o.first_number <= r.last_number AND r.first_number <= o.last_number
     WHERE r.store_id = $1 AND r.range_id = ANY($2::uuid[])`,
    [storeId, ranges.map((r) => r.range_id)],
  );
}
