import { useEffect, useState } from 'react';
import type { CashReport } from '../../../shared/contract/index.js';
import { parseMoney } from '../../../shared/money.js';
import type { AppError } from '../../../shared/errors.js';
import { ErrorNote } from '../../components/ErrorNote.js';
import { useSubmit } from '../../components/useSubmit.js';
import { formatMoney, formatWhen } from '../../i18n/format.js';
import { useLocale, useT } from '../../i18n/index.js';
import { useApp, useAppState } from '../../state/context.js';
import { toAppError } from '../../state/errors.js';
import { ApprovalDialog } from '../../components/ApprovalDialog.js';
import { CountForm, type Count } from './CountForm.js';
import { ReportView } from './ReportView.js';
import { ReturnsPanel } from './ReturnsPanel.js';

function MoveForm({ currency }: { currency: string }) {
  const t = useT();
  const locale = useLocale();
  const state = useAppState();
  const [kind, setKind] = useState<'in' | 'out'>('in');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const move = useSubmit((input: { kind: 'in' | 'out'; amount: number; reason: string }, opts) => state().moveCash(input, opts));
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const value = parseMoney(amount, currency);
    if (value === undefined || !reason.trim()) return;
    const out = await move.submit({ kind, amount: value, reason: reason.trim() });
    if (out) {
      setDone(t('till.move.done', { kind: t(kind === 'in' ? 'till.move.in' : 'till.move.out'), amount: formatMoney({ amount: value, currency }, locale) }));
      setAmount('');
      setReason('');
    }
  };
  return (
    <form className="card till-card" onSubmit={submit}>
      <h2>{t('till.move.title')}</h2>
      <div className="choice row">
        <label><input type="radio" checked={kind === 'in'} onChange={() => setKind('in')} /> {t('till.move.in')}</label>
        <label><input type="radio" checked={kind === 'out'} onChange={() => setKind('out')} data-testid="move-out" /> {t('till.move.out')}</label>
      </div>
      <div className="field-pair">
        <input className="big-input" inputMode="decimal" placeholder={t('till.move.amount')} value={amount} onChange={(e) => setAmount(e.target.value)} data-testid="move-amount" />
        <input placeholder={t('till.move.reason')} maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="move-reason" />
      </div>
      <ErrorNote error={move.error} testId="move" onRetry={move.canRetry ? () => void move.retry() : undefined} />
      {done ? <p className="muted" data-testid="move-done">{done}</p> : null}
      <div className="actions"><button type="submit" className="big" disabled={move.busy} data-testid="move-submit">{t('till.move.save')}</button></div>
    </form>
  );
}

/** Open the till with a counted float; cash in/out; X at any time; close with a blind count, then the Z. */
export function TillScreen() {
  const t = useT();
  const locale = useLocale();
  const state = useAppState();
  const till = useApp((s) => s.till);
  const tillLoaded = useApp((s) => s.tillLoaded);
  const settings = useApp((s) => s.tillSettings);
  const [report, setReport] = useState<CashReport | null>(null);
  const [closing, setClosing] = useState(false);
  const [others, setOthers] = useState({ card: '', transfer: '' });
  const [needApproval, setNeedApproval] = useState<Count | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const open = useSubmit((float: Count, opts) => state().openTill({ float }, opts));
  const close = useSubmit((input: { cashCount: Count; otherCounts: { kind: 'card' | 'transfer'; amount: number }[]; approvalId?: string }, opts) => state().closeTill(input, opts));

  // A report just made (the Z after the close) is read first: bring the top of the page, where it is, into view.
  useEffect(() => {
    if (report) window.scrollTo({ top: 0 });
  }, [report]);

  useEffect(() => {
    void state().loadTill();
    void state().loadTillSettings().catch((e: unknown) => setError(toAppError(e)));
  }, [state]);

  if (!settings || !tillLoaded) return <section className="card"><ErrorNote error={error} testId="till" /></section>;
  const currency = settings.currency;
  const otherCounts = (['card', 'transfer'] as const)
    .filter((k) => others[k].trim() !== '')
    .map((k) => ({ kind: k, amount: parseMoney(others[k], currency) ?? 0 }));

  const doClose = async (cashCount: Count, approvalId?: string) => {
    const z = await close.submit({ cashCount, otherCounts, ...(approvalId ? { approvalId } : {}) });
    if (z) {
      setReport(z);
      setClosing(false);
      setNeedApproval(null);
    }
  };

  return (
    <div className="till" data-testid="till-screen">
      <h1>{t('till.title')}</h1>
      {report ? <div className="card till-card"><ReportView report={report} /></div> : null}
      {!till ? (
        <section className="card till-card">
          <p>{t('till.closed')}</p>
          <CountForm denominations={settings.denominations} currency={currency} submitLabel={t('till.open')} busy={open.busy} autoFocus={!report}
            onSubmit={(float) => void open.submit(float).then((s) => s && setReport(null))} />
          <ErrorNote error={open.error} testId="till-open" onRetry={open.canRetry ? () => void open.retry() : undefined} />
        </section>
      ) : closing ? (
        <section className="card till-card">
          <h2>{t('till.close')}</h2>
          <p className="muted">{t('till.close.body')}</p>
          <CountForm denominations={settings.denominations} currency={currency} submitLabel={t('till.close.confirm')} busy={close.busy}
            onSubmit={(count) => {
              // Kept in case the over/short needs a supervisor: the same count is sent again with the approval.
              setNeedApproval(count);
              void doClose(count);
            }}>
            <div className="field-pair">
              <input inputMode="decimal" placeholder={t('till.close.card')} value={others.card} onChange={(e) => setOthers((o) => ({ ...o, card: e.target.value }))} data-testid="close-card" />
              <input inputMode="decimal" placeholder={t('till.close.transfer')} value={others.transfer} onChange={(e) => setOthers((o) => ({ ...o, transfer: e.target.value }))} data-testid="close-transfer" />
            </div>
          </CountForm>
          <ErrorNote error={close.error} testId="till-close" onRetry={close.canRetry ? () => void close.retry() : undefined} />
          {close.error?.code === 'Forbidden' && needApproval ? (
            <ApprovalDialog action="overShort" onClose={() => setNeedApproval(null)} onApproved={(a) => void doClose(needApproval, a.approvalId)} />
          ) : null}
        </section>
      ) : (
        <>
          <section className="card till-card">
            <p data-testid="till-open-since">{t('till.openSince', { since: formatWhen(till.openedAt, locale, t), float: formatMoney({ amount: till.floatTotal, currency }, locale) })}</p>
            <div className="actions">
              <a className="button primary big" href="#/checkout">{t('nav.checkout')}</a>
              <button type="button" className="big" onClick={() => void state().readX().then(setReport, (e: unknown) => setError(toAppError(e)))} data-testid="till-x">{t('till.x')}</button>
              <button type="button" className="big" onClick={() => { setReport(null); setClosing(true); }} data-testid="till-close">{t('till.close')}</button>
            </div>
            <ErrorNote error={error} testId="till" />
          </section>
          <MoveForm currency={currency} />
          <ReturnsPanel tillSessionId={till.id} currency={currency} />
        </>
      )}
    </div>
  );
}
