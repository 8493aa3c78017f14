import type { Db } from '../db/types.js';
import { createLogger } from '../log.js';
import { allows, closedBreaker, current, onFailure, onSuccess, retryAt, type BreakerState } from './breaker.js';
import { readBreaker, saveBreaker } from './store.js';

const log = createLogger('relay');

/** The breaker refused to let a call out: the central failed too often lately. */
export class BreakerOpen extends Error {
  constructor(readonly retryAt: number) {
    super(`the central failed 5 times in a row; the next try is at ${new Date(retryAt).toISOString()}`);
  }
}

/**
 * One breaker per target, its state in the node's database (federation_breaker) so that a restart remembers a
 * central that was down, and one in-memory copy for the calls of this process. Every call to the central but the
 * health probe goes through `run`; the reset command acts on this same object.
 */
export class BreakerGate {
  #state: BreakerState = closedBreaker();

  private constructor(
    private readonly db: Db,
    readonly target: string,
    private readonly now: () => number,
  ) {}

  static async open(db: Db, target: string, now: () => number = Date.now): Promise<BreakerGate> {
    const gate = new BreakerGate(db, target, now);
    gate.#state = await readBreaker(db, target);
    return gate;
  }

  get state(): BreakerState {
    return current(this.#state, this.now());
  }

  /** When an open breaker lets the next call out, or null. */
  get retryAt(): number | null {
    return this.state.phase === 'open' ? retryAt(this.#state) : null;
  }

  /** Runs one call to the central; `isFailure` says which errors count against it (network, timeout, 5xx). */
  async run<T>(call: () => Promise<T>, isFailure: (error: unknown) => boolean): Promise<T> {
    if (!allows(this.#state, this.now())) throw new BreakerOpen(retryAt(this.#state)!);
    try {
      const result = await call();
      await this.#move(onSuccess(this.#state, this.now()));
      return result;
    } catch (error) {
      if (isFailure(error)) await this.#move(onFailure(this.#state, this.now()));
      else await this.#move(onSuccess(this.#state, this.now()));
      throw error;
    }
  }

  async reset(): Promise<void> {
    await this.#move(closedBreaker());
  }

  async #move(next: BreakerState): Promise<void> {
    const before = this.#state;
    this.#state = next;
    if (before.phase !== next.phase) log.warn({ target: this.target, from: before.phase, to: next.phase }, 'circuit breaker changed');
    if (before.phase !== next.phase || before.failures !== next.failures || before.successes !== next.successes || before.openedAt !== next.openedAt) {
      await saveBreaker(this.db, this.target, next);
    }
  }
}
