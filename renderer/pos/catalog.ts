import type { Product } from '../../shared/contract/index.js';

/**
 * The renderer's barcode → product index, so a scanned line is painted without waiting for the node. Loaded once a
 * page at a time, refreshed when the `products` topic says the catalog changed; a code it does not know yet falls
 * back to `products.findByBarcode`. Scale labels carry the product's item code, which the product holds as a
 * barcode or as its SKU.
 */
export class CatalogIndex {
  #byBarcode = new Map<string, Product>();
  #bySku = new Map<string, Product>();

  get size(): number {
    return this.#byBarcode.size;
  }

  add(products: readonly Product[]): void {
    for (const p of products) {
      // The oldest product keeps a barcode that terminals gave to several (as findByBarcode answers).
      for (const code of p.barcodes) if (!this.#byBarcode.has(code)) this.#byBarcode.set(code, p);
      if (p.sku && !this.#bySku.has(p.sku)) this.#bySku.set(p.sku, p);
    }
  }

  byBarcode(code: string): Product | undefined {
    return this.#byBarcode.get(code);
  }

  /** A scale label's item code: as a barcode or SKU, with or without its leading zeros. */
  byItemCode(itemCode: string): Product | undefined {
    const bare = itemCode.replace(/^0+(?=.)/, '');
    return this.#byBarcode.get(itemCode) ?? this.#bySku.get(itemCode) ?? this.#byBarcode.get(bare) ?? this.#bySku.get(bare);
  }
}
