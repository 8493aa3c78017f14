import type { settingsDomain } from '../../shared/domains/settings.js';
import { settingKeys } from '../../shared/settings.js';
import type { DomainHandlers } from '../domain.js';
import { decideSettings } from './settings.decide.js';
import { toView } from './settings.model.js';
import { settingRows, settingsProjection } from './settings.projection.js';

/** The settings' API: every key with its default; changes by the owner, one event per changed key. */
export const settingsHandlers: DomainHandlers<typeof settingsDomain> = {
  'settings.get': async (_input, ctx) => toView(await settingRows(ctx.db, ctx.store.storeId), ctx.store.currency),

  async 'settings.update'(ctx, input) {
    const { currency } = ctx.store;
    // Every key in one statement: the decision compares with them, and the answer reads them again from the same state.
    const rows = await ctx.getMany(settingsProjection, settingKeys);
    return {
      events: decideSettings(rows, input.changes, currency),
      result: async (read) => toView(await Promise.all(settingKeys.map((k) => read(settingsProjection, k))), currency),
    };
  },
};
