import type { StateCreator } from 'zustand';
import type { ApiClient } from '../api/client.js';
import type { LocaleSlice } from './locale.js';
import type { ProductsSlice } from './products.js';
import type { SessionSlice } from './session.js';
import type { StatusSlice } from './status.js';

export type AppState = SessionSlice & StatusSlice & ProductsSlice & LocaleSlice;

/** What slices need from the outside world; tests pass fakes. */
export interface StoreDeps {
  client: ApiClient;
  storage?: Pick<Storage, 'getItem' | 'setItem'> | undefined;
  now?: () => number;
}

export type Slice<T> = (deps: StoreDeps) => StateCreator<AppState, [], [], T>;
