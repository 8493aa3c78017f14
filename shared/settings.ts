import { z } from 'zod';
import { DEFAULT_NOMENCLATURE, nomenclatureSchema } from './barcodes.js';
import { because } from './issues.js';
import { minorUnitsSchema } from './money.js';
import { currencyDefaults } from './settings.currency.js';
import { textSchema } from './text.js';

/**
 * The counter's settings (issue 13 item 11): one typed schema per key, a default for every key (some by the store's
 * currency), and pure helpers the sales and cash rules use. The node keeps one row per key, last-writer-wins by HLC
 * (node/settings); `settings.get` answers every key, set or default. The back office adds keys here.
 */

const lines = (label: string) => z.array(textSchema(48, label)).max(8, 'at most 8 lines');

const limitSchema = z.strictObject({
  /** Largest discount as basis points of the line or ticket (10000 = 100 %). */
  maxPercentBp: z.number().int().min(0).max(10_000),
  /** Largest discount in minor units; null: only the percentage limits it. */
  maxAmount: minorUnitsSchema.nullable(),
});
export type DiscountLimit = z.infer<typeof limitSchema>;

export const cashRoundingSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('none') }),
  /** Cash totals to the nearest `step` minor units (CLP 10: no 1 and 5 peso coins), half up. */
  z.strictObject({ mode: z.literal('nearest'), step: z.number().int().min(2).max(100_000) }),
]);
export type CashRounding = z.infer<typeof cashRoundingSchema>;

const SERIES = /^[A-Za-z0-9-]{1,20}$/;
const seriesSchema = z.string().trim().refine((s) => SERIES.test(s), because('badSeries'));

export const taxRateSchema = z.strictObject({
  rateBp: z.number().int().min(0).max(10_000),
  label: textSchema(24, 'label'),
});

export const settingSchemas = {
  storeName: textSchema(60, 'store name'),
  receiptHeader: lines('header line'),
  receiptFooter: lines('footer line'),
  /** Notes and coins of the store's currency, in minor units, largest first (counting the till). */
  cashDenominations: z
    .array(minorUnitsSchema.min(1))
    .min(1)
    .max(30)
    .refine((list) => list.every((d, i) => i === 0 || d < list[i - 1]!), because('denominationsOrder')),
  cashRounding: cashRoundingSchema,
  taxRates: z
    .array(taxRateSchema)
    .min(1)
    .max(10)
    .refine((list) => new Set(list.map((t) => t.rateBp)).size === list.length, because('taxRateTwice')),
  /** Owners have no limit; beyond these a supervisor's approval is needed. */
  discountLimits: z.strictObject({ supervisor: limitSchema, cashier: limitSchema, stockClerk: limitSchema }),
  /** A till counted over or short by more than this (minor units) needs a supervisor's approval to close. */
  overShortThreshold: minorUnitsSchema,
  scaleNomenclature: nomenclatureSchema,
  /** A burst of keys each at most `maxKeyGapMs` apart, at least `minLength` long and ending in Enter is a scan. */
  scannerTiming: z.strictObject({
    maxKeyGapMs: z.number().int().min(5).max(100),
    minLength: z.number().int().min(3).max(32),
  }),
  /** The same product scanned again adds to its line (true) or makes a new line (false). */
  mergeRepeatScans: z.boolean(),
  /** A signed-in person with no activity for this long is signed out. */
  idleTimeoutMinutes: z.number().int().min(1).max(480),
  /** Fiscal series names per document type. */
  fiscalSeries: z.strictObject({ ticket: seriesSchema, creditNote: seriesSchema }),
  /** Seed 002 D5: offline, a tracked product at zero or negative stock is refused (true) or only warned about. */
  stockBlockOffline: z.boolean(),
} as const;

export type SettingKey = keyof typeof settingSchemas;
export type Settings = { [K in SettingKey]: z.output<(typeof settingSchemas)[K]> };
export type SettingValue<K extends SettingKey> = Settings[K];

export const settingKeys = Object.keys(settingSchemas) as SettingKey[];
export const settingKeySchema = z.enum(settingKeys as [SettingKey, ...SettingKey[]]);
export const isSettingKey = (value: unknown): value is SettingKey => typeof value === 'string' && Object.hasOwn(settingSchemas, value);

/** Every key with its default, for a store in `currency`. */
export function defaultSettings(currency: string): Settings {
  const money = currencyDefaults(currency);
  return {
    storeName: 'Mi negocio',
    receiptHeader: [],
    receiptFooter: ['¡Gracias por su compra!'],
    cashDenominations: money.denominations,
    cashRounding: money.rounding,
    taxRates: money.taxRates,
    discountLimits: {
      supervisor: { maxPercentBp: 5_000, maxAmount: null },
      cashier: { maxPercentBp: 1_000, maxAmount: null },
      stockClerk: { maxPercentBp: 0, maxAmount: 0 },
    },
    overShortThreshold: money.overShortThreshold,
    scaleNomenclature: DEFAULT_NOMENCLATURE,
    scannerTiming: { maxKeyGapMs: 50, minLength: 4 },
    mergeRepeatScans: true,
    idleTimeoutMinutes: 15,
    fiscalSeries: { ticket: 'B-0001', creditNote: 'NC-0001' },
    stockBlockOffline: true,
  };
}

/** The value a stored setting holds, parsed by its key's schema; undefined for a key or value this build cannot read. */
export function parseSetting<K extends SettingKey>(key: K, value: unknown): SettingValue<K> | undefined {
  const parsed = settingSchemas[key].safeParse(value);
  return parsed.success ? (parsed.data as SettingValue<K>) : undefined;
}

/** A set of changes: any keys, each valid for its own schema. */
export const settingsPatchSchema = z.strictObject(
  Object.fromEntries(settingKeys.map((k) => [k, settingSchemas[k].optional()])) as {
    [K in SettingKey]: z.ZodOptional<(typeof settingSchemas)[K]>;
  },
);
export type SettingsPatch = z.output<typeof settingsPatchSchema>;

/** What the customer pays in cash for `due`, by the store's rounding (half up); the difference is the rounding line. */
export function roundCash(due: number, rounding: CashRounding): number {
  if (rounding.mode === 'none') return due;
  const { step } = rounding;
  return Math.floor((due + Math.floor(step / 2)) / step) * step;
}

/** The discount limit of a role; owners have none. */
export function discountLimitOf(settings: Pick<Settings, 'discountLimits'>, role: string): DiscountLimit | null {
  if (role === 'owner') return null;
  const limits = settings.discountLimits as Record<string, DiscountLimit>;
  return Object.hasOwn(limits, role) ? limits[role]! : { maxPercentBp: 0, maxAmount: 0 };
}
