import { formatWhen } from '../i18n/format.js';
import { useLocale, useT } from '../i18n/index.js';
import { useApp } from '../state/context.js';

/** What the cashier should know without asking: the till, who is signed in, fiscal numbers left, and whether the ticket is safe on the node. */
export function StatusStrip() {
  const t = useT();
  const locale = useLocale();
  const catalogState = useApp((s) => s.catalogState);
  const catalogCount = useApp((s) => s.catalogCount);
  const saveState = useApp((s) => s.saveState);
  const till = useApp((s) => s.till);
  const tillLoaded = useApp((s) => s.tillLoaded);
  const fiscalLeft = useApp((s) => s.fiscalLeft);
  const fiscalSelf = useApp((s) => s.fiscalSelf);
  const person = useApp((s) => s.person);
  const catalog =
    catalogState === 'ready' ? t('pos.strip.catalog', { n: catalogCount.toLocaleString(locale) }) : catalogState === 'failed' ? t('pos.strip.catalogFailed') : t('pos.strip.catalogLoading');
  return (
    <div className="strip" role="status" data-testid="status-strip">
      <span data-testid="strip-till" data-open={!!till}>
        {till ? t('pos.strip.till', { since: formatWhen(till.openedAt, locale, t) }) : tillLoaded ? <a href="#/till" className="strip-warn">{t('pos.strip.tillClosed')}</a> : t('pos.strip.tillUnknown')}
      </span>
      {person ? <span>{t('pos.strip.cashier', { name: person.name })}</span> : null}
      <span data-testid="strip-fiscal">{fiscalLeft === null ? t(fiscalSelf ? 'pos.strip.fiscalFirstSale' : 'pos.strip.fiscalUnknown') : t('pos.strip.fiscal', { n: fiscalLeft.toLocaleString(locale) })}</span>
      <span data-testid="catalog-state" data-state={catalogState}>{catalog}</span>
      <span className="spacer" />
      <span className={`save save-${saveState}`} data-testid="save-state" data-state={saveState}>
        {t(`pos.strip.${saveState}`)}
      </span>
    </div>
  );
}
