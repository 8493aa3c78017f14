import { salesMethods } from '../contract/sales.js';
import { counterEvents } from './counter.events.js';
import { defineSharedDomain } from './define.js';

const { SaleCreated, SaleVoided, SaleRefunded, FiscalRangeGranted } = counterEvents;

/** The counter's sales, with the stock and fiscal read models they drive. */
export const salesDomain = defineSharedDomain({
  name: 'sales',
  methods: salesMethods,
  events: { SaleCreated, SaleVoided, SaleRefunded, FiscalRangeGranted },
  topics: ['sales', 'stock', 'fiscal'],
});
