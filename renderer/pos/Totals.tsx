import { useMemo } from 'react';
import { ticketTotals } from '../../shared/ticket-totals.js';
import { formatMoney } from '../i18n/format.js';
import { useLocale, useT } from '../i18n/index.js';
import { useApp } from '../state/context.js';

const percent = (bp: number, locale: string) => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }).format(bp / 10_000);

/** The total, large, with the tax included per rate (prices include tax: the receipt says how much of it is tax). */
export function Totals({ currency }: { currency: string }) {
  const t = useT();
  const locale = useLocale();
  const ticket = useApp((s) => s.ticket);
  const totals = useMemo(() => ticketTotals(ticket.lines, ticket.ticketDiscount), [ticket]);
  const money = (amount: number) => formatMoney({ amount, currency }, locale);
  const items = ticket.lines.reduce((n, l) => n + (l.unit === 'unit' ? l.quantity / 1000 : 1), 0);
  return (
    <section className="totals" aria-label={t('pos.total')}>
      <div className="total-label">{t('pos.total')}</div>
      <div className="total-amount" data-testid="ticket-total">{money(totals.total)}</div>
      <dl className="total-parts">
        <div><dt>{t('pos.items', { n: items })}</dt><dd /></div>
        {totals.ticketDiscount > 0 ? (
          <>
            <div><dt>{t('pos.subtotal')}</dt><dd>{money(totals.subtotal)}</dd></div>
            <div><dt>{t('pos.ticketDiscount')}</dt><dd data-testid="ticket-discount">−{money(totals.ticketDiscount)}</dd></div>
          </>
        ) : null}
        {totals.taxes.filter((x) => x.rateBp > 0).map((x) => (
          <div key={x.rateBp} data-testid="tax-line"><dt>{t('pos.taxLine', { rate: percent(x.rateBp, locale) })}</dt><dd>{money(x.tax)}</dd></div>
        ))}
      </dl>
    </section>
  );
}
