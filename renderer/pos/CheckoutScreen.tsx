import { useCallback, useEffect, useRef, useState } from 'react';
import { useT } from '../i18n/index.js';
import { useApp, useAppState } from '../state/context.js';
import { Cart } from './Cart.js';
import { grossOf, ticketTotals } from '../../shared/ticket-totals.js';
import { AbandonDialog, DiscountDialog, ParkDialog, PriceDialog, QuantityDialog, ResumeDialog } from './dialogs.js';
import { discountWithinLimit, overrideNeedsApproval } from './limits.js';
import { ApprovalDialog, type ApprovalAction } from '../components/ApprovalDialog.js';
import { FunctionKeys } from './FunctionKeys.js';
import { actionOf, type CheckoutAction } from './keys.js';
import { markScan } from './paintTiming.js';
import { PaymentDialog } from './PaymentDialog.js';
import { ProductSearch } from './ProductSearch.js';
import { StatusStrip } from './StatusStrip.js';
import { Totals } from './Totals.js';
import { useScanner } from './useScanner.js';
import { useTicketPersistence } from './useTicketPersistence.js';

type Open = Exclude<CheckoutAction, 'search' | 'remove'> | null;

function ScanNotice() {
  const t = useT();
  const notice = useApp((s) => s.scanNotice);
  if (!notice) return null;
  return (
    <p className={`notice notice-${notice.kind}`} role="alert" data-testid="scan-notice" data-kind={notice.kind}>
      {t(`pos.notice.${notice.kind}`, { code: notice.code })}
    </p>
  );
}

/** The cashier's screen: scan or search, the cart, the total, and the function keys for everything else. */
export function CheckoutScreen() {
  const start = useApp((s) => s.startCheckout);
  const scan = useApp((s) => s.scan);
  const timing = useApp((s) => s.counterSettings.scannerTiming);
  const currency = useApp((s) => s.status?.currency ?? 'ARS');
  const ticket = useApp((s) => s.ticket);
  const parked = useApp((s) => s.parked);
  const selected = useApp((s) => s.ticket.lines.find((l) => l.lineId === s.selectedLineId));
  const state = useAppState();
  const [open, setOpen] = useState<Open>(null);
  /** A change waiting for a supervisor's PIN: applied with the approval's id once given. */
  const [pending, setPending] = useState<{ action: ApprovalAction; name: string; apply(approvalId: string): void } | null>(null);
  const role = useApp((s) => s.person?.role ?? 'owner');
  const search = useRef<HTMLInputElement>(null);

  useEffect(() => void start(), [start]);
  useTicketPersistence();

  useScanner(
    {
      onScan: (code, at) => {
        markScan(at);
        scan(code);
      },
      onTyped: (text) => {
        // Typing with no field focused starts a search: nothing the cashier types is lost either.
        search.current?.focus();
        document.execCommand('insertText', false, text);
      },
    },
    { maxGapMs: timing.maxKeyGapMs, minLength: timing.minLength },
  );

  const act = useCallback(
    (action: CheckoutAction) => {
      const s = state();
      if (action === 'search') search.current?.focus();
      else if (action === 'remove') {
        if (s.selectedLineId) s.removeTicketLine(s.selectedLineId);
      } else if ((action === 'quantity' && !selected) || ((action === 'park' || action === 'abandon' || action === 'pay') && s.ticket.lines.length === 0)) return;
      else setOpen(action);
    },
    [state, selected],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (open || pending) return;
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        if (document.activeElement === search.current) return;
        e.preventDefault();
        state().moveSelection(e.key === 'ArrowDown' ? 1 : -1);
        return;
      }
      const action = actionOf(e.key);
      // Supr inside the search box deletes text, as it should.
      if (!action || (action === 'remove' && document.activeElement === search.current)) return;
      e.preventDefault();
      act(action);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open, pending, act, state]);

  const close = () => setOpen(null);
  return (
    <div className="checkout" data-testid="checkout">
      <StatusStrip />
      <div className="checkout-body">
        <section className="checkout-left">
          <ProductSearch ref={search} currency={currency} />
          <ScanNotice />
          <Cart currency={currency} />
        </section>
        <aside className="checkout-right">
          <Totals currency={currency} />
          <FunctionKeys onAction={act} canAct={{ lines: ticket.lines.length > 0, selected: !!selected, parked: parked.length }} />
        </aside>
      </div>
      {open === 'quantity' && selected ? (
        <QuantityDialog line={selected} onClose={close} onDone={(q) => { state().setLineQuantity(selected.lineId, q); close(); }} />
      ) : null}
      {open === 'discount' ? (
        <DiscountDialog currency={currency} ticket={ticket} line={selected} onClose={close}
          onDone={(target, amount) => {
            close();
            const s = state();
            const line = target === 'line' ? selected : undefined;
            const base = line ? grossOf(line.quantity, line.unitPrice) : ticketTotals(ticket.lines, 0).subtotal;
            const apply = (approvalId: string | null) =>
              line ? state().setLineDiscount(line.lineId, amount, approvalId) : state().setTicketDiscount(amount, approvalId);
            if (discountWithinLimit(s.counterSettings, role, amount, base)) apply(null);
            else setPending({ action: 'discount', name: line?.name ?? '', apply });
          }} />
      ) : null}
      {open === 'price' && selected ? (
        <PriceDialog line={selected} currency={currency} onClose={close}
          onDone={(price) => {
            close();
            const apply = (approvalId: string | null) => state().overrideLinePrice(selected.lineId, price, approvalId);
            if (price === selected.listPrice || !overrideNeedsApproval(role)) apply(null);
            else setPending({ action: 'priceOverride', name: selected.name, apply });
          }} />
      ) : null}
      {pending ? (
        <ApprovalDialog action={pending.action} onClose={() => setPending(null)}
          onApproved={(a) => { pending.apply(a.approvalId); setPending(null); }} />
      ) : null}
      {open === 'park' ? <ParkDialog onClose={close} onDone={(label) => { void state().parkTicket(label); close(); }} /> : null}
      {open === 'resume' ? (
        <ResumeDialog parked={parked} currency={currency} onClose={close} onDone={(id) => { void state().resumeTicket(id); close(); }} />
      ) : null}
      {open === 'pay' ? <PaymentDialog currency={currency} onClose={close} /> : null}
      {open === 'abandon' ? <AbandonDialog onClose={close} onDone={(reason) => { void state().abandonTicket(reason); close(); }} /> : null}
    </div>
  );
}
