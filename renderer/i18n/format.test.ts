import { describe, expect, it } from 'vitest';
import { en, es } from './messages.js';
import { formatAgo, formatBytes, formatDateTime, formatDuration, formatMoney, formatWhen } from './format.js';
import { localeFor, translator } from './translate.js';

describe('i18n', () => {
  it('has the same keys in every language', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(es).sort());
  });

  it('fills placeholders', () => {
    expect(translator('en')('price.title', { name: 'Yerba' })).toBe('Change price: Yerba');
    expect(translator('es')('nav.products')).toBe('Productos');
  });

  it('picks the person’s region when it matches the language', () => {
    expect(localeFor('es', ['es-MX', 'en-US'])).toBe('es-MX');
    expect(localeFor('es', ['en-US'])).toBe('es-AR');
    expect(localeFor('en', ['es-AR', 'en-GB'])).toBe('en-GB');
  });

  it('formats sizes, durations, money and dates', () => {
    const t = translator('es');
    expect(formatBytes(512, 'en-US')).toBe('512 B');
    expect(formatBytes(5_242_880, 'es-AR')).toBe('5 MB');
    expect(formatBytes(1_572_864, 'es-AR')).toBe('1,5 MB');
    expect(formatDuration(59, t)).toBe('00:00:59');
    expect(formatDuration(90_061, t)).toBe('1 d 01:01:01');
    expect(formatMoney({ amount: 123_450, currency: 'ARS' }, 'es-AR')).toMatch(/1\.234,50/);
    expect(formatDateTime('not a date', 'es-AR')).toBe('not a date');
  });

  it('says when in words: today, yesterday, or the date', () => {
    const now = new Date(2025, 5, 10, 18, 0).getTime();
    const es = translator('es');
    expect(formatWhen(new Date(2025, 5, 10, 9, 5).toISOString(), 'es-AR', es, now)).toBe('hoy a las 09:05');
    expect(formatWhen(new Date(2025, 5, 9, 23, 0).toISOString(), 'es-AR', es, now)).toBe('ayer a las 23:00');
    expect(formatWhen(new Date(2025, 5, 1, 8, 0).toISOString(), 'en-US', translator('en'), now)).toBe('on 6/1/25 at 8:00 AM');
  });

  it('says how long ago: just now, minutes, hours, then the moment', () => {
    const now = new Date(2025, 5, 10, 18, 0).getTime();
    const es = translator('es');
    const ago = (ms: number) => formatAgo(new Date(now - ms).toISOString(), 'es-AR', es, now);
    expect(ago(20_000)).toBe('hace un momento');
    expect(ago(2 * 60_000 + 5_000)).toBe('hace 2 min');
    expect(ago(3 * 3_600_000 + 59 * 60_000)).toBe('hace 3 h');
    expect(ago(30 * 3_600_000)).toBe('ayer a las 12:00');
    // A clock a little ahead of ours is not "in the future".
    expect(ago(-5_000)).toBe('hace un momento');
  });
});
