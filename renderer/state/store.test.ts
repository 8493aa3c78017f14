import { describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../api/client.js';
import { fakeFetch, json, product, status } from '../test/fixtures.js';
import { createApiClient } from '../api/client.js';
import { applyPush, createAppStore } from './store.js';

function memoryStorage() {
  const data = new Map<string, string>();
  return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v) };
}

function storeWith(reply: Parameters<typeof fakeFetch>[0], storage = memoryStorage()) {
  const f = fakeFetch(reply);
  let store: ReturnType<typeof createAppStore> | undefined;
  const client: ApiClient = createApiClient({ apiBase: '', fetch: f.fetch, onUnauthorized: () => store?.getState().signedOut() });
  store = createAppStore({ client, storage, now: () => 1_000 });
  return { store, sent: f.sent };
}

const list = (...items: ReturnType<typeof product>[]) => json(200, { result: { items, next: null } });

describe('app store', () => {
  it('becomes ready on the first status and stores when it arrived', async () => {
    const { store } = storeWith(() => json(200, { result: status }));
    expect(store.getState().session).toBe('starting');
    await store.getState().loadStatus();
    expect(store.getState()).toMatchObject({ session: 'ready', status, statusAt: 1_000 });
  });

  it('shows sign-in after a 401', async () => {
    const { store } = storeWith(() => json(401, { error: { code: 'Unauthorized', message: 'no session' } }));
    await store.getState().loadStatus();
    expect(store.getState().session).toBe('signedOut');
  });

  it('re-reads products on a products push, only once they are shown', async () => {
    const a = product({ name: 'Arroz' });
    const b = product({ name: 'Azúcar' });
    const { store, sent } = storeWith((_, n) => (n === 1 ? list(a) : list(a, b)));
    applyPush(store, { type: 'changed', topics: ['products'] });
    expect(sent).toHaveLength(0);
    await store.getState().loadProducts();
    applyPush(store, { type: 'changed', topics: [] });
    expect(sent).toHaveLength(1);
    applyPush(store, { type: 'changed', topics: ['products'] });
    await vi.waitFor(() => expect(store.getState().products).toEqual([a, b]));
  });

  it('applies status pushes', () => {
    const { store } = storeWith(() => json(500, {}));
    applyPush(store, { type: 'status', status: { ...status, uptimeSeconds: 99 } });
    expect(store.getState().status?.uptimeSeconds).toBe(99);
  });

  it('lets only the newest search land', async () => {
    const old = product({ name: 'Old' });
    const fresh = product({ name: 'Fresh' });
    let answerFirst: (r: Response) => void = () => undefined;
    const f = fakeFetch((_, n) => (n === 2 ? list(fresh) : 'hang'));
    const slowFirst: typeof fetch = async (url, init) => {
      if (f.sent.length === 0) {
        void f.fetch(url, init).catch(() => undefined);
        return new Promise<Response>((resolve) => (answerFirst = resolve));
      }
      return f.fetch(url, init);
    };
    const store = createAppStore({ client: createApiClient({ apiBase: '', fetch: slowFirst }) });
    const first = store.getState().searchProducts('o');
    await store.getState().searchProducts('fr');
    answerFirst(list(old));
    await first;
    expect(store.getState().products).toEqual([fresh]);
    expect(store.getState().productSearch).toBe('fr');
    expect(f.sent[1]?.body.input).toEqual({ limit: 100, search: 'fr' });
  });

  it('shows a created product at once, sorted by name', async () => {
    const created = product({ name: 'Arroz' });
    const { store } = storeWith((_, n) => (n === 1 ? list(product({ name: 'Zapallo' })) : json(200, { result: created })));
    await store.getState().loadProducts();
    await store.getState().createProduct({ name: 'Arroz', price: 1 });
    expect(store.getState().products.map((p) => p.name)).toEqual(['Arroz', 'Zapallo']);
  });

  it('keeps list errors readable', async () => {
    const { store } = storeWith(() => new TypeError('down'));
    await store.getState().loadProducts();
    expect(store.getState().productsError?.code).toBe('Unavailable');
    expect(store.getState().productsLoading).toBe(false);
  });

  it('persists the language', () => {
    const storage = memoryStorage();
    const { store } = storeWith(() => json(500, {}), storage);
    expect(store.getState().lang).toBe('es');
    store.getState().setLang('en');
    expect(storeWith(() => json(500, {}), storage).store.getState().lang).toBe('en');
  });
});
