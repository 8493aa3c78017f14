import type { StateCreator } from 'zustand';
import type { Topic } from '../../shared/domains/index.js';
import type { ApiClient } from '../api/client.js';
import type { CheckoutSlice } from './checkout.js';
import type { FederationSlice } from './federation.js';
import type { TillSlice } from './till.js';
import type { LocaleSlice } from './locale.js';
import type { PeopleSlice } from './people.js';
import type { ProductsSlice } from './products.js';
import type { SessionSlice } from './session.js';
import type { SettingsSlice } from './settings.js';
import type { StatusSlice } from './status.js';

export type AppState = SessionSlice & StatusSlice & ProductsSlice & LocaleSlice & SettingsSlice & CheckoutSlice & FederationSlice & PeopleSlice & TillSlice;

/** What slices need from the outside world; tests pass fakes. */
export interface StoreDeps {
  client: ApiClient;
  storage?: Pick<Storage, 'getItem' | 'setItem'> | undefined;
  now?: () => number;
  /** Where the signed-in person's token is kept for this tab (sessionStorage in the app; memory in tests). */
  personToken?: TokenHolder;
}

export interface TokenHolder {
  get(): string | null;
  set(token: string | null): void;
}

export type Slice<T> = (deps: StoreDeps) => StateCreator<AppState, [], [], T>;

/** A slice's answer to a push topic: re-read what it shows (and nothing when it shows nothing). */
export interface Refresher {
  topic: Topic;
  run(state: AppState): void;
}
