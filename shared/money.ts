import { z } from 'zod';

/**
 * Money is an integer of minor units (centavos) with its currency; never a float. Quantities are integers of
 * thousandths (grams for kilogram items).
 */
export const MAX_MINOR = 1_000_000_000_000; // 10 billion in major units: far above any shop's ticket

export const minorUnitsSchema = z
  .number({ error: 'must be a whole number of cents' })
  .int('must be a whole number of cents (integer minor units)')
  .min(0, 'cannot be negative')
  .max(MAX_MINOR, 'is too large');

export const currencySchema = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as ARS or MXN');

export interface Money {
  amount: number;
  currency: string;
}

const digitsCache = new Map<string, number>();

/** Minor-unit digits of a currency (2 for most, 0 for CLP/PYG …), from the platform's own ICU data. */
export function currencyDigits(currency: string): number {
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    digitsCache.set(currency, digits);
  }
  return digits;
}

export function formatMoney(m: Money, locale: string): string {
  const digits = currencyDigits(m.currency);
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: m.currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(m.amount / 10 ** digits);
}

/**
 * Parses what a person typed ("1.234,50", "1234.5", "12") into minor units without floating point.
 * The last `.` or `,` followed by at most `digits` digits is the decimal separator; others group thousands.
 */
export function parseMoney(text: string, currency: string): number | undefined {
  const digits = currencyDigits(currency);
  const trimmed = text.trim().replace(/\s/g, '');
  if (!/^\d[\d.,]*$/.test(trimmed)) return undefined;
  const sep = Math.max(trimmed.lastIndexOf('.'), trimmed.lastIndexOf(','));
  let whole = trimmed;
  let frac = '';
  if (sep >= 0 && trimmed.length - sep - 1 <= digits && trimmed.length - sep - 1 > 0) {
    whole = trimmed.slice(0, sep);
    frac = trimmed.slice(sep + 1);
  }
  whole = whole.replace(/[.,]/g, '');
  if (!/^\d+$/.test(whole) || !/^\d*$/.test(frac)) return undefined;
  const value = BigInt(whole) * 10n ** BigInt(digits) + BigInt((frac + '0'.repeat(digits)).slice(0, digits) || '0');
  return value > BigInt(MAX_MINOR) ? undefined : Number(value);
}
