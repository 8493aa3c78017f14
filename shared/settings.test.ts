import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { currenciesWithDefaults } from './settings.currency.js';
import { defaultSettings, discountLimitOf, roundCash, settingSchemas, settingsPatchSchema, type SettingKey } from './settings.js';

describe('counter settings', () => {
  it.each(currenciesWithDefaults)('the defaults of %s pass their own schemas', (currency) => {
    const defaults = defaultSettings(currency);
    for (const key of Object.keys(settingSchemas) as SettingKey[]) {
      expect(settingSchemas[key].safeParse(defaults[key]).success, key).toBe(true);
    }
    expect(settingsPatchSchema.safeParse(defaults).success).toBe(true);
  });

  it('rounds cash to the nearest step, half up (CLP to 10)', () => {
    const clp = { mode: 'nearest', step: 10 } as const;
    expect([1234, 1235, 1239, 1230, 0, 5, 4].map((n) => roundCash(n, clp))).toEqual([1230, 1240, 1240, 1230, 0, 10, 0]);
    expect(roundCash(1234, { mode: 'none' })).toBe(1234);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 2, max: 1000 }), (due, step) => {
        const paid = roundCash(due, { mode: 'nearest', step });
        expect(paid % step).toBe(0);
        expect(Math.abs(paid - due) * 2).toBeLessThanOrEqual(step);
      }),
    );
  });

  it('gives owners no discount limit and unknown roles none at all', () => {
    const settings = defaultSettings('ARS');
    expect(discountLimitOf(settings, 'owner')).toBeNull();
    expect(discountLimitOf(settings, 'cashier')).toEqual({ maxPercentBp: 1000, maxAmount: null });
    expect(discountLimitOf(settings, 'nobody')).toEqual({ maxPercentBp: 0, maxAmount: 0 });
  });

  it('gives a currency without a table one denomination and no tax', () => {
    expect(defaultSettings('XXX')).toMatchObject({ cashDenominations: [1], cashRounding: { mode: 'none' }, taxRates: [{ rateBp: 0 }] });
  });
});
