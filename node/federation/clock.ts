/** Above this much difference between this machine's clock and the central's, the status screen flags it. */
export const SKEW_FLAG_MS = 2 * 60_000;

/** What an observation changed: the skew crossed the flag one way or the other (to log once, not on every call). */
export type SkewChange = 'flagged' | 'cleared' | null;

/**
 * The central's time as this terminal knows it: the central's clock at the last answer (every answer carries it,
 * refusals and the health probe too) plus this process's monotonic time since, so a wall clock set wrong — or moved
 * while the till runs — changes nothing. The relay signs its requests with it (the central refuses a timestamp
 * outside ±5 minutes of its own clock: a terminal two hours off would be locked out otherwise), fiscal expiry is
 * judged by it, and the difference to this machine's clock is the skew the status shows.
 */
export class CentralClock {
  #at: { central: number; mono: number; wall: number } | null = null;
  #flagged = false;

  constructor(
    private readonly mono: () => number = () => performance.now(),
    private readonly wall: () => number = () => Date.now(),
  ) {}

  /** The central's clock as one of its answers carried it (ISO text, or ms since the epoch). */
  observe(centralTime: string | number): SkewChange {
    const central = typeof centralTime === 'number' ? centralTime : Date.parse(centralTime);
    if (!Number.isFinite(central)) return null;
    this.#at = { central, mono: this.mono(), wall: this.wall() };
    const flagged = Math.abs(this.#at.wall - central) > SKEW_FLAG_MS;
    if (flagged === this.#flagged) return null;
    this.#flagged = flagged;
    return flagged ? 'flagged' : 'cleared';
  }

  /** The estimate, or the last known central time when this process has not heard from it (a lower bound). */
  now(stored: string | null): number | null {
    if (this.#at) return this.#at.central + (this.mono() - this.#at.mono);
    return stored === null ? null : Date.parse(stored);
  }

  /** This machine's wall clock minus the central's at the last answer (positive: this one is ahead); null before any. */
  get skewMs(): number | null {
    return this.#at ? this.#at.wall - this.#at.central : null;
  }

  /**
   * The timestamp to sign a request with: the central's time as estimated, or this machine's clock before any answer
   * (a refusal for the window then carries the central's time, and the request is signed again with it).
   */
  signingTime(): number {
    return Math.round(this.now(null) ?? this.wall());
  }
}

export const skewFlagged = (skewMs: number | null): boolean => skewMs !== null && Math.abs(skewMs) > SKEW_FLAG_MS;
