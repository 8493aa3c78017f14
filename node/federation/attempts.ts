import { CentralRefused, CentralUnreachable } from './client.js';

/**
 * Bounded attempts (R9, "dead-lettered after a bounded number of attempts, with an alert"). Only failures the central
 * ANSWERED count: a refusal (4xx), or a 5xx / an answer off the wire while its health probe answers. Network failures
 * (nothing answered, a gateway's 5xx while the central is down) never count: a weekend offline is normal and only
 * ever queues. Ten answered failures of the same first event in a row dead-letter it: the relay halts on it (never
 * skips it), the central is alerted, and the owner retries it once the cause is fixed (`federation.retryDeadLetter`).
 * The chaos suite "fails 9 times then passes" stays below the bound even if every one of its faults counted.
 * A round pulls before it pushes, so every counted failure followed a pull the central served in the same round: a
 * central that is down (its database too) fails the pull and nothing is counted; with the breaker's pauses, ten
 * attempts take several minutes.
 */
export const PUSH_ATTEMPT_LIMIT = 10;

/** The first event of the batch the central kept failing, and how many times in a row (kept in federation_link). */
export interface PushAttempts {
  eventId: string;
  count: number;
  lastError: string;
}

/** How a failed push counts: `answered` when the central (not the network) failed it, `network` otherwise. */
export function classifyPushFailure(error: unknown): 'answered' | 'needs-probe' | 'network' {
  if (error instanceof CentralRefused) return 'answered';
  // A 5xx or a garbled answer: the central's own failure only if its health probe answers (a proxy's 502 while the
  // central is down is a network failure).
  if (error instanceof CentralUnreachable && error.status !== null && error.status !== 429 && error.status !== 408) return 'needs-probe';
  return 'network';
}

/** One more answered failure of a push whose first event is `eventId` (a different first event starts over). */
export function countAttempt(previous: PushAttempts | null, eventId: string, error: string): PushAttempts {
  const count = previous?.eventId === eventId ? previous.count + 1 : 1;
  return { eventId, count, lastError: error.slice(0, 300) };
}

export const exhausted = (attempts: PushAttempts): boolean => attempts.count >= PUSH_ATTEMPT_LIMIT;
