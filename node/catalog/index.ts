import { catalogDomain } from '../../shared/domains/catalog.js';
import { defineNodeDomain } from '../domain.js';
import { productHandlers } from './products.handlers.js';
import { productConflictsProjection } from './conflicts.projection.js';
import { productsProjection } from './products.projection.js';

/** The catalog as the node runs it: products, their barcodes and prices. */
export const catalogNode = defineNodeDomain({
  shared: catalogDomain,
  handlers: productHandlers,
  projections: [productsProjection, productConflictsProjection],
  services: [],
});
