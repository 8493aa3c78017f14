import { AppError } from '../../shared/errors.js';
import type { CallContext, Handlers } from '../handlers.js';
import type { CommandHandler, CommandRunner, Decision } from '../journal/command.js';
import type { Identity } from '../runtime/identity.js';
import type { ReadDb } from '../db/types.js';
import { decideCreate, decidePrice, decideUpdate } from './products.decide.js';
import { toProduct } from './products.model.js';
import { productsProjection } from './products.projection.js';
import { barcodeOwners, findByBarcode, getProduct, listProducts } from './products.queries.js';

type Read = Parameters<Decision<unknown>['result']>[0];

const productAfter = (id: string) => async (read: Read) => {
  const row = await read(productsProjection, id);
  if (!row) throw new AppError('Internal', 'the product vanished while it was being saved');
  return toProduct(row);
};

const create: CommandHandler<'products.create'> = async (ctx, input) => {
  const id = ctx.newKey(productsProjection);
  const owners = await barcodeOwners(ctx.db, ctx.identity.storeId, input.barcodes);
  const fields = { sku: null, cost: null, category: null, minStock: null, ...input };
  return { events: decideCreate(id, fields, ctx.identity.currency, owners), result: productAfter(id) };
};

const update: CommandHandler<'products.update'> = async (ctx, input) => {
  const current = await ctx.get(productsProjection, input.id);
  const owners = await barcodeOwners(ctx.db, ctx.identity.storeId, input.patch.barcodes ?? []);
  return { events: decideUpdate(current, input.id, input.patch, owners), result: productAfter(input.id) };
};

const changePrice: CommandHandler<'products.changePrice'> = async (ctx, input) => {
  const current = await ctx.get(productsProjection, input.id);
  return { events: decidePrice(current, input.id, input.price, input.reason), result: productAfter(input.id) };
};

type ProductHandlers = Pick<Handlers, 'products.list' | 'products.get' | 'products.findByBarcode' | 'products.create' | 'products.update' | 'products.changePrice'>;

export function productHandlers(db: ReadDb, identity: Identity, commands: CommandRunner): ProductHandlers {
  const { storeId } = identity;
  const call = (ctx: CallContext) => ({ commandId: ctx.commandId!, actorId: ctx.principal.actorId, role: ctx.principal.role });
  return {
    'products.list': (input) => listProducts(db, storeId, input),
    'products.get': (input) => getProduct(db, storeId, input.id),
    'products.findByBarcode': (input) => findByBarcode(db, storeId, input.barcode),
    'products.create': (input, ctx) => commands.run('products.create', create, input, call(ctx)),
    'products.update': (input, ctx) => commands.run('products.update', update, input, call(ctx)),
    'products.changePrice': (input, ctx) => commands.run('products.changePrice', changePrice, input, call(ctx)),
  };
}
