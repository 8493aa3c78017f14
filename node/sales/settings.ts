import { discountLimitOf, type DiscountLimit, type Settings } from '../../shared/settings.js';
import type { ReadDb } from '../db/types.js';
import type { StoreScope } from '../handlers.js';
import type { CommandContext } from '../journal/command.js';
import { commandSettings, querySettings } from '../settings/index.js';

/** What the counter's sales read from the store's settings (the settings domain, node/settings). */
export interface CounterSettings {
  storeName: string;
  header: string[];
  footer: string[];
  /** Cash is rounded to the nearest multiple of this (minor units); 0: no cash rounding. */
  cashStep: number;
  /** Largest discount a role gives without approval; null: no limit (the owner). */
  discountLimit: (role: string) => DiscountLimit | null;
  series: { ticket: string; creditNote: string };
  /** Offline, a tracked product at zero or below is refused (seed 002 D5) rather than only warned about. */
  stockBlockOffline: boolean;
  /** How many numbers a standalone node grants itself at a time. */
  rangeSize: number;
  /** Where the counter's goods leave from. */
  location: string;
}

const KEYS = ['storeName', 'receiptHeader', 'receiptFooter', 'cashRounding', 'discountLimits', 'fiscalSeries', 'stockBlockOffline'] as const;

function counterOf(s: Pick<Settings, (typeof KEYS)[number]>): CounterSettings {
  return {
    storeName: s.storeName,
    header: s.receiptHeader,
    footer: s.receiptFooter,
    cashStep: s.cashRounding.mode === 'nearest' ? s.cashRounding.step : 0,
    discountLimit: (role) => discountLimitOf(s, role),
    series: s.fiscalSeries,
    stockBlockOffline: s.stockBlockOffline,
    rangeSize: 1000,
    location: 'store',
  };
}

/** Inside a sale, void or refund: read (and lock) through the command's transaction, one statement. */
export const commandCounterSettings = async (ctx: CommandContext): Promise<CounterSettings> => counterOf(await commandSettings(ctx, KEYS));

/** For queries (receipts): no transaction. */
export const queryCounterSettings = async (db: ReadDb, store: StoreScope): Promise<CounterSettings> => counterOf(await querySettings(db, store.storeId, store.currency));
