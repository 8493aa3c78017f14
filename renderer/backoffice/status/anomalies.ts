import type { OverRefundView } from '../../../shared/contract/index.js';
import { formatMoney, formatWhen } from '../../i18n/format.js';
import type { Translate } from '../../i18n/translate.js';

export interface AnomalyText {
  saleId: string;
  title: string;
  lines: string[];
  refunds: string[];
}

const fiscalText = (f: OverRefundView['fiscal'], t: Translate): string => (f ? `${f.series} N.º ${f.number}` : t('anomalies.noNumber'));
/** A terminal as the owner can tell it apart: the end of its id (the technical details show this terminal's). */
const deviceText = (id: string): string => `…${id.slice(-4)}`;

/** A sale refunded past what was sold, in words for the owner: what was sold and given back, by which terminals. */
export function anomalyText(item: OverRefundView, t: Translate, locale: string, now = Date.now()): AnomalyText {
  const money = (amount: number) => formatMoney({ amount, currency: item.currency }, locale);
  const qty = (thousandths: number) => (thousandths / 1000).toLocaleString(locale);
  const when = (iso: string) => formatWhen(iso, locale, t, now);
  const lines = item.lines.map((l) =>
    t(item.voided ? 'anomalies.lineVoided' : 'anomalies.line', {
      name: l.name,
      sold: qty(l.sold),
      soldAmount: money(l.soldAmount),
      refunded: qty(l.refunded),
      refundedAmount: money(l.refundedAmount),
      over: qty(l.over),
      overAmount: money(l.overAmount),
    }),
  );
  const refunds = item.refunds.map((r) =>
    t('anomalies.refund', {
      doc: fiscalText(r.creditNote, t),
      device: deviceText(r.deviceId),
      when: when(r.at),
      amount: money(r.lines.reduce((sum, l) => sum + l.amount, 0)),
    }),
  );
  return { saleId: item.saleId, title: t('anomalies.sale', { fiscal: fiscalText(item.fiscal, t), when: when(item.createdAt) }), lines, refunds };
}
