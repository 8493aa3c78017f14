import type { Receipt } from '../../../shared/receipt.js';
import { formatMoney } from '../../../shared/money.js';
import type { Translate } from '../../i18n/index.js';

/**
 * A receipt laid out as monospace lines for thermal paper: 32 columns on 58 mm, 48 on 80 mm (font A of the usual
 * printers). Pure, so the same lines can later go to ESC/POS; the React view only draws them.
 */
export type Paper = 58 | 80;
export const COLUMNS: Record<Paper, number> = { 58: 32, 80: 48 };

export interface ReceiptLine {
  text: string;
  style?: 'bold' | 'title';
}

export interface LayoutOptions {
  paper: Paper;
  locale: string;
  t: Translate;
  /** Names of the tax rates by basis points, from the store's settings ("IVA 21%"). */
  taxLabels?: ReadonlyMap<number, string>;
  /** The store's time zone for the printed time; the machine's when absent. */
  timeZone?: string;
}

/** Cut to the width; never more characters than the paper holds. */
const fit = (text: string, cols: number) => (text.length > cols ? text.slice(0, cols) : text);

export const center = (text: string, cols: number): string => {
  const s = fit(text, cols);
  return ' '.repeat(Math.floor((cols - s.length) / 2)) + s;
};

/** Words wrapped to the width, every line keeping the text's indentation (a word too long is cut into pieces). */
export function wrap(text: string, cols: number): string[] {
  const indent = /^ */.exec(text)![0].slice(0, Math.floor(cols / 4));
  const room = cols - indent.length;
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    for (let w = word; w.length > 0; w = w.slice(room)) {
      const piece = w.slice(0, room);
      if (line === '') line = piece;
      else if (line.length + 1 + piece.length <= room) line += ` ${piece}`;
      else {
        out.push(indent + line);
        line = piece;
      }
    }
  }
  if (line !== '') out.push(indent + line);
  return out;
}

/** Left text and right-aligned amount on one line; when both do not fit, the text wraps above the amount. */
export function pair(left: string, right: string, cols: number): string[] {
  if (left.length + 1 + right.length <= cols) return [left + ' '.repeat(cols - left.length - right.length) + right];
  const lines = wrap(left, cols);
  const last = lines[lines.length - 1] ?? '';
  if (last.length + 1 + right.length <= cols) return [...lines.slice(0, -1), ...pair(last, right, cols)];
  return [...lines, ' '.repeat(Math.max(0, cols - right.length)) + fit(right, cols)];
}

const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

export function layoutReceipt(receipt: Receipt, opts: LayoutOptions): ReceiptLine[] {
  const { t, locale } = opts;
  const cols = COLUMNS[opts.paper];
  const money = (amount: number) => plain(formatMoney({ amount, currency: receipt.currency }, locale));
  const signed = (amount: number) => (amount < 0 ? `-${money(-amount)}` : money(amount));
  const number = (n: number, digits: number, min = digits) =>
    new Intl.NumberFormat(locale, { minimumFractionDigits: min, maximumFractionDigits: digits }).format(n);
  const out: ReceiptLine[] = [];
  const add = (lines: string[], style?: ReceiptLine['style']) => lines.forEach((text) => out.push(style ? { text, style } : { text }));
  const rule = (c = '-') => add([c.repeat(cols)]);

  add(wrap(receipt.store.name, cols).map((l) => center(l, cols)), 'title');
  add(receipt.store.header.flatMap((h) => wrap(h, cols)).map((l) => center(l, cols)));
  if (receipt.copy) add([center(t('receipt.copy'), cols)], 'bold');
  rule('=');
  const title = receipt.fiscal?.docType === 'creditNote' ? t('receipt.kind.creditNote') : t(`receipt.kind.${receipt.kind}`);
  add([center(title, cols)], 'bold');
  if (receipt.fiscal) {
    add([center(`${receipt.fiscal.series} ${t('receipt.number', { number: String(receipt.fiscal.number).padStart(8, '0') })}`, cols)], 'bold');
  }
  const when = new Intl.DateTimeFormat(locale, {
    day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
    ...(opts.timeZone ? { timeZone: opts.timeZone } : {}),
  });
  add([center(plain(when.format(new Date(receipt.issuedAt))), cols)]);
  add(wrap(t('receipt.cashier', { name: receipt.cashier }), cols));
  rule();

  for (const line of receipt.lines) {
    add(wrap(line.name, cols));
    const qty = line.unit === 'kg' ? `${number(line.quantity / 1000, 3)} kg` : number(line.quantity / 1000, line.quantity % 1000 === 0 ? 0 : 3);
    const per = line.unit === 'kg' ? `${money(line.unitPrice)}/kg` : money(line.unitPrice);
    add(pair(`  ${qty} x ${per}`, money(line.total + line.discount), cols));
    if (line.discount !== 0) add(pair(`  ${t('receipt.discount')}`, signed(-line.discount), cols));
  }
  rule();
  if (receipt.ticketDiscount !== 0) add(pair(t('receipt.ticketDiscount'), signed(-receipt.ticketDiscount), cols));
  add(pair(t('receipt.total'), money(receipt.total), cols), 'title');
  if (receipt.rounding !== 0) {
    add(pair(t('receipt.rounding'), signed(receipt.rounding), cols));
    add(pair(t('receipt.toPay'), money(receipt.total + receipt.rounding), cols), 'bold');
  }

  if (receipt.tenders.length > 0) rule();
  for (const tender of receipt.tenders) {
    add(pair(t(`receipt.tender.${tender.kind}`), money(tender.amount), cols));
    if (tender.reference) add(wrap(`  ${t('receipt.reference', { reference: tender.reference })}`, cols));
    if (tender.kind === 'cash' && tender.received !== tender.amount) add(pair(`  ${t('receipt.received')}`, money(tender.received), cols));
  }
  if (receipt.change > 0) add(pair(t('receipt.change'), money(receipt.change), cols), 'bold');

  if (receipt.taxes.length > 0) {
    rule();
    add([t('receipt.taxesTitle')]);
    for (const tax of receipt.taxes) {
      const rate = `${number(tax.rateBp / 100, 2, 0)}%`;
      const label = opts.taxLabels?.get(tax.rateBp) ?? t('receipt.tax', { rate });
      const base = opts.paper === 80 ? ` (${money(tax.base)})` : '';
      add(pair(`  ${label}${base}`, money(tax.tax), cols));
    }
  }
  if (receipt.store.footer.length > 0) {
    rule();
    add(receipt.store.footer.flatMap((f) => wrap(f, cols)).map((l) => center(l, cols)));
  }
  return out;
}
