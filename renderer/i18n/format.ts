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
