import { useState, type FormEvent } from 'react';
import type { InputOf, OutputOf } from '../../../shared/contract/index.js';
import type { AppError } from '../../../shared/errors.js';
import { ErrorNote } from '../../components/ErrorNote.js';
import { useSubmit } from '../../components/useSubmit.js';
import { formatMoney, formatWhen } from '../../i18n/format.js';
import { useLocale, useT } from '../../i18n/index.js';
import { useApp, useAppState } from '../../state/context.js';
import { toAppError } from '../../state/errors.js';
import { SupervisorPin } from '../SupervisorPin.js';

type Sale = OutputOf<'sales.find'>;
type Fiscal = { series: string; number: number } | null;

/** What the cashier types or scans: "B-0001 12" / "B-0001 N.º 12" becomes the receipt barcode's "B-0001.12". */
const lookupCode = (text: string): string => text.trim().replace(/\s+(?:N\.?º\s*)?(\d+)$/i, '.$1');
/** Units or kilograms as typed ("1", "0,5") to thousandths; NaN when it is not a number. */
const thousandths = (text: string): number => Math.round(Number(text.trim().replace(',', '.')) * 1000);
const fiscalText = (f: Fiscal): string => (f ? `${f.series} N.º ${f.number}` : '—');
/** A quantity as the cart shows it: units as a whole number, kilograms with their three decimals ("1,250 kg"). */
const quantityText = (q: number, unit: 'unit' | 'kg', locale: string): string =>
  unit === 'kg' ? `${(q / 1000).toLocaleString(locale, { minimumFractionDigits: 3, maximumFractionDigits: 3 })} kg` : (q / 1000).toLocaleString(locale);

/**
 * Returns and voids at the till (issue 13 item 8): find a sale by its fiscal number or the barcode on its receipt,
 * return some of its lines (never more than is left, restocked or not, by the original tenders or in cash), or void
 * it whole while its till session is open. A cashier needs a supervisor's PIN for either; managers do not.
 */
export function ReturnsPanel({ tillSessionId, currency }: { tillSessionId: string; currency: string }) {
  const t = useT();
  const locale = useLocale();
  const state = useAppState();
  const role = useApp((s) => s.person?.role);
  const [code, setCode] = useState('');
  const [sale, setSale] = useState<Sale | null>(null);
  const [qty, setQty] = useState<Record<string, string>>({});
  const [restock, setRestock] = useState(true);
  const [toCash, setToCash] = useState(false);
  const [reason, setReason] = useState('');
  const [asking, setAsking] = useState<'refund' | 'void' | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const refund = useSubmit((input: InputOf<'sales.refund'>, opts) => state().refundSale(input, opts));
  const voidSale = useSubmit((input: InputOf<'sales.void'>, opts) => state().voidSale(input, opts));
  const money = (amount: number) => formatMoney({ amount, currency }, locale);
  const needsApproval = role !== 'owner' && role !== 'supervisor';

  const find = async (e: FormEvent) => {
    e.preventDefault();
    if (!code.trim()) return;
    setError(null);
    setDone(null);
    try {
      setSale(await state().findSale({ code: lookupCode(code) }));
      setQty({});
    } catch (err) {
      setSale(null);
      setError(toAppError(err));
    }
  };

  const chosen = (sale?.lines ?? [])
    .map((l) => ({ lineId: l.lineId, quantity: thousandths(qty[l.lineId] ?? ''), restock }))
    .filter((l) => Number.isFinite(l.quantity) && l.quantity > 0);
  const why = reason.trim();

  const doRefund = async (approvalId?: string) => {
    if (!sale) return;
    const out = await refund.submit({ saleId: sale.saleId, tillSessionId, lines: chosen, refundTo: toCash ? 'cash' : 'original', reason: why, ...(approvalId ? { approvalId } : {}) });
    if (out) finish(t('till.returns.refunded', { amount: money(out.total), doc: fiscalText(out.creditNote) }));
  };
  const doVoid = async (approvalId?: string) => {
    if (!sale) return;
    const out = await voidSale.submit({ saleId: sale.saleId, tillSessionId, reason: why, ...(approvalId ? { approvalId } : {}) });
    if (out) finish(t('till.returns.voidDone', { amount: money(out.total), doc: fiscalText(out.creditNote) }));
  };
  const finish = (message: string) => {
    setDone(message);
    setSale(null);
    setCode('');
    setReason('');
    setQty({});
  };
  const start = (action: 'refund' | 'void') => (needsApproval ? setAsking(action) : void (action === 'refund' ? doRefund() : doVoid()));
  const busy = refund.busy || voidSale.busy;

  return (
    <section className="card till-card" data-testid="returns">
      <h2>{t('till.returns.title')}</h2>
      <form className="returns-find" onSubmit={(e) => void find(e)}>
        <input className="big-input" value={code} maxLength={40} placeholder={t('till.returns.code')} aria-label={t('till.returns.code')}
          onChange={(e) => setCode(e.target.value)} data-testid="returns-code" />
        <button type="submit" className="big" disabled={!code.trim()} data-testid="returns-find">{t('till.returns.find')}</button>
      </form>
      <ErrorNote error={error} testId="returns-find" />
      {done ? <p className="notice" data-testid="returns-done">{done}</p> : null}
      {sale ? (
        <div data-testid="returns-sale">
          <p><strong>{t('till.returns.sale', { fiscal: fiscalText(sale.fiscal), when: formatWhen(sale.createdAt, locale, t), total: money(sale.total) })}</strong></p>
          {sale.status === 'voided' ? <p className="notice">{t('till.returns.voided')}</p> : null}
          <table className="table">
            <thead>
              <tr><th>{t('till.returns.product')}</th><th className="num">{t('till.returns.sold')}</th><th className="num">{t('till.returns.left')}</th><th className="num">{t('till.returns.qty')}</th></tr>
            </thead>
            <tbody>
              {sale.lines.map((l) => (
                <tr key={l.lineId} data-testid="returns-line">
                  <td>{l.name}</td>
                  <td className="num">{quantityText(l.quantity, l.unit, locale)}</td>
                  <td className="num" data-testid="returns-left">{quantityText(l.refundable, l.unit, locale)}</td>
                  <td className="num">
                    <input className="count-input" inputMode="decimal" disabled={l.refundable <= 0 || sale.status === 'voided'} value={qty[l.lineId] ?? ''}
                      aria-label={`${t('till.returns.qty')}: ${l.name}`} onChange={(e) => setQty((q) => ({ ...q, [l.lineId]: e.target.value }))} data-testid="returns-qty" />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="choice">
            <label><input type="checkbox" checked={restock} onChange={(e) => setRestock(e.target.checked)} data-testid="returns-restock" /> {t('till.returns.restock')}</label>
            <label><input type="checkbox" checked={toCash} onChange={(e) => setToCash(e.target.checked)} data-testid="returns-cash" /> {t('till.returns.toCash')}</label>
          </div>
          <input className="big-input returns-reason" placeholder={t('till.returns.reason')} aria-label={t('till.returns.reason')} maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="returns-reason" />
          <ErrorNote error={refund.error ?? voidSale.error} testId="returns" />
          <div className="actions">
            <button type="button" className="primary big" disabled={busy || chosen.length === 0 || !why} onClick={() => start('refund')} data-testid="returns-refund">
              {t('till.returns.refund')}
            </button>
            {sale.status === 'completed' && sale.tillSessionId === tillSessionId ? (
              <button type="button" className="big" disabled={busy || !why} onClick={() => start('void')} data-testid="returns-void">{t('till.returns.void')}</button>
            ) : null}
          </div>
        </div>
      ) : null}
      {asking ? (
        <SupervisorPin action={asking} onClose={() => setAsking(null)}
          onApproved={(a) => {
            const action = asking;
            setAsking(null);
            void (action === 'refund' ? doRefund(a.approvalId) : doVoid(a.approvalId));
          }} />
      ) : null}
    </section>
  );
}
