/**
 * Defaults that depend on the store's currency: its notes and coins (minor units, largest first), cash rounding,
 * usual tax rates, and the over/short threshold. The owner edits them in the settings screen; these only spare a new
 * store from typing its country's money in. Currencies not listed start with one denomination and no tax.
 */
export interface CurrencyDefaults {
  denominations: number[];
  rounding: { mode: 'none' } | { mode: 'nearest'; step: number };
  taxRates: { rateBp: number; label: string }[];
  overShortThreshold: number;
}

const times = (factor: number, list: number[]) => list.map((n) => n * factor);
const NONE = { mode: 'none' } as const;

const TABLE: Record<string, CurrencyDefaults> = {
  ARS: {
    denominations: times(100, [20_000, 10_000, 2_000, 1_000, 500, 200, 100, 50, 20, 10, 5, 2, 1]),
    rounding: NONE,
    taxRates: [
      { rateBp: 2_100, label: 'IVA 21%' },
      { rateBp: 1_050, label: 'IVA 10,5%' },
      { rateBp: 0, label: 'Exento' },
    ],
    overShortThreshold: 500_000,
  },
  MXN: {
    denominations: times(100, [1_000, 500, 200, 100, 50, 20, 10, 5, 2, 1]).concat([50]),
    rounding: NONE,
    taxRates: [
      { rateBp: 1_600, label: 'IVA 16%' },
      { rateBp: 0, label: 'Tasa 0%' },
    ],
    overShortThreshold: 5_000,
  },
  CLP: {
    denominations: [20_000, 10_000, 5_000, 2_000, 1_000, 500, 100, 50, 10],
    rounding: { mode: 'nearest', step: 10 },
    taxRates: [
      { rateBp: 1_900, label: 'IVA 19%' },
      { rateBp: 0, label: 'Exento' },
    ],
    overShortThreshold: 1_000,
  },
  USD: {
    denominations: [10_000, 5_000, 2_000, 1_000, 500, 200, 100, 50, 25, 10, 5, 1],
    rounding: NONE,
    taxRates: [{ rateBp: 0, label: 'Sin impuesto' }],
    overShortThreshold: 500,
  },
  EUR: {
    denominations: [50_000, 20_000, 10_000, 5_000, 2_000, 1_000, 500, 200, 100, 50, 20, 10, 5, 2, 1],
    rounding: NONE,
    taxRates: [
      { rateBp: 2_100, label: 'IVA 21%' },
      { rateBp: 1_000, label: 'IVA 10%' },
      { rateBp: 400, label: 'IVA 4%' },
      { rateBp: 0, label: 'Exento' },
    ],
    overShortThreshold: 500,
  },
  PEN: {
    denominations: times(10, [2_000, 1_000, 500, 200, 100, 50, 20, 10, 5, 2, 1]),
    rounding: { mode: 'nearest', step: 10 },
    taxRates: [
      { rateBp: 1_800, label: 'IGV 18%' },
      { rateBp: 0, label: 'Exonerado' },
    ],
    overShortThreshold: 1_000,
  },
  UYU: {
    denominations: times(100, [2_000, 1_000, 500, 200, 100, 50, 20, 10, 5, 2, 1]),
    rounding: NONE,
    taxRates: [
      { rateBp: 2_200, label: 'IVA 22%' },
      { rateBp: 1_000, label: 'IVA 10%' },
      { rateBp: 0, label: 'Exento' },
    ],
    overShortThreshold: 20_000,
  },
  COP: {
    denominations: times(100, [100_000, 50_000, 20_000, 10_000, 5_000, 2_000, 1_000, 500, 200, 100, 50]),
    rounding: NONE,
    taxRates: [
      { rateBp: 1_900, label: 'IVA 19%' },
      { rateBp: 500, label: 'IVA 5%' },
      { rateBp: 0, label: 'Exento' },
    ],
    overShortThreshold: 2_000_000,
  },
};

const FALLBACK: CurrencyDefaults = { denominations: [1], rounding: NONE, taxRates: [{ rateBp: 0, label: '0%' }], overShortThreshold: 0 };

/** The defaults for a currency (copies: callers may change them). */
export function currencyDefaults(currency: string): CurrencyDefaults {
  const found = Object.hasOwn(TABLE, currency) ? TABLE[currency]! : FALLBACK;
  return JSON.parse(JSON.stringify(found)) as CurrencyDefaults;
}

export const currenciesWithDefaults = Object.keys(TABLE);
