import type { StaffRole } from '../../shared/contract/index.js';
import type { ReadDb } from '../db/types.js';
import type { StoreScope } from '../handlers.js';

/** What the counter's sales read from the store's settings. */
export interface CounterSettings {
  storeName: string;
  header: string[];
  footer: string[];
  /** Cash is rounded to a multiple of this (minor units); 0 or 1: no cash rounding. */
  cashStep: number;
  /** Largest discount a role gives without approval, in basis points of what it is taken off. */
  discountLimitBp: Record<StaffRole, number>;
  series: { ticket: string; creditNote: string };
  /** How many numbers a standalone node grants itself at a time. */
  rangeSize: number;
  /** Where the counter's goods leave from. */
  location: string;
}

export const DEFAULT_COUNTER_SETTINGS: CounterSettings = {
  storeName: 'Mostrador',
  header: [],
  footer: ['Gracias por su compra'],
  cashStep: 0,
  discountLimitBp: { owner: 10_000, supervisor: 10_000, cashier: 1_000, stockClerk: 0 },
  series: { ticket: 'T-0001', creditNote: 'NC-0001' },
  rangeSize: 1000,
  location: 'store',
};

/**
 * The counter's settings for a store. The settings domain (h-pure) replaces these defaults with the store's own;
 * until then every store sells with them.
 */
export async function counterSettings(_db: ReadDb, _store: StoreScope): Promise<CounterSettings> {
  return DEFAULT_COUNTER_SETTINGS;
}
