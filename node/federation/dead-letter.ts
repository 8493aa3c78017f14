import type { Db } from '../db/types.js';
import { createLogger } from '../log.js';
import { classifyPushFailure, countAttempt, exhausted } from './attempts.js';
import type { CentralClient } from './client.js';
import { markAlerted, readLink, savePushAttempts, setDeadLetter, type DeadLetter } from './store.js';

const log = createLogger('relay');

/** The central refused one of this device's events: the relay halts on it (a dead letter), it never skips it. */
export class DeadLettered extends Error {
  constructor(
    readonly eventId: string,
    readonly reason: string,
  ) {
    super(`the central refused event ${eventId}: ${reason}`);
  }
}

/**
 * A failed push of a batch starting at `eventId` (attempts.ts): a network failure only queues; a failure the
 * central answered counts, and the tenth in a row dead-letters the event and alerts the central. Returns the error
 * the round ends with.
 */
export async function countFailure(db: Db, client: CentralClient, eventId: string, error: unknown): Promise<unknown> {
  const kind = classifyPushFailure(error);
  if (kind === 'network' || (kind === 'needs-probe' && !(await client.health()))) return error;
  const attempts = countAttempt((await readLink(db))?.pushAttempts ?? null, eventId, (error as Error).message);
  if (!exhausted(attempts)) {
    await savePushAttempts(db, attempts);
    log.warn({ eventId, attempts: attempts.count, err: attempts.lastError }, 'the central answered but failed the push');
    return error;
  }
  const reason = `the central failed the batch starting at this event ${attempts.count} times in a row (${attempts.lastError})`;
  const deadLetter: DeadLetter = { eventId, reason, at: new Date().toISOString(), kind: 'failing', alerted: false };
  await setDeadLetter(db, deadLetter);
  log.error({ eventId, attempts: attempts.count, err: attempts.lastError }, 'ALERT: dead letter after bounded attempts: the relay halts on this event until it is retried');
  await alertCentral(db, client, deadLetter);
  return new DeadLettered(eventId, reason);
}

/** Tells the central about a dead letter it did not raise itself (until it has taken it); never throws. */
export async function alertCentral(db: Db, client: CentralClient, deadLetter: DeadLetter): Promise<boolean> {
  if (deadLetter.alerted) return true;
  try {
    await client.alert({ eventId: deadLetter.eventId, at: deadLetter.at, reason: deadLetter.reason });
    await markAlerted(db, deadLetter);
    return true;
  } catch (error) {
    log.warn({ eventId: deadLetter.eventId, err: (error as Error).message }, 'the dead letter alert did not reach the central; sent again on the next round');
    return false;
  }
}
