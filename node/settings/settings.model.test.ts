import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventOf } from '../../shared/events.js';
import { defaultSettings } from '../../shared/settings.js';
import { decideSettings } from './settings.decide.js';
import { applySettingChanged, readSettings, toView, type SettingRow } from './settings.model.js';

const change = (hlc: string, value: number, actor = 'owner'): EventOf<'SettingChanged'> =>
  ({
    event_id: `e-${hlc}`,
    type: 'SettingChanged',
    version: 1,
    hlc,
    created_at: '2026-01-01T00:00:00.000Z',
    actor_id: actor,
    payload: { key: 'idleTimeoutMinutes', value, previous: 15 },
  }) as unknown as EventOf<'SettingChanged'>;

const fold = (events: EventOf<'SettingChanged'>[]) =>
  events.reduce<SettingRow | undefined>((row, e) => applySettingChanged(row, e, 'idleTimeoutMinutes'), undefined);

describe('settings read model', () => {
  it('is last-writer-wins by HLC: any arrival order gives the change with the latest clock', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 10_000 }), { minLength: 1, maxLength: 12 }).chain((clocks) =>
          fc.tuple(fc.constant(clocks), fc.shuffledSubarray(clocks, { minLength: clocks.length, maxLength: clocks.length })),
        ),
        ([clocks, order]) => {
          const hlc = (n: number) => String(n).padStart(8, '0');
          const row = fold(order.map((n) => change(hlc(n), n)));
          const latest = Math.max(...clocks);
          expect(row?.value).toBe(latest);
          expect(row?.hlc).toBe(hlc(latest));
        },
      ),
    );
  });

  it('reads defaults for keys without a row, and for a stored value this build cannot read', () => {
    const rows: SettingRow[] = [
      { key: 'storeName', value: 'Almacén Don José', hlc: '1', updatedAt: 'x', updatedBy: 'o' },
      { key: 'idleTimeoutMinutes', value: 'not a number', hlc: '1', updatedAt: 'x', updatedBy: 'o' },
      { key: 'someFutureKey', value: 1, hlc: '1', updatedAt: 'x', updatedBy: 'o' },
    ];
    const settings = readSettings(rows, 'CLP');
    expect(settings.storeName).toBe('Almacén Don José');
    expect(settings.idleTimeoutMinutes).toBe(15);
    expect(settings.cashRounding).toEqual({ mode: 'nearest', step: 10 });
    expect(settings.cashDenominations[0]).toBe(20_000);
    const view = toView(rows, 'CLP');
    expect(view.changed.storeName).toEqual({ updatedAt: 'x', updatedBy: 'o' });
    expect(view.changed.taxRates).toBeNull();
  });

  it('decides one event per key whose value changes, with the previous value (the default when never set)', () => {
    const rows = new Map<string, SettingRow | undefined>([
      ['storeName', { key: 'storeName', value: 'Kiosco', hlc: '1', updatedAt: 'x', updatedBy: 'o' }],
    ]);
    const events = decideSettings(rows, { storeName: 'Kiosco', mergeRepeatScans: false, idleTimeoutMinutes: 15 }, 'ARS');
    expect(events).toEqual([{ type: 'SettingChanged', payload: { key: 'mergeRepeatScans', value: false, previous: true } }]);
    const renamed = decideSettings(rows, { storeName: 'Kiosco Sur' }, 'ARS');
    expect(renamed).toEqual([{ type: 'SettingChanged', payload: { key: 'storeName', value: 'Kiosco Sur', previous: 'Kiosco' } }]);
  });

  it('has a default for every key that its own schema accepts, in every currency', () => {
    for (const currency of ['ARS', 'MXN', 'CLP', 'USD', 'EUR', 'PEN', 'UYU', 'COP', 'XXX']) {
      const defaults = defaultSettings(currency);
      expect(readSettings(Object.entries(defaults).map(([key, value]) => ({ key, value, hlc: '1', updatedAt: 'x', updatedBy: 'o' })), currency)).toEqual(defaults);
    }
  });
});
