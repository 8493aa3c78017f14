import { useState, type FormEvent } from 'react';
import { formatMoney } from '../../i18n/format.js';
import { useLocale, useT } from '../../i18n/index.js';

export type Count = { denomination: number; count: number }[];

/** A count of the drawer by note and coin: large fields, Tab or Enter moves on, the running total shown. */
export function CountForm({ denominations, currency, submitLabel, busy, onSubmit, children, autoFocus = true }: {
  denominations: readonly number[];
  currency: string;
  submitLabel: string;
  busy: boolean;
  onSubmit(count: Count): void;
  children?: React.ReactNode;
  /** False where something above it must stay in view (the Z just printed). */
  autoFocus?: boolean;
}) {
  const t = useT();
  const locale = useLocale();
  const [pieces, setPieces] = useState<Record<number, string>>({});
  const count: Count = denominations.map((d) => ({ denomination: d, count: Number(pieces[d] || 0) })).filter((r) => Number.isInteger(r.count) && r.count > 0);
  const total = count.reduce((n, r) => n + r.denomination * r.count, 0);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!busy) onSubmit(count);
  };
  return (
    <form onSubmit={submit}>
      <table className="table count-table">
        <thead>
          <tr><th>{t('till.count.denomination')}</th><th className="num">{t('till.count.pieces')}</th><th className="num" /></tr>
        </thead>
        <tbody>
          {denominations.map((d, i) => (
            <tr key={d}>
              <td>{formatMoney({ amount: d, currency }, locale)}</td>
              <td className="num">
                <input className="count-input" inputMode="numeric" autoFocus={autoFocus && i === 0} value={pieces[d] ?? ''} data-testid={`count-${d}`}
                  onChange={(e) => setPieces((p) => ({ ...p, [d]: e.target.value.replace(/\D/g, '').slice(0, 6) }))} />
              </td>
              <td className="num muted">{pieces[d] ? formatMoney({ amount: d * Number(pieces[d]), currency }, locale) : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {children}
      {/* Kept in view at the bottom while the cashier goes down the notes and coins (13 rows do not fit 768 px). */}
      <div className="count-footer">
        <div className="count-total"><span>{t('till.count.total')}</span><strong data-testid="count-total">{formatMoney({ amount: total, currency }, locale)}</strong></div>
        <div className="actions">
          <button type="submit" className="primary big" disabled={busy} data-testid="count-submit">{submitLabel}</button>
        </div>
      </div>
    </form>
  );
}
