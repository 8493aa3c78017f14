import type { InputOf, Product } from '../../shared/contract/index.js';
import type { AppError } from '../../shared/errors.js';
import { isAbortError, type CallOptions } from '../api/client.js';
import { toAppError } from './errors.js';
import type { Refresher, Slice } from './types.js';

const PAGE = 100;
const MAX_PAGE = 500;

export interface ProductsSlice {
  products: Product[];
  productsNext: string | null;
  productSearch: string;
  productsLoading: boolean;
  productsLoaded: boolean;
  productsError: AppError | null;
  /** Reloads what is on screen: the first page, or as many rows as are shown after "load more". */
  loadProducts(): Promise<void>;
  loadMoreProducts(): Promise<void>;
  searchProducts(text: string): Promise<void>;
  createProduct(input: InputOf<'products.create'>, opts?: CallOptions): Promise<Product>;
  updateProduct(input: InputOf<'products.update'>, opts?: CallOptions): Promise<Product>;
  changePrice(input: InputOf<'products.changePrice'>, opts?: CallOptions): Promise<Product>;
}

const byName = (a: Product, b: Product) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id);

export const createProductsSlice: Slice<ProductsSlice> = ({ client }) => (set, get) => {
  // Only the newest list request may land: a slow answer to an older search must not overwrite a newer one.
  let inFlight: AbortController | undefined;

  async function fetchList(after: string | undefined, limit: number): Promise<void> {
    inFlight?.abort();
    const controller = new AbortController();
    inFlight = controller;
    set({ productsLoading: true });
    const search = get().productSearch.trim();
    try {
      const page = await client.call(
        'products.list',
        { limit, ...(search ? { search } : {}), ...(after ? { after } : {}) },
        { signal: controller.signal },
      );
      // An answer can already be on its way when a newer request cancels this one.
      if (controller.signal.aborted) return;
      set((s) => ({
        products: after ? [...s.products, ...page.items] : page.items,
        productsNext: page.next,
        productsLoaded: true,
        productsError: null,
      }));
    } catch (e) {
      if (isAbortError(e)) return;
      set({ productsError: toAppError(e) });
    } finally {
      if (inFlight === controller) {
        inFlight = undefined;
        set({ productsLoading: false });
      }
    }
  }

  // The answer of a command is the product as stored; showing it at once spares waiting for the push.
  const upsert = (product: Product): Product => {
    set((s) => ({ products: [...s.products.filter((p) => p.id !== product.id), product].sort(byName) }));
    return product;
  };

  return {
    products: [],
    productsNext: null,
    productSearch: '',
    productsLoading: false,
    productsLoaded: false,
    productsError: null,
    loadProducts: () => fetchList(undefined, Math.min(MAX_PAGE, Math.max(PAGE, get().products.length))),
    async loadMoreProducts() {
      const next = get().productsNext;
      if (next) await fetchList(next, PAGE);
    },
    searchProducts(text) {
      set({ productSearch: text });
      return fetchList(undefined, PAGE);
    },
    createProduct: async (input, opts) => upsert(await client.call('products.create', input, opts)),
    updateProduct: async (input, opts) => upsert(await client.call('products.update', input, opts)),
    changePrice: async (input, opts) => upsert(await client.call('products.changePrice', input, opts)),
  };
};

export const refreshProducts: Refresher = {
  topic: 'products',
  run: (state) => {
    if (state.productsLoaded) void state.loadProducts();
  },
};
