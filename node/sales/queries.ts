import type { OverRefundView, ParsedInputOf, SaleView } from '../../shared/contract/index.js';
import { AppError } from '../../shared/errors.js';
import type { Receipt } from '../../shared/receipt.js';
import type { ReadDb } from '../db/types.js';
import type { StoreScope } from '../handlers.js';
import { isHeld, parseDocumentBarcode, refundReceipt, saleReceipt } from './receipt.js';
import { excessByLine, overRefundOf } from './overrefund.model.js';
import { netByLine, refundedByLine, type SaleRow } from './sales.model.js';
import type { CounterSettings } from './settings.js';

async function saleWhere(db: ReadDb, where: string, params: unknown[]): Promise<SaleRow | undefined> {
  const [row] = await db.query<{ row: SaleRow }>(`SELECT row FROM sales WHERE ${where} LIMIT 1`, params);
  return row?.row;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The sale a receipt barcode, a fiscal number (SERIES.NUMBER) or an id names, as the refund screen shows it. */
export async function findSale(db: ReadDb, store: StoreScope, input: ParsedInputOf<'sales.find'>): Promise<SaleView> {
  let row: SaleRow | undefined;
  const fiscal = parseDocumentBarcode(input.code);
  if (UUID.test(input.code)) row = await saleWhere(db, 'store_id = $1 AND id = $2', [store.storeId, input.code.toLowerCase()]);
  else if (fiscal) row = await saleWhere(db, 'store_id = $1 AND fiscal_series = $2 AND fiscal_number = $3', [store.storeId, fiscal.series, fiscal.number]);
  if (!isHeld(row)) throw AppError.t('NotFound', 'saleNotFound');
  const refunded = refundedByLine(row);
  const nets = netByLine(row.sale);
  const excess = excessByLine(row);
  return {
    saleId: row.saleId,
    fiscal: row.sale.fiscal,
    deviceId: row.created.deviceId,
    tillSessionId: row.sale.tillSessionId,
    createdAt: row.created.at,
    cashierId: row.sale.cashierId,
    currency: row.sale.currency,
    total: row.sale.total,
    status: row.voided ? 'voided' : 'completed',
    lines: row.sale.lines.map((l) => {
      const done = refunded.get(l.lineId) ?? 0;
      const refundable = row.voided ? 0 : Math.max(0, l.quantity - done);
      return { lineId: l.lineId, productId: l.productId, name: l.name, unit: l.unit, quantity: l.quantity, refunded: done, refundable, net: nets.get(l.lineId)!, overRefunded: excess.get(l.lineId) ?? 0 };
    }),
    tenders: row.sale.tenders.map((t) => ({ kind: t.kind, amount: t.amount })),
    refunds: row.refunds.map((r) => ({ refundId: r.payload.refundId, total: r.payload.total, creditNote: r.payload.creditNote })),
  };
}

/** A sale's receipt by its id, or a refund's by the refund's id. */
export async function receiptOf(db: ReadDb, store: StoreScope, input: ParsedInputOf<'sales.receipt'>, settings: CounterSettings): Promise<Receipt> {
  if (!UUID.test(input.documentId)) throw AppError.t('NotFound', 'refundNotFound');
  const documentId = input.documentId.toLowerCase();
  const sale = await saleWhere(db, 'store_id = $1 AND id = $2', [store.storeId, documentId]);
  if (isHeld(sale)) return saleReceipt(sale, settings, input.copy);
  const row = await saleWhere(db, 'store_id = $1 AND refund_ids @> ARRAY[$2::uuid]', [store.storeId, documentId]);
  const receipt = isHeld(row) ? refundReceipt(row, documentId, settings, input.copy) : undefined;
  if (!receipt) throw AppError.t('NotFound', 'refundNotFound');
  return receipt;
}

/**
 * The store's over-refunds, oldest sale first. Only a sale with two refunds or more, or a voided sale with one, can
 * have one (each refund was checked against what its terminal held): those few rows are read (a partial index,
 * migration 0028) and judged by the same pure rule the central alerts with.
 */
export async function anomaliesOf(db: ReadDb, store: StoreScope): Promise<{ items: OverRefundView[] }> {
  const rows = await db.query<{ row: SaleRow }>(
    `SELECT row FROM sales WHERE store_id = $1
       AND (cardinality(refund_ids) > 1 OR (cardinality(refund_ids) > 0 AND row->'voided' <> 'null'::jsonb))`,
    [store.storeId],
  );
  const items = rows.map((r) => overRefundOf(r.row)).filter((o) => o !== undefined);
  items.sort((a, b) => (a.createdAt === b.createdAt ? (a.saleId < b.saleId ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1));
  return { items };
}

export async function stockLevelsOf(db: ReadDb, store: StoreScope, productIds: string[]) {
  if (productIds.length === 0) return { items: [] };
  const items = await db.query<{ productId: string; location: string; quantity: number }>(
    `SELECT product_id::text AS "productId", location, quantity FROM stock_levels
     WHERE store_id = $1 AND product_id = ANY($2::uuid[]) ORDER BY product_id, location`,
    [store.storeId, productIds],
  );
  return { items };
}
