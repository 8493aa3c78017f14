import { z } from 'zod';
import { because } from './issues.js';

/**
 * What a scanned code means at the counter, as pure functions for the node and the renderer alike (issue 13 item 4):
 * GS1 check digits (EAN-13, EAN-8, UPC-A, GTIN-14), Code 128 labels with letters taken as they are, and the
 * store's own EAN-13 scale labels (prefixes 20–29) read by its nomenclature.
 *
 * A scale label is `PP IIII[I…] [V] NNNN[N] C`: a two-digit prefix, the item code (the product carries it as a
 * barcode or SKU: the caller looks it up), an optional price-verifier digit over the value, the value (weight in
 * kilograms or price with `decimals` decimals), and the EAN-13 check digit. The value has 10 − item code length −
 * (verifier ? 1 : 0) digits.
 */

/** The GS1 prefixes of in-store (restricted circulation) EAN-13 codes. */
export const SCALE_PREFIXES = ['20', '21', '22', '23', '24', '25', '26', '27', '28', '29'] as const;

/** How one in-store prefix is read. */
export const scalePrefixSchema = z.strictObject({
  prefix: z.enum(SCALE_PREFIXES),
  kind: z.enum(['weight', 'price']),
  itemCodeLength: z.number().int().min(3).max(6),
  decimals: z.number().int().min(0).max(3),
  priceCheckDigit: z.boolean(),
});
export type ScalePrefix = z.infer<typeof scalePrefixSchema>;

/** Digits the value of a label of this prefix has. */
export const valueLength = (p: Pick<ScalePrefix, 'itemCodeLength' | 'priceCheckDigit'>): number =>
  10 - p.itemCodeLength - (p.priceCheckDigit ? 1 : 0);

/** A prefix whose layout can be read: a verifier digit exists only over a 4- or 5-digit value. */
export const layoutProblem = (p: ScalePrefix): string | undefined =>
  p.priceCheckDigit && ![4, 5].includes(valueLength(p))
    ? 'a price-verifier digit needs a value of 4 or 5 digits (item code of 5 or 4 digits)'
    : undefined;

export const nomenclatureSchema = z
  .array(scalePrefixSchema)
  .max(10)
  .refine((list) => new Set(list.map((p) => p.prefix)).size === list.length && list.every((p) => !layoutProblem(p)), because('badNomenclature'));
export type Nomenclature = z.infer<typeof nomenclatureSchema>;

/** A common Argentine/Spanish layout: 20 = weight in grams-precision kg, 21 = price, 5-digit item codes. */
export const DEFAULT_NOMENCLATURE: Nomenclature = [
  { prefix: '20', kind: 'weight', itemCodeLength: 5, decimals: 3, priceCheckDigit: false },
  { prefix: '21', kind: 'price', itemCodeLength: 5, decimals: 2, priceCheckDigit: false },
];

const digitsOf = (code: string): number[] => [...code].map((c) => c.charCodeAt(0) - 48);

/**
 * The GS1 check digit of a code without it (any length: EAN-8 has 7 digits, UPC-A 11, EAN-13 12, GTIN-14 13):
 * from the right, weights 3, 1, 3, 1 …; the digit brings the sum to a multiple of ten.
 */
export function gs1CheckDigit(body: string): number {
  if (!/^[0-9]+$/.test(body)) throw new Error('a GS1 code is made of digits');
  const sum = digitsOf(body)
    .reverse()
    .reduce((acc, d, i) => acc + d * (i % 2 === 0 ? 3 : 1), 0);
  return (10 - (sum % 10)) % 10;
}

/** Whether a whole GS1 code (its last digit the check digit) adds up. */
export const gs1Valid = (code: string): boolean =>
  /^[0-9]{2,}$/.test(code) && gs1CheckDigit(code.slice(0, -1)) === Number(code[code.length - 1]);

// GS1 weighted products for the price-verifier digit (GS1 General Specifications 7.9.3): "2-" is the units digit
// of 2d minus its tens digit, "5+" of 5d plus its tens digit, "5-" of 5d minus its tens digit.
const W2MINUS = [0, 2, 4, 6, 8, 9, 1, 3, 5, 7];
const W3 = [0, 3, 6, 9, 2, 5, 8, 1, 4, 7];
const W5PLUS = [0, 5, 1, 6, 2, 7, 3, 8, 4, 9];
const W5MINUS = [0, 5, 9, 4, 8, 3, 7, 2, 6, 1];

/** The price-verifier digit of a 4- or 5-digit value. */
export function priceCheckDigit(value: string): number {
  const d = digitsOf(value);
  if (!/^[0-9]+$/.test(value)) throw new Error('a price is made of digits');
  if (d.length === 4) {
    const sum = W2MINUS[d[0]!]! + W2MINUS[d[1]!]! + W3[d[2]!]! + W5MINUS[d[3]!]!;
    return (sum * 3) % 10;
  }
  if (d.length === 5) {
    const sum = W5PLUS[d[0]!]! + W2MINUS[d[1]!]! + W5MINUS[d[2]!]! + W5PLUS[d[3]!]! + W2MINUS[d[4]!]!;
    const target = (10 - (sum % 10)) % 10;
    return W5MINUS.indexOf(target);
  }
  throw new Error('a price-verifier digit covers 4 or 5 digits');
}

/** What Code 128 can carry as text: printable ASCII (code set B), up to what a receipt or label holds. */
const CODE128_TEXT = /^[\x20-\x7e]{1,48}$/;

export type ScanInvalidReason = 'empty' | 'characters' | 'checkDigit' | 'priceCheckDigit' | 'tooLong';

export type Scan =
  | { kind: 'plain'; code: string }
  | { kind: 'scale'; prefix: string; itemCode: string; by: 'weight'; quantity: number }
  | { kind: 'scale'; prefix: string; itemCode: string; by: 'price'; price: number }
  | { kind: 'invalid'; reason: ScanInvalidReason };

export interface ScanOptions {
  /** Minor-unit digits of the store's currency (2 for ARS/MXN/USD, 0 for CLP): price labels are converted to them. */
  currencyDigits?: number;
}

/** GS1 lengths whose last digit is a check digit: EAN-8, UPC-A, EAN-13, GTIN-14. */
const GS1_LENGTHS = new Set([8, 12, 13, 14]);

/**
 * What a scanned code is: a scale label of the store's nomenclature, a plain code to look up as it is (EAN/UPC with
 * a good check digit, any other run of digits, a Code 128 label with letters), or invalid with the reason.
 */
export function interpretScan(raw: string, nomenclature: Nomenclature, options: ScanOptions = {}): Scan {
  const code = raw.trim();
  if (code === '') return { kind: 'invalid', reason: 'empty' };
  if (code.length > 48) return { kind: 'invalid', reason: 'tooLong' };
  if (!CODE128_TEXT.test(code)) return { kind: 'invalid', reason: 'characters' };
  if (!/^[0-9]+$/.test(code) || !GS1_LENGTHS.has(code.length)) return { kind: 'plain', code };
  if (!gs1Valid(code)) return { kind: 'invalid', reason: 'checkDigit' };
  const scale = code.length === 13 ? nomenclature.find((p) => p.prefix === code.slice(0, 2)) : undefined;
  return scale ? readScaleLabel(code, scale, options.currencyDigits ?? 2) : { kind: 'plain', code };
}

function readScaleLabel(code: string, p: ScalePrefix, currencyDigits: number): Scan {
  const itemCode = code.slice(2, 2 + p.itemCodeLength);
  const valueStart = 2 + p.itemCodeLength + (p.priceCheckDigit ? 1 : 0);
  const value = code.slice(valueStart, 12);
  if (p.priceCheckDigit && priceCheckDigit(value) !== Number(code[valueStart - 1])) {
    return { kind: 'invalid', reason: 'priceCheckDigit' };
  }
  const n = Number(value);
  if (p.kind === 'weight') return { kind: 'scale', prefix: p.prefix, itemCode, by: 'weight', quantity: scaleTo(n, p.decimals, 3) };
  return { kind: 'scale', prefix: p.prefix, itemCode, by: 'price', price: scaleTo(n, p.decimals, currencyDigits) };
}

/** A value with `from` decimals as an integer with `to` decimals (rounded half up when decimals are dropped). */
function scaleTo(n: number, from: number, to: number): number {
  if (to >= from) return n * 10 ** (to - from);
  const div = 10 ** (from - to);
  return Math.floor((n + div / 2) / div);
}

/** Builds a scale label (tests, the settings screen's preview): the inverse of `interpretScan` for one prefix. */
export function makeScaleLabel(p: ScalePrefix, itemCode: string, value: number): string {
  const len = valueLength(p);
  const item = itemCode.padStart(p.itemCodeLength, '0');
  const digits = String(value).padStart(len, '0');
  if (item.length !== p.itemCodeLength || digits.length !== len || !/^[0-9]+$/.test(item + digits)) {
    throw new Error(`item code or value does not fit prefix ${p.prefix}`);
  }
  const body = p.prefix + item + (p.priceCheckDigit ? String(priceCheckDigit(digits)) : '') + digits;
  return body + String(gs1CheckDigit(body));
}
