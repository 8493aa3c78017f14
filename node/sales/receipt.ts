import type { PayloadOf } from '../../shared/events.js';
import type { Receipt } from '../../shared/receipt.js';
import type { SaleRow } from './sales.model.js';
import type { CounterSettings } from './settings.js';

type Fiscal = PayloadOf<'SaleCreated'>['fiscal'];
type HeldRow = SaleRow & { sale: NonNullable<SaleRow['sale']>; created: NonNullable<SaleRow['created']> };

/**
 * What the receipt's Code 128 barcode carries: series and number ("T-0001.42"), which sales.find reads back at
 * the counter; a document without a fiscal number carries its id.
 */
export const documentBarcode = (fiscal: Fiscal, id: string): string => (fiscal ? `${fiscal.series}.${fiscal.number}` : id);

/** The fiscal number a receipt barcode names, if it is one. */
export function parseDocumentBarcode(barcode: string): { series: string; number: number } | undefined {
  const match = /^(.+)\.(\d{1,10})$/.exec(barcode);
  return match ? { series: match[1]!, number: Number(match[2]) } : undefined;
}

const store = (s: CounterSettings) => ({ name: s.storeName, header: s.header, footer: s.footer });

export function saleReceipt(row: HeldRow, settings: CounterSettings, copy: boolean): Receipt {
  const sale = row.sale;
  return {
    kind: 'sale',
    documentId: sale.saleId,
    saleId: sale.saleId,
    store: store(settings),
    fiscal: sale.fiscal,
    currency: sale.currency,
    lines: sale.lines.map((l) => ({ name: l.name, quantity: l.quantity, unit: l.unit, unitPrice: l.unitPrice, discount: l.discount, total: l.total, taxRateBp: l.taxRateBp })),
    ticketDiscount: sale.ticketDiscount,
    total: sale.total,
    rounding: sale.rounding,
    taxes: sale.taxes,
    tenders: sale.tenders.map((t) => ({ kind: t.kind, amount: t.amount, received: t.received, reference: t.reference })),
    change: sale.change,
    cashier: sale.cashierId,
    issuedAt: row.created.at,
    barcode: documentBarcode(sale.fiscal, sale.saleId),
    copy,
  };
}

/** A void gives everything back by the sale's own tenders, under its credit note number. */
export function voidReceipt(row: HeldRow, settings: CounterSettings, copy: boolean): Receipt | undefined {
  if (!row.voided) return undefined;
  const base = saleReceipt(row, settings, copy);
  const creditNote = row.voided.payload.creditNote;
  return { ...base, kind: 'void', fiscal: creditNote, change: 0, cashier: row.voided.by, issuedAt: row.voided.at, barcode: documentBarcode(creditNote, row.saleId) };
}

export function refundReceipt(row: HeldRow, refundId: string, settings: CounterSettings, copy: boolean): Receipt | undefined {
  const refund = row.refunds.find((r) => r.payload.refundId === refundId);
  if (!refund) return undefined;
  const p = refund.payload;
  const lineOf = new Map(row.sale.lines.map((l) => [l.lineId, l]));
  return {
    kind: 'refund',
    documentId: p.refundId,
    saleId: p.saleId,
    store: store(settings),
    fiscal: p.creditNote,
    currency: row.sale.currency,
    lines: p.lines.map((l) => {
      const sold = lineOf.get(l.lineId)!;
      return { name: sold.name, quantity: l.quantity, unit: sold.unit, unitPrice: sold.unitPrice, discount: 0, total: l.amount, taxRateBp: sold.taxRateBp };
    }),
    ticketDiscount: 0,
    total: p.total,
    rounding: 0,
    taxes: p.taxes,
    tenders: p.tenders.map((t) => ({ kind: t.kind, amount: t.amount, received: t.amount, reference: t.reference })),
    change: 0,
    cashier: refund.by,
    issuedAt: refund.at,
    barcode: documentBarcode(p.creditNote, p.refundId),
    copy,
  };
}

export const isHeld = (row: SaleRow | undefined): row is HeldRow => !!row?.sale && !!row.created;
