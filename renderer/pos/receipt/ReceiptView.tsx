import { forwardRef, useMemo } from 'react';
import type { Receipt } from '../../../shared/receipt.js';
import { useLocale, useT } from '../../i18n/index.js';
import { useApp } from '../../state/context.js';
import { Barcode128 } from './Barcode128.js';
import { layoutReceipt, type Paper } from './layout.js';
import './receipt.css';

interface Props {
  receipt: Receipt;
  paper: Paper;
  taxLabels?: ReadonlyMap<number, string>;
}

/** A receipt as it prints: the laid-out lines and the refund barcode. Print it with `printReceipt(ref, paper)`. */
export const ReceiptView = forwardRef<HTMLDivElement, Props>(function ReceiptView({ receipt, paper, taxLabels }, ref) {
  const t = useT();
  const locale = useLocale();
  // The node's receipt names the cashier by id; the customer reads a name (the store's people, from the sign-in).
  const people = useApp((s) => s.directory?.users);
  const cashier = people?.find((u) => u.id === receipt.cashier)?.name ?? receipt.cashier;
  const lines = useMemo(
    () => layoutReceipt({ ...receipt, cashier }, { paper, locale, t, ...(taxLabels ? { taxLabels } : {}) }),
    [receipt, cashier, paper, locale, t, taxLabels],
  );
  return (
    <div className="receipt" data-paper={paper} data-testid={`receipt-${paper}`} ref={ref}>
      <pre className="receipt-lines">
        {lines.map((line, i) => (
          <div key={i} className={line.style ? `receipt-line-${line.style}` : undefined}>
            {line.text || ' '}
          </div>
        ))}
      </pre>
      {receipt.barcode ? (
        <>
          <Barcode128 value={receipt.barcode} className="receipt-barcode" />
          <p className="receipt-barcode-text">{receipt.barcode}</p>
        </>
      ) : null}
    </div>
  );
});
