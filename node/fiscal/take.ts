import { AppError } from '../../shared/errors.js';
import type { EventDraft, PayloadOf } from '../../shared/events.js';
import type { CommandContext } from '../journal/command.js';
import { fiscalRangesProjection } from './ranges.projection.js';

export type FiscalRef = NonNullable<PayloadOf<'SaleCreated'>['fiscal']>;
export type Authority = 'self' | 'central';

interface Held {
  id: string;
  first: number;
  last: number;
  next: number;
}

/** A standalone node grants itself the next block when what it holds for a series falls to this share of a block. */
const REGRANT_SHARE = 0.2;

export interface FiscalState {
  authority: Authority;
  maxLast: number;
  held: Held[];
}

/**
 * The central's time in SQL, from `param` (this machine's clock) less the skew the relay last measured against the
 * central (federation_link.clock_skew_ms; none on a standalone terminal). Range expiry is the central's, so it is
 * judged by the central's time: a till two hours ahead must not find its fresh ranges expired (and stop selling),
 * nor one two hours behind keep selling from an expired one.
 */
export const centralNowSql = (param: string): string =>
  `(${param}::timestamptz - coalesce((SELECT clock_skew_ms FROM federation_link), 0) * interval '1 millisecond')`;

/**
 * This store's grant authority and this device's usable ranges of one series, as columns of a SELECT over
 * parameters $1 store, $2 device, $3 series, $4 now by this machine's clock (a command may add its own columns to the same statement).
 */
export const FISCAL_STATE_COLUMNS = `(SELECT authority FROM fiscal_authority WHERE store_id = $1) AS authority,
  (SELECT max(last) FROM fiscal_ranges WHERE store_id = $1 AND series = $3) AS "maxLast",
  (SELECT coalesce(jsonb_agg(jsonb_build_object('id', id::text, 'first', first, 'last', last, 'next', next) ORDER BY first), '[]')
     FROM fiscal_ranges WHERE store_id = $1 AND device_id = $2 AND series = $3 AND granted AND next <= last
       AND (expires_at IS NULL OR expires_at::timestamptz > ${centralNowSql('$4')})) AS held`;

export const fiscalStateParams = (ctx: CommandContext, series: string): unknown[] => [ctx.store.storeId, ctx.deviceId, series, ctx.now.toISOString()];

type StateRow = { authority: Authority | null; maxLast: number | null; held: Held[] };
export const readFiscalState = (row: StateRow | undefined): FiscalState => ({ authority: row?.authority ?? 'self', maxLast: Number(row?.maxLast ?? 0), held: row?.held ?? [] });

export async function fiscalState(ctx: CommandContext, series: string): Promise<FiscalState> {
  const [row] = await ctx.db.query<StateRow>(`SELECT ${FISCAL_STATE_COLUMNS}`, fiscalStateParams(ctx, series));
  return readFiscalState(row);
}

/**
 * The next fiscal number of `series` for a document of this command, and the grant to append BEFORE the document
 * when a standalone node needs a new range (held numbers used up or down to a fifth of a block). Gapless within a
 * range: the number is the range's `next`, and the range advances when the document's event is projected, in the
 * same transaction. An enrolled terminal never grants itself: with nothing left it refuses (503) until the central
 * grants more.
 */
export async function takeFiscalNumber(
  ctx: CommandContext,
  docType: FiscalRef['docType'],
  series: string,
  rangeSize: number,
  known?: FiscalState,
): Promise<{ grants: EventDraft[]; ref: FiscalRef; authority: Authority }> {
  const { authority, maxLast, held } = known ?? (await fiscalState(ctx, series));
  const left = held.reduce((sum, r) => sum + (r.last - r.next + 1), 0);
  const grants: EventDraft[] = [];
  let active = held[0] ? { id: held[0].id, number: held[0].next } : undefined;
  if (authority === 'self' && left - 1 <= rangeSize * REGRANT_SHARE) {
    const rangeId = ctx.newKey(fiscalRangesProjection);
    const first = maxLast + 1;
    grants.push({
      type: 'FiscalRangeGranted',
      payload: { rangeId, series, docType, deviceId: ctx.deviceId, first, last: first + rangeSize - 1, grantedBy: 'self', expiresAt: null },
    });
    active ??= { id: rangeId, number: first };
  }
  if (!active) throw AppError.t('Unavailable', 'noFiscalNumbers', { series });
  return { grants, ref: { series, docType, number: active.number, rangeId: active.id }, authority };
}
