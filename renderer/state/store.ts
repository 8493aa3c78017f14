import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PushMessage } from '../../shared/contract/index.js';
import { assertNever } from '../../shared/errors.js';
import { createLocaleSlice } from './locale.js';
import { createProductsSlice } from './products.js';
import { createSessionSlice } from './session.js';
import { createStatusSlice } from './status.js';
import type { AppState, StoreDeps } from './types.js';

export type { AppState, StoreDeps } from './types.js';
export type AppStore = StoreApi<AppState>;

export function createAppStore(deps: StoreDeps): AppStore {
  return createStore<AppState>()((...a) => ({
    ...createSessionSlice(deps)(...a),
    ...createStatusSlice(deps)(...a),
    ...createProductsSlice(deps)(...a),
    ...createLocaleSlice(deps)(...a),
  }));
}

/** Pushes only name what changed; each slice re-reads what it shows, and only if it shows something. */
export function applyPush(store: AppStore, msg: PushMessage): void {
  const state = store.getState();
  switch (msg.type) {
    case 'status':
      state.receiveStatus(msg.status);
      return;
    case 'changed':
      if (msg.topics.includes('products') && state.productsLoaded) void state.loadProducts();
      return;
    default:
      assertNever(msg, 'push message');
  }
}

/** After a gap in the connection, pushes may have been lost: re-read everything that is on screen. */
export function refreshAfterGap(store: AppStore): void {
  const state = store.getState();
  void state.loadStatus();
  if (state.productsLoaded) void state.loadProducts();
}
