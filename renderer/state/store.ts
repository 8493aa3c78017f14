import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PushMessage } from '../../shared/contract/index.js';
import type { Topic } from '../../shared/domains/index.js';
import { assertNever } from '../../shared/errors.js';
import { createCheckoutSlice, refreshCatalog } from './checkout.js';
import { createFederationSlice } from './federation.js';
import { createTillSlice, refreshFiscal, refreshTill } from './till.js';
import { createLocaleSlice } from './locale.js';
import { createProductsSlice, refreshProducts } from './products.js';
import { createPeopleSlice, refreshPeople } from './people.js';
import { createSessionSlice } from './session.js';
import { createSettingsSlice, refreshSettings } from './settings.js';
import { createStatusSlice, refreshStatus } from './status.js';
import type { AppState, Refresher, StoreDeps } from './types.js';

export type { AppState, StoreDeps } from './types.js';
export type AppStore = StoreApi<AppState>;

/** What each slice re-reads when a push names one of its topics (and after a gap in the connection). */
const refreshers: readonly Refresher[] = [refreshStatus, refreshProducts, refreshSettings, refreshCatalog, refreshPeople, refreshTill, refreshFiscal];

export function createAppStore(deps: StoreDeps): AppStore {
  return createStore<AppState>()((...a) => ({
    ...createSessionSlice(deps)(...a),
    ...createStatusSlice(deps)(...a),
    ...createProductsSlice(deps)(...a),
    ...createLocaleSlice(deps)(...a),
    ...createSettingsSlice(deps)(...a),
    ...createCheckoutSlice(deps)(...a),
    ...createFederationSlice(deps)(...a),
    ...createTillSlice(deps)(...a),
    ...createPeopleSlice(deps)(...a),
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
      refresh(state, (topic) => msg.topics.includes(topic));
      return;
    default:
      assertNever(msg, 'push message');
  }
}

/** After a gap in the connection, pushes may have been lost: re-read everything that is on screen. */
export function refreshAfterGap(store: AppStore): void {
  refresh(store.getState(), () => true);
}

function refresh(state: AppState, wanted: (topic: Topic) => boolean): void {
  for (const refresher of refreshers) if (wanted(refresher.topic)) refresher.run(state);
}
