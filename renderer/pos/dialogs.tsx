import { useState, type FormEvent } from 'react';
import type { OpenTicket, TicketLine } from '../../shared/contract/index.js';
import { parseMoney } from '../../shared/money.js';
import { grossOf, ticketTotals } from '../../shared/ticket-totals.js';
import { Dialog } from '../components/Dialog.js';
import { Field } from '../components/Field.js';
import { formatMoney } from '../i18n/format.js';
import { useLocale, useT } from '../i18n/index.js';
import { formatQuantity, parseQuantity } from './quantity.js';

interface Close {
  onClose(): void;
}

function Actions({ onClose, testId }: Close & { testId: string }) {
  const t = useT();
  return (
    <div className="actions">
      <button type="submit" className="primary big" data-testid={`${testId}-ok`}>{t('pos.ok')}</button>
      <button type="button" className="big" onClick={onClose}>{t('pos.cancel')}</button>
    </div>
  );
}

export function QuantityDialog({ line, onDone, onClose }: Close & { line: TicketLine; onDone(quantity: number): void }) {
  const t = useT();
  const locale = useLocale();
  const [text, setText] = useState(formatQuantity(line.quantity, line.unit, locale).replace(' kg', ''));
  const [issue, setIssue] = useState<string>();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const q = parseQuantity(text, line.unit);
    if (q === undefined) setIssue(t('pos.quantity.bad'));
    else onDone(q);
  };
  return (
    <Dialog title={t('pos.quantity.title', { name: line.name })} testId="quantity-dialog" onClose={onClose}>
      <form onSubmit={submit} className="fields">
        <Field label={t(line.unit === 'kg' ? 'pos.quantity.kg' : 'pos.quantity.units')} testId="quantity" issue={issue}>
          <input className="big-input" inputMode="decimal" autoFocus value={text} onChange={(e) => setText(e.target.value)}
            onFocus={(e) => e.target.select()} data-testid="quantity-input" />
        </Field>
        <Actions onClose={onClose} testId="quantity" />
      </form>
    </Dialog>
  );
}

/** Money off the selected line or off the whole ticket; never more than what it applies to. */
export function DiscountDialog(props: Close & { currency: string; ticket: OpenTicket; line: TicketLine | undefined; onDone(target: 'line' | 'ticket', amount: number): void }) {
  const { currency, ticket, line, onDone, onClose } = props;
  const t = useT();
  const locale = useLocale();
  const [target, setTarget] = useState<'line' | 'ticket'>(line ? 'line' : 'ticket');
  const [text, setText] = useState('');
  const [issue, setIssue] = useState<string>();
  const ceiling = target === 'line' && line ? grossOf(line.quantity, line.unitPrice) : ticketTotals(ticket.lines, 0).subtotal;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const amount = parseMoney(text, currency);
    if (amount === undefined || amount > ceiling) setIssue(t('pos.discount.bad'));
    else onDone(target, amount);
  };
  return (
    <Dialog title={t('pos.discount.title')} testId="discount-dialog" onClose={onClose}>
      <form onSubmit={submit} className="fields">
        <div className="choice">
          {line ? (
            <label><input type="radio" checked={target === 'line'} onChange={() => setTarget('line')} /> {t('pos.discount.line', { name: line.name })}</label>
          ) : null}
          <label><input type="radio" checked={target === 'ticket'} onChange={() => setTarget('ticket')} data-testid="discount-ticket" /> {t('pos.discount.ticket')}</label>
        </div>
        <Field label={t('pos.discount.amount')} testId="discount" issue={issue} hint={t('pos.discount.max', { amount: formatMoney({ amount: ceiling, currency }, locale) })}>
          <input className="big-input" inputMode="decimal" autoFocus value={text} onChange={(e) => setText(e.target.value)} data-testid="discount-input" />
        </Field>
        <Actions onClose={onClose} testId="discount" />
      </form>
    </Dialog>
  );
}

export function ParkDialog({ onDone, onClose }: Close & { onDone(label: string): void }) {
  const t = useT();
  const [label, setLabel] = useState('');
  return (
    <Dialog title={t('pos.park.title')} testId="park-dialog" onClose={onClose}>
      <form onSubmit={(e) => { e.preventDefault(); onDone(label.trim().slice(0, 40)); }} className="fields">
        <Field label={t('pos.park.label')} testId="park">
          <input autoFocus maxLength={40} value={label} onChange={(e) => setLabel(e.target.value)} data-testid="park-label" />
        </Field>
        <Actions onClose={onClose} testId="park" />
      </form>
    </Dialog>
  );
}

export function ResumeDialog({ parked, currency, onDone, onClose }: Close & { parked: OpenTicket[]; currency: string; onDone(ticketId: string): void }) {
  const t = useT();
  const locale = useLocale();
  return (
    <Dialog title={t('pos.resume.title')} testId="resume-dialog" onClose={onClose}>
      {parked.length === 0 ? <p className="empty">{t('pos.resume.none')}</p> : null}
      <ul className="parked-list">
        {parked.map((p, i) => (
          <li key={p.ticketId}>
            <button type="button" className="big wide-button" autoFocus={i === 0} onClick={() => onDone(p.ticketId)} data-testid="resume-ticket">
              <strong>{p.label || t('pos.resume.unnamed')}</strong>
              <span className="muted">
                {t('pos.resume.lines', { n: p.lines.length, total: formatMoney({ amount: ticketTotals(p.lines, p.ticketDiscount).total, currency }, locale) })}
              </span>
            </button>
          </li>
        ))}
      </ul>
      <div className="actions">
        <button type="button" className="big" onClick={onClose}>{t('pos.cancel')}</button>
      </div>
    </Dialog>
  );
}

export function AbandonDialog({ onDone, onClose }: Close & { onDone(reason: string): void }) {
  const t = useT();
  const [reason, setReason] = useState('');
  return (
    <Dialog title={t('pos.abandon.title')} testId="abandon-dialog" onClose={onClose}>
      <p>{t('pos.abandon.body')}</p>
      <form onSubmit={(e) => { e.preventDefault(); if (reason.trim()) onDone(reason.trim().slice(0, 200)); }} className="fields">
        <Field label={t('pos.abandon.reason')} testId="abandon">
          <input autoFocus required maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="abandon-reason" />
        </Field>
        <Actions onClose={onClose} testId="abandon" />
      </form>
    </Dialog>
  );
}

export function PriceDialog({ line, currency, onDone, onClose }: Close & { line: TicketLine; currency: string; onDone(unitPrice: number): void }) {
  const t = useT();
  const locale = useLocale();
  const [text, setText] = useState('');
  const [issue, setIssue] = useState<string>();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const price = parseMoney(text, currency);
    if (price === undefined) setIssue(t('pos.discount.bad'));
    else onDone(price);
  };
  return (
    <Dialog title={t('price.override.title', { name: line.name })} testId="override-dialog" onClose={onClose}>
      <form onSubmit={submit} className="fields">
        <Field label={t('price.override.new', { unit: t(`price.override.unit.${line.unit}`) })} testId="override" issue={issue}
          hint={formatMoney({ amount: line.listPrice, currency }, locale)}>
          <input className="big-input" inputMode="decimal" autoFocus value={text} onChange={(e) => setText(e.target.value)} data-testid="override-input" />
        </Field>
        <Actions onClose={onClose} testId="override" />
      </form>
    </Dialog>
  );
}
