import { useT } from '../../i18n/index.js';

interface FormActionsProps {
  testId: string;
  busy: boolean;
  slow: boolean;
  onCancel(): void;
}

/** Submit is disabled while a submit is in flight; "slow" tells the person it is still working, not stuck. */
export function FormActions({ testId, busy, slow, onCancel }: FormActionsProps) {
  const t = useT();
  return (
    <div className="actions">
      {busy ? (
        <span className="muted" role="status" data-testid={`${testId}-busy`}>
          {slow ? t('form.slow') : t('form.saving')}
        </span>
      ) : null}
      <span className="spacer" />
      <button type="button" onClick={onCancel} data-testid={`${testId}-cancel`}>
        {t('action.cancel')}
      </button>
      <button type="submit" className="primary" disabled={busy} data-testid={`${testId}-submit`}>
        {t('action.save')}
      </button>
    </div>
  );
}
