/**
 * How long the relay waits before trying again after the `attempt`-th failure in a row (1-based): exponential from
 * 1 s, capped at 5 min, with "equal jitter" (half the ceiling, plus a uniform draw over the other half) so that many terminals coming back
 * after an outage do not knock on the central at the same moment. `random` is injectable for tests.
 */
export const BACKOFF = { baseMs: 1_000, maxMs: 5 * 60_000 } as const;

export function backoffCeilingMs(attempt: number): number {
  const exponent = Math.min(Math.max(attempt, 1) - 1, 30);
  return Math.min(BACKOFF.maxMs, BACKOFF.baseMs * 2 ** exponent);
}

export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = backoffCeilingMs(attempt);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
