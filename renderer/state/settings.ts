import type { InputOf, SettingsView } from '../../shared/contract/index.js';
import type { AppError } from '../../shared/errors.js';
import { isAbortError, type CallOptions } from '../api/client.js';
import { toAppError } from './errors.js';
import type { Refresher, Slice } from './types.js';

/**
 * The store's counter settings (every key, defaults filled in by the node). The checkout reads scanner timing and
 * merged lines from here; the settings screen edits them. Loaded on first use and re-read on the `settings` push.
 */
export interface SettingsSlice {
  settings: SettingsView | null;
  settingsError: AppError | null;
  loadSettings(opts?: CallOptions): Promise<void>;
  updateSettings(input: InputOf<'settings.update'>, opts?: CallOptions): Promise<SettingsView>;
}

export const createSettingsSlice: Slice<SettingsSlice> = ({ client }) => (set) => ({
  settings: null,
  settingsError: null,
  async loadSettings(opts) {
    try {
      set({ settings: await client.call('settings.get', {}, opts), settingsError: null });
    } catch (e) {
      if (!isAbortError(e)) set({ settingsError: toAppError(e) });
    }
  },
  async updateSettings(input, opts) {
    const settings = await client.call('settings.update', input, opts);
    set({ settings, settingsError: null });
    return settings;
  },
});

export const refreshSettings: Refresher = {
  topic: 'settings',
  run: (state) => {
    if (state.settings) void state.loadSettings();
  },
};
