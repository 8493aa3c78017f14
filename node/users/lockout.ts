import { AppError } from '../../shared/errors.js';
import type { Db, ReadDb } from '../db/types.js';
import { createLogger } from '../log.js';

const log = createLogger('users');

/** Wrong PINs or passwords allowed in a row before the person is locked out. */
export const MAX_FAILURES = 5;
const LOCK_SECONDS = [30, 60, 300, 900, 3600];

/** Pure: how long the n-th lockout in a row lasts (1-based): each longer than the last, capped at an hour. */
export const lockSeconds = (lockouts: number): number => LOCK_SECONDS[Math.min(Math.max(lockouts, 1), LOCK_SECONDS.length) - 1]!;

export type FailureKind = 'signInFailed' | 'approvalRefused';

/** The 429 a locked person gets: the message says how long, `lockedUntil` (an issue) says until when, for the countdown. */
export function lockedError(until: Date, now: Date): AppError {
  const seconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
  const error = AppError.t('RateLimited', 'lockedOut', { until: until.toISOString(), seconds }, [{ path: 'lockedUntil', message: until.toISOString() }]);
  return error.retryAfter(seconds);
}

/** Refuses at once, before any hash is computed, while the person is locked out (rate limit by person, not by IP). */
export async function assertNotLocked(db: ReadDb, storeId: string, userId: string, now: Date): Promise<void> {
  const [row] = await db.query<{ locked_until: Date | null }>('SELECT locked_until FROM user_lockout WHERE store_id = $1 AND user_id = $2', [storeId, userId]);
  if (row?.locked_until && row.locked_until > now) throw lockedError(row.locked_until, now);
}

/**
 * Records a wrong PIN or password as a local security record, and locks the person out at the 5th in a row. Returns
 * the error to answer: 401 with the attempts left, or 429 with the lockout's end.
 */
export async function recordFailure(db: Db, storeId: string, userId: string, kind: FailureKind, details: Record<string, unknown>, now: Date): Promise<AppError> {
  const row = await db.write(async (tx) => {
    const [r] = await tx.query<{ failures: number; lockouts: number; locked_until: Date | null }>(
      `INSERT INTO user_lockout AS l (store_id, user_id, failures) VALUES ($1, $2, 1)
       ON CONFLICT (store_id, user_id) DO UPDATE SET failures = l.failures + 1
       RETURNING failures, lockouts, locked_until`,
      [storeId, userId],
    );
    const failures = Number(r!.failures);
    let lockedUntil: Date | null = null;
    if (failures >= MAX_FAILURES) {
      const lockouts = Number(r!.lockouts) + 1;
      lockedUntil = new Date(now.getTime() + lockSeconds(lockouts) * 1000);
      await tx.query('UPDATE user_lockout SET failures = 0, lockouts = $3, locked_until = $4 WHERE store_id = $1 AND user_id = $2', [storeId, userId, lockouts, lockedUntil]);
    }
    await tx.query(
      `INSERT INTO security_record (store_id, at, kind, user_id, details)
       SELECT $1, $2, k.kind, $3, $4::jsonb FROM unnest($5::text[]) AS k(kind)`,
      [storeId, now, userId, JSON.stringify({ ...details, failures, lockedUntil: lockedUntil?.toISOString() ?? null }), lockedUntil ? [kind, 'lockedOut'] : [kind]],
    );
    return { failures, lockedUntil };
  });
  log.warn({ userId, kind, failures: row.failures, lockedUntil: row.lockedUntil }, 'wrong PIN or password');
  return row.lockedUntil ? lockedError(row.lockedUntil, now) : AppError.t('Unauthorized', 'wrongCredential', { left: MAX_FAILURES - row.failures });
}

/** A right PIN or password clears the failures in a row and the growing lockout (one write only when there were any). */
export async function recordSuccess(db: Db, storeId: string, userId: string): Promise<void> {
  const [row] = await db.query<{ n: number }>('SELECT failures + lockouts AS n FROM user_lockout WHERE store_id = $1 AND user_id = $2', [storeId, userId]);
  if (!row || Number(row.n) === 0) return;
  await db.write((tx) => tx.query('UPDATE user_lockout SET failures = 0, lockouts = 0, locked_until = NULL WHERE store_id = $1 AND user_id = $2', [storeId, userId]));
}
