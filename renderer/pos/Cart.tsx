import { memo, useEffect, useRef } from 'react';
import type { TicketLine } from '../../shared/contract/index.js';
import { formatMoney } from '../i18n/format.js';
import { useLocale, useT } from '../i18n/index.js';
import { useApp } from '../state/context.js';
import { lineAmount } from './cart.js';
import { formatQuantity } from './quantity.js';

const Line = memo(function Line({ line, n, selected, currency }: { line: TicketLine; n: number; selected: boolean; currency: string }) {
  const locale = useLocale();
  const selectLine = useApp((s) => s.selectLine);
  const ref = useRef<HTMLTableRowElement>(null);
  useEffect(() => {
    if (selected) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [selected, line.quantity]);
  const money = (amount: number) => formatMoney({ amount, currency }, locale);
  return (
    <tr ref={ref} className={selected ? 'cart-line selected' : 'cart-line'} data-testid="cart-line" data-line-id={line.lineId}
      data-product-id={line.productId} aria-selected={selected} onClick={() => selectLine(line.lineId)}>
      <td className="num muted">{n}</td>
      <td className="cart-name">
        {line.name}
        {line.unitPrice !== line.listPrice ? <span className="tag">{money(line.listPrice)}</span> : null}
      </td>
      <td className="num" data-testid="line-quantity">{formatQuantity(line.quantity, line.unit, locale)}</td>
      <td className="num">{money(line.unitPrice)}</td>
      <td className="num">{line.discount > 0 ? `−${money(line.discount)}` : ''}</td>
      <td className="num strong" data-testid="line-amount">{money(lineAmount(line))}</td>
    </tr>
  );
});

/** The lines of the open ticket, newest at the bottom and kept in view; the selected one is what F4/F8/Supr act on. */
export function Cart({ currency }: { currency: string }) {
  const t = useT();
  const lines = useApp((s) => s.ticket.lines);
  const selected = useApp((s) => s.selectedLineId);
  return (
    <div className="cart" data-testid="cart">
      <table className="table cart-table">
        <thead>
          <tr>
            <th className="num">#</th>
            <th>{t('pos.col.product')}</th>
            <th className="num">{t('pos.col.quantity')}</th>
            <th className="num">{t('pos.col.price')}</th>
            <th className="num">{t('pos.col.discount')}</th>
            <th className="num">{t('pos.col.amount')}</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((line, i) => (
            <Line key={line.lineId} line={line} n={i + 1} selected={line.lineId === selected} currency={currency} />
          ))}
        </tbody>
      </table>
      {lines.length === 0 ? <p className="empty cart-empty">{t('pos.cart.empty')}</p> : null}
    </div>
  );
}
