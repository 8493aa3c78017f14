import type { ProductPatch } from '../../shared/contract/index.js';
import { AppError, fieldIssue } from '../../shared/errors.js';
import type { EventDraft, PayloadOf } from '../../shared/events.js';
import type { ProductRow } from './products.model.js';

/** Pure business rules of the catalog: state and command in, events out. */

export type NewProduct = Omit<PayloadOf<'ProductCreated'>, 'productId' | 'currency'>;

/** Another live product already using one of these barcodes, by barcode. */
export type BarcodeOwners = ReadonlyMap<string, { id: string; name: string }>;

function checkBarcodes(barcodes: readonly string[], owners: BarcodeOwners, self?: string): void {
  if (new Set(barcodes).size !== barcodes.length) {
    throw AppError.t('ValidationError', 'barcodeTwice', undefined, [fieldIssue('barcodes', 'barcodeTwice')]);
  }
  for (const code of barcodes) {
    const owner = owners.get(code);
    if (owner && owner.id !== self) {
      throw AppError.t('Conflict', 'barcodeTaken', { barcode: code, owner: owner.name });
    }
  }
}

export function decideCreate(id: string, input: NewProduct, currency: string, owners: BarcodeOwners): EventDraft[] {
  checkBarcodes(input.barcodes, owners);
  return [{ type: 'ProductCreated', payload: { productId: id, currency, ...input } }];
}

/** A product this node knows only from updates (its creation has not arrived) cannot be edited here yet. */
const known = (product: ProductRow | undefined): product is ProductRow => product !== undefined && product.createdAt !== null;

export function decideUpdate(product: ProductRow | undefined, id: string, patch: ProductPatch, owners: BarcodeOwners): EventDraft[] {
  if (!known(product)) throw AppError.t('NotFound', 'productNotFound');
  if (patch.barcodes) checkBarcodes(patch.barcodes, owners, id);
  const changes = Object.fromEntries(
    Object.entries(patch).filter(([field, value]) => value !== undefined && JSON.stringify(value) !== JSON.stringify(product[field as keyof ProductRow])),
  );
  if (Object.keys(changes).length === 0) return [];
  const basis = Object.fromEntries(Object.keys(changes).flatMap((field) => (product.fieldHlc[field] ? [[field, product.fieldHlc[field]]] : [])));
  return [{ type: 'ProductUpdated', payload: { productId: id, changes, basis } }];
}

export function decidePrice(product: ProductRow | undefined, id: string, price: number, reason: string | undefined): EventDraft[] {
  if (!known(product)) throw AppError.t('NotFound', 'productNotFound');
  if (product.price === price) return [];
  return [
    {
      type: 'PriceChanged',
      payload: {
        productId: id,
        price,
        previousPrice: product.price,
        currency: product.currency,
        reason: reason?.trim() || null,
        basis: product.fieldHlc.price ?? null,
      },
    },
  ];
}
