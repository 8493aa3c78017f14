import { parse, validate } from 'node-cron';

const MINUTE = 60_000;
/** How far back a missed run is looked for: longer than any schedule we use (nightly, weekly). */
const LOOK_BACK_MINUTES = 35 * 24 * 60;

export const validSchedule = (expression: string): boolean => validate(expression);

/**
 * The latest minute at or before `now` that the schedule names, in the node's local time as node-cron runs it, or
 * undefined when none in the last five weeks. node-cron says what matches, not what came before, so this walks back
 * minute by minute over the parsed fields (node-cron's own `match` costs ~80 µs a call: 4 s for five weeks).
 * Every field must match, as node-cron's matcher does (day of month and day of week both).
 */
export function lastScheduledAt(expression: string, now: Date): Date | undefined {
  const f = parse(expression);
  const sets = {
    minute: new Set(f.minute),
    hour: new Set(f.hour),
    dayOfMonth: new Set(f.dayOfMonth.map(Number)),
    month: new Set(f.month),
    dayOfWeek: new Set(f.dayOfWeek.map(Number)),
  };
  let t = Math.floor(now.getTime() / MINUTE) * MINUTE;
  for (let i = 0; i <= LOOK_BACK_MINUTES; i++, t -= MINUTE) {
    const d = new Date(t);
    if (
      sets.minute.has(d.getMinutes()) &&
      sets.hour.has(d.getHours()) &&
      sets.dayOfMonth.has(d.getDate()) &&
      sets.month.has(d.getMonth() + 1) &&
      sets.dayOfWeek.has(d.getDay())
    ) {
      return d;
    }
  }
  return undefined;
}

/**
 * A run was missed when the schedule named a time after the last successful run's start and at or before now (the
 * till was switched off at night). Never run before: missed too, so a new install gets its first run at start.
 */
export function missedSince(expression: string, lastSuccess: Date | undefined, now: Date): boolean {
  if (lastSuccess === undefined) return true;
  const due = lastScheduledAt(expression, now);
  return due !== undefined && lastSuccess.getTime() < due.getTime();
}
