import { cashMethods } from '../contract/cash.js';
import { counterEvents } from './counter.events.js';
import { defineSharedDomain } from './define.js';

/** The till's events (their shapes are agreed in counter.events.ts); the sales events it totals belong to `sales`. */
export const cashEvents = {
  CashSessionOpened: counterEvents.CashSessionOpened,
  CashLedgerEntryCreated: counterEvents.CashLedgerEntryCreated,
  CashSessionClosed: counterEvents.CashSessionClosed,
};

/** The till: a session per terminal, its drawer moves, its X and its Z. */
export const cashDomain = defineSharedDomain({
  name: 'cash',
  methods: cashMethods,
  events: cashEvents,
  topics: ['cash'],
});
