import { settingsDomain } from '../../shared/domains/settings.js';
import type { SettingKey, Settings } from '../../shared/settings.js';
import type { ReadDb } from '../db/types.js';
import { defineNodeDomain } from '../domain.js';
import type { CommandContext } from '../journal/command.js';
import { settingsHandlers } from './settings.handlers.js';
import { readSettings } from './settings.model.js';
import { settingRows, settingsProjection } from './settings.projection.js';

export { readSetting, readSettings, type SettingRow } from './settings.model.js';
export { settingsProjection } from './settings.projection.js';

/** The counter's settings as the node runs them: one row per changed key, defaults for the rest. */
export const settingsNode = defineNodeDomain({
  shared: settingsDomain,
  handlers: settingsHandlers,
  projections: [settingsProjection],
  services: [],
});

/**
 * HOW ANOTHER DOMAIN READS SETTINGS INSIDE A COMMAND (sales, cash): call this from the command handler, with the
 * keys it needs. It reads them through the command's own transaction (`ctx.getMany(settingsProjection, keys)`: one
 * statement, rows locked for the command, so a concurrent settings change lands before or after the sale, never
 * half-way) and fills in defaults for the store's currency:
 *
 *   const { cashRounding, discountLimits } = await commandSettings(ctx, ['cashRounding', 'discountLimits']);
 *
 * Import it from 'node/settings/index.js' (a domain may import this module; never the handlers). For one key,
 * `readSetting(await ctx.get(settingsProjection, key), key, ctx.store.currency)` is the same thing.
 * Pure rules that take settings as data use the helpers of shared/settings.ts (`roundCash`, `discountLimitOf`).
 */
export async function commandSettings<K extends SettingKey>(ctx: CommandContext, keys: readonly K[]): Promise<Pick<Settings, K>> {
  const rows = await ctx.getMany(settingsProjection, keys);
  return readSettings(rows.values(), ctx.store.currency);
}

/** Every setting, for a query (no transaction, no lock). */
export async function querySettings(db: ReadDb, storeId: string, currency: string): Promise<Settings> {
  return readSettings(await settingRows(db, storeId), currency);
}
