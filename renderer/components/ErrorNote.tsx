import type { AppError } from '../../shared/errors.js';
import { useT } from '../i18n/index.js';
import { errorText } from './errorText.js';

interface ErrorNoteProps {
  error: AppError | null;
  testId: string;
  /** Field issues already shown next to their inputs; the note then shows only the summary. */
  extra?: string[];
  onRetry?: (() => void) | undefined;
}

export function ErrorNote({ error, testId, extra = [], onRetry }: ErrorNoteProps) {
  const t = useT();
  if (!error) return null;
  return (
    <div className="error-note" role="alert" data-testid={`${testId}-error`}>
      <p>{errorText(error, t)}</p>
      {extra.map((line) => (
        <p key={line}>{line}</p>
      ))}
      {onRetry ? (
        <>
          <p className="muted">{t('form.maybeSaved')}</p>
          <button type="button" onClick={onRetry} data-testid={`${testId}-retry`}>
            {t('action.retry')}
          </button>
        </>
      ) : null}
    </div>
  );
}
