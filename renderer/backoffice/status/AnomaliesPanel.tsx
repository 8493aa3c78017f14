import { useEffect, useState } from 'react';
import type { OverRefundView } from '../../../shared/contract/index.js';
import { useNow } from '../../components/useNow.js';
import { useLocale, useT } from '../../i18n/index.js';
import { useApp, useAppState } from '../../state/context.js';
import { anomalyText } from './anomalies.js';

/**
 * Sales refunded past what was sold (two terminals offline refunded the same line): the owner's home lists them with
 * an explanation, the same list on every terminal of the store. Nothing shows while there are none, or for a person
 * who may not read it (the node answers Forbidden).
 */
export function AnomaliesPanel() {
  const t = useT();
  const locale = useLocale();
  const state = useAppState();
  const role = useApp((s) => s.person?.role);
  const minute = useNow(60_000);
  const [items, setItems] = useState<OverRefundView[]>([]);
  const allowed = role === undefined || role === 'owner' || role === 'supervisor';

  useEffect(() => {
    if (!allowed) return;
    let live = true;
    state()
      .refundAnomalies()
      .then((r) => live && setItems(r.items), () => live && setItems([]));
    return () => {
      live = false;
    };
  }, [allowed, minute, state]);

  if (!allowed || items.length === 0) return null;
  return (
    <section className="card" data-testid="anomalies" role="alert">
      <h2>{t('anomalies.title')}</h2>
      <p>{t('anomalies.explain')}</p>
      {items.map((item) => {
        const text = anomalyText(item, t, locale, minute);
        return (
          <div key={item.saleId} data-testid="anomaly">
            <h3>{text.title}</h3>
            <ul className="checks">
              {text.lines.map((line) => (
                <li key={line} className="tone-bad">{line}</li>
              ))}
              {text.refunds.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          </div>
        );
      })}
    </section>
  );
}
