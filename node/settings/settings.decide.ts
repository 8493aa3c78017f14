import { canonicalJson } from '../../shared/canonical.js';
import type { EventDraft } from '../../shared/events.js';
import { settingKeys, type SettingsPatch } from '../../shared/settings.js';
import { readSetting, type SettingRow } from './settings.model.js';

/**
 * Pure: the events of a settings change. One SettingChanged per key whose value differs from what the store has now
 * (its default when never set), carrying that previous value for the audit log; a change to the same value is none.
 */
export function decideSettings(rows: ReadonlyMap<string, SettingRow | undefined>, changes: SettingsPatch, currency: string): EventDraft[] {
  const events: EventDraft[] = [];
  for (const key of settingKeys) {
    const value = changes[key];
    if (value === undefined) continue;
    const previous = readSetting(rows.get(key), key, currency);
    if (canonicalJson(previous) === canonicalJson(value)) continue;
    events.push({ type: 'SettingChanged', payload: { key, value, previous } } as EventDraft);
  }
  return events;
}
