import { AppError } from '../../shared/errors.js';
import { SaleMathError } from '../../shared/sale-math.js';

/** The shared money rules speak in problems; the cashier reads them as 4xx messages with amounts in the currency. */
export function saleMathToAppError(error: unknown, currency: string): unknown {
  if (!(error instanceof SaleMathError)) return error;
  const m = (amount: number) => ({ amount, currency });
  const d = error.detail;
  switch (d.problem) {
    case 'discountOverLine':
      return AppError.t('ValidationError', 'discountOverLine', { line: d.line + 1, gross: m(d.gross) });
    case 'discountOverTicket':
      return AppError.t('ValidationError', 'discountOverTicket', { subtotal: m(d.subtotal) });
    case 'tenderShort':
      return AppError.t('ValidationError', 'tenderShort', { due: m(d.due), paid: m(d.paid) });
    case 'overpaidNonCash':
      return AppError.t('ValidationError', 'overpaidNonCash', { total: m(d.total), nonCash: m(d.nonCash) });
    case 'cashNotNeeded':
      return AppError.t('ValidationError', 'cashNotNeeded');
    case 'oneCashTender':
      return AppError.t('ValidationError', 'oneCashTender');
    case 'amountTooLarge':
      return AppError.t('ValidationError', 'amountTooLarge', { line: d.line + 1 });
  }
}

/** Runs pure money math, turning its problems into AppErrors. */
export function money<T>(currency: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw saleMathToAppError(error, currency);
  }
}
