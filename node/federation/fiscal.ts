import { defaultSettings, parseSetting } from '../../shared/settings.js';
import type { ReadDb } from '../db/types.js';

// The fiscal series do not depend on the currency: any currency's defaults give them.
const DEFAULT_FISCAL_SERIES = defaultSettings('ARS').fiscalSeries;

/** One of this device's fiscal ranges, as the sales helper's read model keeps it (migration 0014). */
export interface RangeRow {
  series: string;
  docType: 'ticket' | 'creditNote';
  first: number;
  last: number;
  next: number;
  /** ISO time, judged against the central's clock, never this machine's. */
  expiresAt: string | null;
}

/** Ask for the next range while this share of the active one (or less) remains: so a terminal goes offline with numbers. */
export const ASK_WHEN_LEFT = 0.2;

const usable = (r: RangeRow, centralNow: number) => r.next <= r.last && (r.expiresAt === null || Date.parse(r.expiresAt) > centralNow);

/**
 * Which series need a next range (R6): per series and document type, when the usable numbers left are at most 20%
 * of the active range, or none is usable (exhausted or expired by the central's clock), and no further range is
 * already waiting. Pure: the relay feeds it the ranges and its estimate of the central's time.
 */
export function seriesToAsk(
  ranges: readonly RangeRow[],
  centralNow: number,
  configured: readonly { series: string; docType: RangeRow['docType'] }[] = [],
): { series: string; docType: RangeRow['docType'] }[] {
  const groups = new Map<string, { series: string; docType: RangeRow['docType']; rows: RangeRow[] }>();
  const group = (series: string, docType: RangeRow['docType']) => {
    const key = `${docType}\u0000${series}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { series, docType, rows: [] }));
    return g;
  };
  // The store's configured series first: a terminal that joined a store holds no range yet and must still ask.
  for (const c of configured) group(c.series, c.docType);
  for (const r of ranges) group(r.series, r.docType).rows.push(r);
  const out: { series: string; docType: RangeRow['docType'] }[] = [];
  for (const { series, docType, rows } of groups.values()) {
    const open = rows.filter((r) => usable(r, centralNow)).sort((a, b) => a.first - b.first);
    const active = open[0];
    const queued = open.length > 1;
    if (queued) continue;
    const left = active ? active.last - active.next + 1 : 0;
    const size = active ? active.last - active.first + 1 : 1;
    if (!active || left <= size * ASK_WHEN_LEFT) out.push({ series, docType });
  }
  return out;
}

/** The store's fiscal series as its settings say (the setting's default when never changed): what a sale will need. */
export async function configuredSeries(db: ReadDb, storeId: string): Promise<{ series: string; docType: RangeRow['docType'] }[]> {
  const [row] = await db.query<{ value: unknown }>("SELECT value FROM settings WHERE store_id = $1 AND key = 'fiscalSeries'", [storeId]);
  const series = (row ? parseSetting('fiscalSeries', row.value) : undefined) ?? DEFAULT_FISCAL_SERIES;
  return [
    { series: series.ticket, docType: 'ticket' },
    { series: series.creditNote, docType: 'creditNote' },
  ];
}

/** Numbers left in the usable ranges. */
export const numbersLeft = (ranges: readonly RangeRow[], centralNow: number): number =>
  ranges.filter((r) => usable(r, centralNow)).reduce((sum, r) => sum + (r.last - r.next + 1), 0);

const hasRanges = new WeakMap<ReadDb, boolean>();

/** This device's ranges, or none while the node has no fiscal read model (before the counter lands). */
export async function ownRanges(db: ReadDb, storeId: string, deviceId: string): Promise<RangeRow[] | null> {
  let present = hasRanges.get(db);
  if (present === undefined) {
    present = (await db.query<{ present: boolean }>("SELECT to_regclass('fiscal_ranges') IS NOT NULL AS present"))[0]?.present ?? false;
    hasRanges.set(db, present);
  }
  if (!present) return null;
  const rows = await db.query<{ series: string; doc_type: RangeRow['docType']; first: string; last: string; next: string; expires_at: string | null }>(
    'SELECT series, doc_type, first, last, next, expires_at FROM fiscal_ranges WHERE store_id = $1 AND device_id = $2 AND granted',
    [storeId, deviceId],
  );
  return rows.map((r) => ({ series: r.series, docType: r.doc_type, first: Number(r.first), last: Number(r.last), next: Number(r.next), expiresAt: r.expires_at }));
}
