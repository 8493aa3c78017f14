import { managers, type ParsedInputOf } from '../../shared/contract/index.js';
import { AppError } from '../../shared/errors.js';
import type { EventDraft, PayloadOf } from '../../shared/events.js';
import { newId } from '../../shared/ids.js';
import { lineGross, mulDivRound, saleFigures, settle } from '../../shared/sale-math.js';
import { validateStock, type StockIssue } from '../../shared/stock-policy.js';
import { productsProjection } from '../catalog/products.projection.js';
import type { ProductRow } from '../catalog/products.model.js';
import type { CommandContext } from '../journal/command.js';
import { requireApproval, type ApprovalRef } from '../users/approvals.js';
import { FISCAL_STATE_COLUMNS, fiscalStateParams, readFiscalState, takeFiscalNumber, type Authority } from '../fiscal/take.js';
import { money } from './errors.js';
import { isOnline } from './online.js';
import { stockMovementsProjection } from '../stock/movements.projection.js';
import { salesProjection } from './sales.projection.js';
import type { CounterSettings } from './settings.js';
import { requireOpenSession } from '../cash/index.js';

type Input = ParsedInputOf<'sales.complete'>;
type SaleLine = PayloadOf<'SaleCreated'>['lines'][number];

/** The catalog rows of the lines' products, loaded in one statement; a product not (yet) created here is refused. */
async function productsOf(ctx: CommandContext, input: Input): Promise<ProductRow[]> {
  const rows = await ctx.getMany(productsProjection, input.lines.map((l) => l.productId));
  return input.lines.map((line, i) => {
    const product = rows.get(line.productId);
    if (!product || product.createdAt === null) throw AppError.t('NotFound', 'saleProductNotFound', { line: i + 1 });
    return product;
  });
}

/** Past the role's discount limit, or with a price other than the catalog's, a supervisor must approve (owners need none). */
async function approvalsFor(ctx: CommandContext, input: Input, lines: SaleLine[], subtotal: number, settings: CounterSettings): Promise<ApprovalRef[]> {
  const limit = settings.discountLimit(ctx.principal.staffRole);
  const overLimit = (discount: number, of: number) =>
    limit !== null && discount > 0 && (discount > mulDivRound(of, limit.maxPercentBp, 10_000) || (limit.maxAmount !== null && discount > limit.maxAmount));
  const approvals: ApprovalRef[] = [];
  const override = lines.some((l) => l.unitPrice !== l.listPrice);
  if (override && !managers.includes(ctx.principal.staffRole)) approvals.push(await requireApproval(ctx, input.approvalIds?.priceOverride, 'priceOverride'));
  const bigDiscount = lines.some((l) => overLimit(l.discount, lineGross(l.quantity, l.unitPrice))) || overLimit(input.ticketDiscount, subtotal);
  if (bigDiscount) approvals.push(await requireApproval(ctx, input.approvalIds?.discount, 'discount'));
  return approvals;
}

/**
 * In one statement: the fiscal state of the ticket series and the current stock of the lines' products at the
 * counter's location (for warnings only: not locked).
 */
async function saleState(ctx: CommandContext, series: string, productIds: string[], location: string) {
  const [row] = await ctx.db.query<Parameters<typeof readFiscalState>[0] & { levels: Record<string, number> | null }>(
    `SELECT ${FISCAL_STATE_COLUMNS},
       (SELECT jsonb_object_agg(product_id::text, quantity) FROM stock_levels
          WHERE store_id = $1 AND product_id = ANY($5::uuid[]) AND location = $6) AS levels`,
    [...fiscalStateParams(ctx, series), productIds, location],
  );
  return { fiscal: readFiscalState(row), levels: new Map(Object.entries(row?.levels ?? {})) };
}

/** The stock policy (seed 002 D5) at sale time: warnings go back with the sale; offline with no stock refuses. */
function checkStock(lines: SaleLine[], products: ProductRow[], settings: CounterSettings, authority: Authority, levels: Map<string, number>): StockIssue[] {
  const result = validateStock(
    lines.map((l, i) => ({ productId: l.productId, name: l.name, quantity: l.quantity, trackStock: products[i]!.trackStock, available: levels.get(l.productId) ?? 0 })),
    isOnline(authority) || !settings.stockBlockOffline,
  );
  if (!result.valid) throw AppError.t('Conflict', 'stockBlocked', { names: result.errors.map((e) => e.name).join(', ') });
  return result.warnings;
}

/**
 * sales.complete: one command, one transaction. Prices come from the catalog unless overridden; the money math is
 * shared/sale-math.ts; the events are the range grant (when needed) and then SaleCreated, whose projection writes
 * the sale, its stock movements and advances the fiscal range.
 */
export async function decideComplete(ctx: CommandContext, input: Input, settings: CounterSettings) {
  await requireOpenSession(ctx, input.tillSessionId);
  const products = await productsOf(ctx, input);
  const currency = ctx.store.currency;
  const lines: SaleLine[] = input.lines.map((line, i) => {
    const p = products[i]!;
    return {
      lineId: newId(),
      productId: p.id,
      name: p.name,
      barcode: p.barcodes[0] ?? null,
      quantity: line.quantity,
      unit: p.unit,
      unitPrice: line.unitPrice ?? p.price,
      listPrice: p.price,
      discount: line.discount,
      total: 0,
      taxRateBp: p.taxRateBp,
      location: settings.location,
    };
  });
  const figures = money(currency, () => saleFigures(lines, input.ticketDiscount));
  lines.forEach((l, i) => (l.total = figures.lineTotals[i]!));
  const payment = money(currency, () => settle(figures.total, input.tenders, settings.cashStep));
  const approvals = await approvalsFor(ctx, input, lines, figures.subtotal, settings);
  const state = await saleState(ctx, settings.series.ticket, [...new Set(lines.map((l) => l.productId))], settings.location);
  const { grants, ref, authority } = await takeFiscalNumber(ctx, 'ticket', settings.series.ticket, settings.rangeSize, state.fiscal);
  const warnings = checkStock(lines, products, settings, authority, state.levels);
  const saleId = ctx.newKey(salesProjection, stockMovementsProjection);
  const sale: EventDraft = {
    type: 'SaleCreated',
    payload: {
      saleId,
      tillSessionId: input.tillSessionId,
      ticketId: input.ticketId ?? null,
      fiscal: ref,
      currency,
      lines,
      ticketDiscount: input.ticketDiscount,
      total: figures.total,
      rounding: payment.rounding,
      taxes: figures.taxes,
      tenders: payment.tenders.map((t) => ({ tenderId: newId(), ...t })),
      change: payment.change,
      cashierId: ctx.actorId,
      approvals,
    },
  };
  return { saleId, events: [...grants, sale], warnings };
}
