import { formatMoney } from '../../shared/money.js';
import type { Translate } from './translate.js';

export { formatMoney };

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** Binary multiples, shown with the units people read on their disks (KB, MB …). */
export function formatBytes(bytes: number, locale: string): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value)} ${UNITS[unit]}`;
}

const two = (n: number) => String(n).padStart(2, '0');

export function formatDuration(totalSeconds: number, t: Translate): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const days = Math.floor(s / 86_400);
  const clock = `${two(Math.floor((s % 86_400) / 3600))}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}`;
  return days > 0 ? `${t('duration.days', { n: days })} ${clock}` : clock;
}

export function formatDateTime(iso: string, locale: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short' }).format(date);
}

const dayOf = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();

/** A moment as people say it: "hoy a las 10:32", "ayer a las 23:00", or the date. */
export function formatWhen(iso: string, locale: string, t: Translate, now = Date.now()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  // Shops that speak Spanish read a 24-hour clock, whatever the ICU build's region data says (Node's says 9:05 a. m.).
  const clock: Intl.DateTimeFormatOptions = locale.startsWith('es') ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : { timeStyle: 'short' };
  const time = new Intl.DateTimeFormat(locale, clock).format(date);
  const days = Math.round((dayOf(new Date(now)) - dayOf(date)) / 86_400_000);
  if (days === 0) return t('when.today', { time });
  if (days === 1) return t('when.yesterday', { time });
  return t('when.on', { date: new Intl.DateTimeFormat(locale, { dateStyle: 'short' }).format(date), time });
}

/** How long ago, as a shop owner says it: "hace un momento", "hace 5 min", "hace 3 h"; a day or more ago, the moment (formatWhen). */
export function formatAgo(iso: string, locale: string, t: Translate, now = Date.now()): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  const minutes = Math.floor(Math.max(0, now - at) / 60_000);
  if (minutes < 1) return t('ago.now');
  if (minutes < 60) return t('ago.minutes', { n: minutes });
  if (minutes < 24 * 60) return t('ago.hours', { n: Math.floor(minutes / 60) });
  return formatWhen(iso, locale, t, now);
}
