import { salesDomain } from '../../shared/domains/sales.js';
import { defineNodeDomain } from '../domain.js';
import { fiscalRangesProjection } from '../fiscal/ranges.projection.js';
import { stockMovementsProjection } from '../stock/movements.projection.js';
import { salesHandlers } from './handlers.js';
import { salesProjection } from './sales.projection.js';

/** The counter's sales as the node runs them, with the stock (node/stock) and fiscal (node/fiscal) read models. */
export const salesNode = defineNodeDomain({
  shared: salesDomain,
  handlers: salesHandlers,
  projections: [salesProjection, stockMovementsProjection, fiscalRangesProjection],
  services: [],
});
