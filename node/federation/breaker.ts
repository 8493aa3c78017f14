/**
 * The circuit breaker around calls to the central (R10), as pure state: 5 failures in a row open it, after 60 s it
 * lets one call through at a time (half-open), 3 successes there close it, one failure there opens it again. The
 * relay persists the state (store.ts) so a restart does not forget a central that was down.
 */
export type BreakerPhase = 'closed' | 'open' | 'halfOpen';

export interface BreakerState {
  phase: BreakerPhase;
  /** Failures in a row while closed. */
  failures: number;
  /** Successes in a row while half-open. */
  successes: number;
  /** When it last opened (ms since epoch), or null. */
  openedAt: number | null;
}

export const BREAKER = { failuresToOpen: 5, openMs: 60_000, successesToClose: 3 } as const;

export const closedBreaker = (): BreakerState => ({ phase: 'closed', failures: 0, successes: 0, openedAt: null });

/** The state as seen at `now`: an open breaker whose time is up is half-open. */
export function current(state: BreakerState, now: number): BreakerState {
  if (state.phase === 'open' && state.openedAt !== null && now - state.openedAt >= BREAKER.openMs) return { ...state, phase: 'halfOpen', successes: 0 };
  return state;
}

/** Whether a call may go out now. */
export const allows = (state: BreakerState, now: number): boolean => current(state, now).phase !== 'open';

/** When an open breaker lets the next call through (ms since epoch), or null when it is not open. */
export const retryAt = (state: BreakerState): number | null => (state.phase === 'open' && state.openedAt !== null ? state.openedAt + BREAKER.openMs : null);

export function onSuccess(state: BreakerState, now: number): BreakerState {
  const seen = current(state, now);
  if (seen.phase !== 'halfOpen') return closedBreaker();
  const successes = seen.successes + 1;
  return successes >= BREAKER.successesToClose ? closedBreaker() : { ...seen, successes };
}

export function onFailure(state: BreakerState, now: number): BreakerState {
  const seen = current(state, now);
  if (seen.phase === 'halfOpen') return { phase: 'open', failures: seen.failures, successes: 0, openedAt: now };
  if (seen.phase === 'open') return seen;
  const failures = seen.failures + 1;
  return failures >= BREAKER.failuresToOpen ? { phase: 'open', failures, successes: 0, openedAt: now } : { ...seen, failures };
}
