import { canonicalJson } from '../../../shared/canonical.js';
import type { ScalePrefix } from '../../../shared/barcodes.js';
import { currencyDigits, parseMoney } from '../../../shared/money.js';
import { settingKeys, type Settings, type SettingsPatch } from '../../../shared/settings.js';

/**
 * The settings screen's form: values as a person types them (money in major units with the local decimal comma,
 * percentages, one receipt line per row), and back. Pure, so the conversions are tested without a browser.
 */
export interface LimitDraft {
  percent: string;
  amount: string;
}

export interface SettingsDraft {
  storeName: string;
  receiptHeader: string;
  receiptFooter: string;
  cashDenominations: string;
  roundingMode: 'none' | 'nearest';
  roundingStep: string;
  taxRates: { percent: string; label: string }[];
  discountLimits: Record<'supervisor' | 'cashier' | 'stockClerk', LimitDraft>;
  overShortThreshold: string;
  scaleNomenclature: ScalePrefix[];
  maxKeyGapMs: string;
  minLength: string;
  mergeRepeatScans: boolean;
  idleTimeoutMinutes: string;
  fiscalTicket: string;
  fiscalCreditNote: string;
  stockBlockOffline: boolean;
}

/** A draft field the form could not read, by its name in the draft. */
export type DraftIssues = Partial<Record<string, 'badNumber' | 'badMoney'>>;

const ROLES = ['supervisor', 'cashier', 'stockClerk'] as const;

/** Minor units as the owner types them: major units, the locale's decimal mark, no grouping ("0,50", "20000"). */
export function majorText(minor: number, currency: string, locale: string): string {
  const digits = currencyDigits(currency);
  return new Intl.NumberFormat(locale, { useGrouping: false, minimumFractionDigits: minor % 10 ** digits === 0 ? 0 : digits, maximumFractionDigits: digits }).format(minor / 10 ** digits);
}

/** A decimal number typed with a comma or a point, as an integer scaled by 10^digits; undefined if it is not one. */
export function parseFixed(text: string, digits: number): number | undefined {
  const m = /^(\d{1,9})(?:[.,](\d+))?$/.exec(text.trim());
  if (!m || (m[2] ?? '').length > digits) return undefined;
  return Number(m[1]) * 10 ** digits + Number((m[2] ?? '').padEnd(digits, '0') || '0');
}

const percentText = (bp: number, locale: string) => new Intl.NumberFormat(locale, { useGrouping: false, maximumFractionDigits: 2 }).format(bp / 100);

export function toDraft(v: Settings, currency: string, locale: string): SettingsDraft {
  const money = (n: number) => majorText(n, currency, locale);
  const limit = (role: (typeof ROLES)[number]): LimitDraft => {
    const l = v.discountLimits[role];
    return { percent: percentText(l.maxPercentBp, locale), amount: l.maxAmount === null ? '' : money(l.maxAmount) };
  };
  return {
    storeName: v.storeName,
    receiptHeader: v.receiptHeader.join('\n'),
    receiptFooter: v.receiptFooter.join('\n'),
    cashDenominations: v.cashDenominations.map(money).join(' '),
    roundingMode: v.cashRounding.mode,
    roundingStep: v.cashRounding.mode === 'nearest' ? money(v.cashRounding.step) : '',
    taxRates: v.taxRates.map((r) => ({ percent: percentText(r.rateBp, locale), label: r.label })),
    discountLimits: { supervisor: limit('supervisor'), cashier: limit('cashier'), stockClerk: limit('stockClerk') },
    overShortThreshold: money(v.overShortThreshold),
    scaleNomenclature: v.scaleNomenclature.map((p) => ({ ...p })),
    maxKeyGapMs: String(v.scannerTiming.maxKeyGapMs),
    minLength: String(v.scannerTiming.minLength),
    mergeRepeatScans: v.mergeRepeatScans,
    idleTimeoutMinutes: String(v.idleTimeoutMinutes),
    fiscalTicket: v.fiscalSeries.ticket,
    fiscalCreditNote: v.fiscalSeries.creditNote,
    stockBlockOffline: v.stockBlockOffline,
  };
}

const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean);

/**
 * The settings a draft says, or the fields it could not read. The node validates the rest (order of
 * denominations, repeated rates, lengths…) and names the field in its answer.
 */
export function fromDraft(d: SettingsDraft, currency: string): { settings: Settings; issues: DraftIssues } {
  const issues: DraftIssues = {};
  const money = (name: string, text: string): number => {
    const n = parseMoney(text, currency);
    if (n === undefined) issues[name] = 'badMoney';
    return n ?? 0;
  };
  const int = (name: string, text: string): number => {
    const n = parseFixed(text, 0);
    if (n === undefined) issues[name] = 'badNumber';
    return n ?? 0;
  };
  const percent = (name: string, text: string): number => {
    const n = parseFixed(text, 2);
    if (n === undefined) issues[name] = 'badNumber';
    return n ?? 0;
  };
  const limit = (role: (typeof ROLES)[number]) => ({
    maxPercentBp: percent(`discountLimits.${role}.percent`, d.discountLimits[role].percent),
    maxAmount: d.discountLimits[role].amount.trim() === '' ? null : money(`discountLimits.${role}.amount`, d.discountLimits[role].amount),
  });
  const settings: Settings = {
    storeName: d.storeName.trim(),
    receiptHeader: lines(d.receiptHeader),
    receiptFooter: lines(d.receiptFooter),
    cashDenominations: d.cashDenominations.split(/\s+/).filter(Boolean).map((s) => money('cashDenominations', s)),
    cashRounding: d.roundingMode === 'none' ? { mode: 'none' } : { mode: 'nearest', step: money('roundingStep', d.roundingStep) },
    taxRates: d.taxRates.map((r, i) => ({ rateBp: percent(`taxRates.${i}`, r.percent), label: r.label.trim() })),
    discountLimits: { supervisor: limit('supervisor'), cashier: limit('cashier'), stockClerk: limit('stockClerk') },
    overShortThreshold: money('overShortThreshold', d.overShortThreshold),
    scaleNomenclature: d.scaleNomenclature,
    scannerTiming: { maxKeyGapMs: int('maxKeyGapMs', d.maxKeyGapMs), minLength: int('minLength', d.minLength) },
    mergeRepeatScans: d.mergeRepeatScans,
    idleTimeoutMinutes: int('idleTimeoutMinutes', d.idleTimeoutMinutes),
    fiscalSeries: { ticket: d.fiscalTicket.trim(), creditNote: d.fiscalCreditNote.trim() },
    stockBlockOffline: d.stockBlockOffline,
  };
  return { settings, issues };
}

/** Only the keys whose value differs from what the store has: one audited change per key the owner touched. */
export function changedKeys(current: Settings, next: Settings): SettingsPatch {
  const out: Record<string, unknown> = {};
  for (const key of settingKeys) if (canonicalJson(current[key]) !== canonicalJson(next[key])) out[key] = next[key];
  return out as SettingsPatch;
}

/** Where the node's issue for a setting (`changes.fiscalSeries.ticket`) shows in the form (`fiscalTicket`). */
export function draftNameOf(path: string): string {
  const parts = path.replace(/^changes\./, '').split('.');
  const [key, a, b] = parts;
  switch (key) {
    case 'cashRounding':
      return 'roundingStep';
    case 'scannerTiming':
      return a === 'minLength' ? 'minLength' : 'maxKeyGapMs';
    case 'fiscalSeries':
      return a === 'creditNote' ? 'fiscalCreditNote' : 'fiscalTicket';
    case 'discountLimits':
      return a && b ? `discountLimits.${a}.${b === 'maxAmount' ? 'amount' : 'percent'}` : 'discountLimits';
    case 'taxRates':
      return a !== undefined && /^\d+$/.test(a) ? `taxRates.${a}` : 'taxRates';
    default:
      return key ?? '';
  }
}
