import { useT } from '../i18n/index.js';
import { useApp } from '../state/context.js';

/**
 * What the cashier should know without asking: the till, who is signed in, fiscal numbers left, and whether the
 * ticket is safe on the node. The till and fiscal parts come from the cash and sales domains once they are merged.
 */
export function StatusStrip() {
  const t = useT();
  const catalogState = useApp((s) => s.catalogState);
  const catalogCount = useApp((s) => s.catalogCount);
  const saveState = useApp((s) => s.saveState);
  const catalog =
    catalogState === 'ready' ? t('pos.strip.catalog', { n: catalogCount.toLocaleString() }) : catalogState === 'failed' ? t('pos.strip.catalogFailed') : t('pos.strip.catalogLoading');
  return (
    <div className="strip" role="status" data-testid="status-strip">
      <span>{t('pos.strip.tillUnknown')}</span>
      <span>{t('pos.strip.fiscalUnknown')}</span>
      <span data-testid="catalog-state" data-state={catalogState}>{catalog}</span>
      <span className="spacer" />
      <span className={`save save-${saveState}`} data-testid="save-state" data-state={saveState}>
        {t(`pos.strip.${saveState}`)}
      </span>
    </div>
  );
}
