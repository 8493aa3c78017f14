import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../shared/settings.js';
import { changedKeys, fromDraft, majorText, parseFixed, toDraft } from './settingsForm.js';

describe('settings form', () => {
  it.each(['ARS', 'CLP', 'MXN', 'USD', 'EUR'])('reads back the defaults of %s unchanged', (currency) => {
    const defaults = defaultSettings(currency);
    const { settings, issues } = fromDraft(toDraft(defaults, currency, 'es-AR'), currency);
    expect(issues).toEqual({});
    expect(settings).toEqual(defaults);
    expect(changedKeys(defaults, settings)).toEqual({});
  });

  it('shows money in major units with the decimal comma, and percentages', () => {
    const draft = toDraft(defaultSettings('ARS'), 'ARS', 'es-AR');
    expect(draft.cashDenominations.split(' ').slice(0, 2)).toEqual(['20000', '10000']);
    expect(draft.taxRates[1]).toEqual({ percent: '10,5', label: 'IVA 10,5%' });
    expect(majorText(50, 'ARS', 'es-AR')).toBe('0,50');
    expect(majorText(10, 'CLP', 'es-CL')).toBe('10');
  });

  it('turns what the owner typed into settings and sends only what changed', () => {
    const current = defaultSettings('ARS');
    const draft = toDraft(current, 'ARS', 'es-AR');
    draft.storeName = ' Kiosco  ';
    draft.receiptFooter = 'Gracias\n\n  Vuelva pronto ';
    draft.roundingMode = 'nearest';
    draft.roundingStep = '0,10';
    draft.discountLimits.cashier = { percent: '5', amount: '1.000' };
    const { settings, issues } = fromDraft(draft, 'ARS');
    expect(issues).toEqual({});
    expect(changedKeys(current, settings)).toEqual({
      storeName: 'Kiosco',
      receiptFooter: ['Gracias', 'Vuelva pronto'],
      cashRounding: { mode: 'nearest', step: 10 },
      discountLimits: { ...current.discountLimits, cashier: { maxPercentBp: 500, maxAmount: 100_000 } },
    });
  });

  it('names the fields it cannot read', () => {
    const draft = toDraft(defaultSettings('ARS'), 'ARS', 'es-AR');
    draft.idleTimeoutMinutes = 'diez';
    draft.overShortThreshold = '-5';
    draft.taxRates[0]!.percent = '21,555';
    expect(fromDraft(draft, 'ARS').issues).toEqual({ idleTimeoutMinutes: 'badNumber', overShortThreshold: 'badMoney', 'taxRates.0': 'badNumber' });
  });

  it('parses fixed decimals with a comma or a point', () => {
    expect(parseFixed('10,5', 2)).toBe(1050);
    expect(parseFixed('21', 2)).toBe(2100);
    expect(parseFixed('0.25', 2)).toBe(25);
    expect(parseFixed('1,234', 2)).toBeUndefined();
    expect(parseFixed('', 0)).toBeUndefined();
  });
});
