import type { AppError } from '../../shared/errors.js';
import type { Translate } from '../i18n/translate.js';

/**
 * Failures the client itself detects get words in the person's language; anything else is the node's own message,
 * which is written for a cashier to act on.
 */
export function errorText(error: AppError, t: Translate): string {
  switch (error.code) {
    case 'Timeout':
      return t('error.Timeout');
    case 'Unavailable':
      return t('error.Unavailable');
    case 'Unauthorized':
      return t('error.Unauthorized');
    default:
      return error.message;
  }
}
