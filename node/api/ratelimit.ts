import { AppError } from '../../shared/errors.js';
import { createLogger } from '../log.js';

const log = createLogger('auth');

/** What a failed attempt tried: the printed link's one-time code, or the launch secret (Electron's bearer). */
export type Attempt = 'code' | 'secret';

export interface LimiterOptions {
  /** Failures allowed within `windowMs`; the next attempt waits until the oldest of them leaves the window. */
  maxFailures?: number;
  windowMs?: number;
  now?: () => number;
}

/**
 * Limits wrong sign-in attempts (a sliding window of failures per kind, in memory: the node serves one machine on
 * loopback, so there is no caller address worth keying on). While limited, the code exchange refuses even the
 * right code — a person can wait a minute, a guesser cannot go on. A wrong secret gets 429 instead of 401 then,
 * but the right one still passes: it is 256 random bits no one can guess, and refusing it would let any local
 * process lock the till out of its own node.
 */
export class SignInLimiter {
  readonly #failures: Record<Attempt, number[]> = { code: [], secret: [] };
  readonly #max: number;
  readonly #windowMs: number;
  readonly #now: () => number;

  constructor(options: LimiterOptions = {}) {
    this.#max = options.maxFailures ?? 5;
    this.#windowMs = options.windowMs ?? 60_000;
    this.#now = options.now ?? Date.now;
  }

  /** Throws 429 with the wait when `kind` has failed too often lately. */
  check(kind: Attempt): void {
    const seconds = this.#waitSeconds(kind);
    if (seconds > 0) throw AppError.t('RateLimited', 'tooManySignIns', { seconds }).retryAfter(seconds);
  }

  /** Records a failed attempt (logged: repeated ones are someone trying). */
  failed(kind: Attempt): void {
    const recent = this.#recent(kind);
    recent.push(this.#now());
    // Only the last `max` failures decide the wait.
    if (recent.length > this.#max) recent.shift();
    log.warn({ kind, failures: recent.length, windowSeconds: this.#windowMs / 1000 }, 'sign-in attempt refused');
    if (recent.length === this.#max) log.warn({ kind, waitSeconds: this.#waitSeconds(kind) }, 'sign-in attempts limited');
  }

  #waitSeconds(kind: Attempt): number {
    const recent = this.#recent(kind);
    if (recent.length < this.#max) return 0;
    const oldest = recent[recent.length - this.#max]!;
    return Math.max(1, Math.ceil((oldest + this.#windowMs - this.#now()) / 1000));
  }

  #recent(kind: Attempt): number[] {
    const since = this.#now() - this.#windowMs;
    const recent = this.#failures[kind].filter((t) => t > since);
    this.#failures[kind] = recent;
    return recent;
  }
}
