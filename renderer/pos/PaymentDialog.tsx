import { useMemo, useRef, useState, type FormEvent } from 'react';
import type { OutputOf } from '../../shared/contract/index.js';
import { newId } from '../../shared/ids.js';
import { currencyDigits, parseMoney } from '../../shared/money.js';
import { roundCash } from '../../shared/sale-math.js';
import { ticketTotals } from '../../shared/ticket-totals.js';
import { Dialog } from '../components/Dialog.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { useSubmit } from '../components/useSubmit.js';
import { formatMoney } from '../i18n/format.js';
import { useLocale, useT } from '../i18n/index.js';
import { useApp, useAppState } from '../state/context.js';
import { cashStep, saleInput, settleRows, type TenderKind, type TenderRow } from './payment.js';
import { printReceipt } from './receipt/print.js';
import { ReceiptView } from './receipt/ReceiptView.js';

type Sold = OutputOf<'sales.complete'>;
const kinds: TenderKind[] = ['cash', 'card', 'transfer'];

function Done({ sold, currency, onClose }: { sold: Sold; currency: string; onClose(): void }) {
  const t = useT();
  const locale = useLocale();
  const receipt = useRef<HTMLDivElement>(null);
  return (
    <div data-testid="sale-done" onKeyDown={(e) => e.key === 'Enter' && (e.preventDefault(), onClose())}>
      <p className="done-title">{t('pos.pay.done')}</p>
      {sold.fiscal ? <p className="muted" data-testid="sale-fiscal">{t('pos.pay.fiscal', { series: sold.fiscal.series, number: sold.fiscal.number })}</p> : null}
      <div className="change-box">
        <span>{t('pos.pay.change')}</span>
        <strong data-testid="sale-change">{formatMoney({ amount: sold.change, currency }, locale)}</strong>
      </div>
      {sold.warnings.map((w) => (
        <p key={w.productId} className="notice">{t('pos.pay.warning', { name: w.name, available: w.available / 1000 })}</p>
      ))}
      <div className="receipt-preview"><ReceiptView ref={receipt} receipt={sold.receipt} paper={80} /></div>
      <div className="actions">
        <button type="button" className="primary big" autoFocus onClick={onClose} data-testid="sale-next">{t('pos.pay.next')}</button>
        <button type="button" className="big" onClick={() => receipt.current && printReceipt(receipt.current, 80)} data-testid="sale-print">{t('pos.pay.print')}</button>
      </div>
    </div>
  );
}

/** Tenders for the open ticket: never short, change shown large; one command per attempt, retried with the same id. */
export function PaymentDialog({ currency, onClose }: { currency: string; onClose(): void }) {
  const t = useT();
  const locale = useLocale();
  const state = useAppState();
  const ticket = useApp((s) => s.ticket);
  const till = useApp((s) => s.till);
  const rounding = useApp((s) => s.counterSettings.cashRounding);
  const total = useMemo(() => ticketTotals(ticket.lines, ticket.ticketDiscount).total, [ticket]);
  const [rows, setRows] = useState<TenderRow[]>([{ key: newId(), kind: 'cash', amount: '', reference: '' }]);
  const [sold, setSold] = useState<Sold | null>(null);
  const submit = useSubmit((input: ReturnType<typeof saleInput>, opts) => state().completeSale(input, opts));
  const money = (amount: number) => formatMoney({ amount, currency }, locale);
  const settled = settleRows(total, rows, currency, rounding);

  const edit = (key: string, patch: Partial<TenderRow>) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const add = (kind: TenderKind) => setRows((rs) => [...rs, { key: newId(), kind, amount: '', reference: '' }]);
  const exact = (key: string) => {
    const nonCash = rows.filter((r) => r.kind !== 'cash').reduce((n, r) => n + (parseMoney(r.amount || '0', currency) ?? 0), 0);
    const due = roundCash(Math.max(0, total - nonCash), cashStep(rounding));
    const digits = currencyDigits(currency);
    edit(key, { amount: (due / 10 ** digits).toFixed(digits).replace('.', ',') });
  };

  const confirm = async (e?: FormEvent) => {
    e?.preventDefault();
    if (!till || !settled.ok || submit.busy) return;
    const out = await submit.submit(saleInput(ticket, till.id, rows, currency));
    if (out) {
      setSold(out);
      void state().ticketSold();
    }
  };

  if (sold) {
    return (
      <Dialog title={t('pos.pay.title')} testId="payment-dialog" onClose={onClose}>
        <Done sold={sold} currency={currency} onClose={onClose} />
      </Dialog>
    );
  }
  return (
    <Dialog title={t('pos.pay.title')} testId="payment-dialog" onClose={() => !submit.busy && onClose()}>
      <form onSubmit={confirm}>
        <div className="due"><span>{t('pos.pay.due')}</span><strong data-testid="pay-due">{money(total)}</strong></div>
        {!till ? <p className="error-note" data-testid="pay-no-till">{t('pos.pay.noTill')}</p> : null}
        <div className="tenders">
          {rows.map((row, i) => (
            <div key={row.key} className="tender-row" data-testid={`tender-${row.kind}`}>
              <span className="tender-kind">{t(`pos.pay.${row.kind}`)}</span>
              <input className="big-input" inputMode="decimal" autoFocus={i === rows.length - 1} value={row.amount} aria-label={t(row.kind === 'cash' ? 'pos.pay.received' : 'pos.pay.amount')}
                placeholder={t(row.kind === 'cash' ? 'pos.pay.received' : 'pos.pay.amount')} onChange={(e) => edit(row.key, { amount: e.target.value })} data-testid="tender-amount" />
              {row.kind === 'cash' ? (
                <button type="button" onClick={() => exact(row.key)} data-testid="tender-exact">{t('pos.pay.exact')}</button>
              ) : (
                <input value={row.reference} maxLength={60} placeholder={t('pos.pay.reference')} onChange={(e) => edit(row.key, { reference: e.target.value })} data-testid="tender-reference" />
              )}
              {rows.length > 1 ? (
                <button type="button" onClick={() => setRows((rs) => rs.filter((r) => r.key !== row.key))}>{t('pos.pay.removeTender')}</button>
              ) : null}
            </div>
          ))}
        </div>
        <div className="tender-add">
          {kinds.map((k) => (
            <button key={k} type="button" onClick={() => add(k)} data-testid={`add-${k}`}>+ {t(`pos.pay.${k}`)}</button>
          ))}
        </div>
        <div className="change-box" data-testid="pay-state" data-ok={settled.ok}>
          {settled.ok ? (
            <>
              <span>{t('pos.pay.change')}</span>
              <strong data-testid="pay-change">{money(settled.payment.change)}</strong>
              {settled.payment.rounding !== 0 ? <small>{t('pos.pay.rounding', { amount: money(settled.payment.rounding) })}</small> : null}
            </>
          ) : settled.problem === 'short' ? (
            <strong className="short">{t('pos.pay.short', { amount: money(settled.missing) })}</strong>
          ) : settled.problem === 'typing' ? null : (
            <span className="short">{t(`pos.pay.${settled.problem}`)}</span>
          )}
        </div>
        <ErrorNote error={submit.error} testId="pay" onRetry={submit.canRetry ? () => void submit.retry() : undefined} />
        {submit.slow ? <p className="notice" data-testid="pay-slow">{t('pos.pay.slow')}</p> : null}
        <div className="actions">
          <button type="submit" className="primary big" disabled={!till || !settled.ok || submit.busy} data-testid="pay-confirm">
            {submit.busy ? t('pos.pay.busy') : t('pos.pay.confirm')}
          </button>
          <button type="button" className="big" onClick={() => (submit.busy ? submit.cancel() : onClose())} data-testid="pay-cancel">{t('pos.pay.cancel')}</button>
        </div>
      </form>
    </Dialog>
  );
}
