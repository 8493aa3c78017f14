import type { SettingsView } from '../../shared/contract/settings.js';
import type { EventOf } from '../../shared/events.js';
import { defaultSettings, isSettingKey, parseSetting, settingKeys, type SettingKey, type Settings } from '../../shared/settings.js';

/** A row of the settings read model: one key's value, and the clock of the change that set it. */
export interface SettingRow {
  key: string;
  value: unknown;
  hlc: string;
  updatedAt: string;
  updatedBy: string;
}

/**
 * Pure: a key's row after a change. Last-writer-wins by hybrid logical clock (R8), so changes of one key made on
 * several terminals converge whatever order they arrive in; different keys never overwrite each other.
 */
export function applySettingChanged(row: SettingRow | undefined, event: EventOf<'SettingChanged'>, key: string): SettingRow | undefined {
  if (row && row.hlc >= event.hlc) return row;
  return { key, value: event.payload.value, hlc: event.hlc, updatedAt: event.created_at, updatedBy: event.actor_id };
}

/**
 * Every setting from the rows that exist (any order, any subset): a key without a row, or whose stored value this
 * build cannot read, has the store's default. This is what the sales and cash rules see.
 */
export function readSettings(rows: Iterable<SettingRow | undefined>, currency: string): Settings {
  const out: Record<string, unknown> = { ...defaultSettings(currency) };
  for (const row of rows) {
    if (!row || !isSettingKey(row.key)) continue;
    const value = parseSetting(row.key, row.value);
    if (value !== undefined) out[row.key] = value;
  }
  return out as Settings;
}

/** One setting from its row (or its default). */
export function readSetting<K extends SettingKey>(row: SettingRow | undefined, key: K, currency: string): Settings[K] {
  const value = row ? parseSetting(key, row.value) : undefined;
  return value ?? defaultSettings(currency)[key];
}

/** The API's view: every value, and who changed each key last. */
export function toView(rows: Iterable<SettingRow | undefined>, currency: string): SettingsView {
  const list = [...rows].filter((r): r is SettingRow => r !== undefined);
  const byKey = new Map(list.map((r) => [r.key, r]));
  const changed = Object.fromEntries(
    settingKeys.map((k) => {
      const row = byKey.get(k);
      return [k, row ? { updatedAt: row.updatedAt, updatedBy: row.updatedBy } : null];
    }),
  );
  return { values: readSettings(list, currency), changed } as SettingsView;
}
