import type { catalogDomain } from '../../shared/domains/catalog.js';
import { AppError } from '../../shared/errors.js';
import type { DomainHandlers } from '../domain.js';
import type { Decision } from '../journal/command.js';
import { decideCreate, decidePrice, decideUpdate } from './products.decide.js';
import { toProduct } from './products.model.js';
import { productsProjection } from './products.projection.js';
import { listConflicts } from './conflicts.queries.js';
import { barcodeOwners, findByBarcode, getProduct, listProducts } from './products.queries.js';

type Read = Parameters<Decision<unknown>['result']>[0];

const productAfter = (id: string) => async (read: Read) => {
  const row = await read(productsProjection, id);
  if (!row) throw new AppError('Internal', 'the product vanished while it was being saved');
  return toProduct(row);
};

/** The catalog's API: queries read the store of the call; commands decide events (the runner does the rest). */
export const productHandlers: DomainHandlers<typeof catalogDomain> = {
  'products.list': (input, ctx) => listProducts(ctx.db, ctx.store.storeId, input),
  'products.get': (input, ctx) => getProduct(ctx.db, ctx.store.storeId, input.id),
  'products.findByBarcode': (input, ctx) => findByBarcode(ctx.db, ctx.store.storeId, input.barcode),
  'products.conflicts': (input, ctx) => listConflicts(ctx.db, ctx.store.storeId, input),

  async 'products.create'(ctx, input) {
    const id = ctx.newKey(productsProjection);
    const owners = await barcodeOwners(ctx.db, ctx.store.storeId, input.barcodes);
    const fields = { sku: null, cost: null, category: null, minStock: null, ...input };
    return { events: decideCreate(id, fields, ctx.store.currency, owners), result: productAfter(id) };
  },

  async 'products.update'(ctx, input) {
    const current = await ctx.get(productsProjection, input.id);
    const owners = await barcodeOwners(ctx.db, ctx.store.storeId, input.patch.barcodes ?? []);
    return { events: decideUpdate(current, input.id, input.patch, owners), result: productAfter(input.id) };
  },

  async 'products.changePrice'(ctx, input) {
    const current = await ctx.get(productsProjection, input.id);
    return { events: decidePrice(current, input.id, input.price, input.reason), result: productAfter(input.id) };
  },
};
