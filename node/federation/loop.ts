import { createLogger, requestContext } from '../log.js';
import { backoffMs } from './backoff.js';
import { CentralRefused } from './client.js';
import { DeadLettered } from './dead-letter.js';
import { BreakerOpen } from './gate.js';
import type { Relay, SyncOutcome } from './relay.js';

const log = createLogger('relay');

export interface LoopOptions {
  /** Fallback polling when nothing happens (the WebSocket only speeds it up). */
  pollMs: number;
  random?: () => number;
  /** Whether the relay is halted on a dead letter (then it pulls, but does not push). */
  halted: () => Promise<boolean>;
  onSynced?: (outcome: SyncOutcome) => void;
  onFailed?: (error: Error) => Promise<void> | void;
}

/**
 * Keeps the relay going on its own: a round now and then (polling), one soon after a sale or a "more" from the
 * central (`kick`), and after a failure a wait that grows (backoff with jitter, never before the breaker half-opens).
 * Network failures only ever queue: the outbox keeps everything until the central takes it.
 */
export class RelayLoop {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #againContext: ReturnType<typeof requestContext.getStore>;
  #failures = 0;
  #stopped = false;
  lastError: string | null = null;

  constructor(
    private readonly relay: Relay,
    private readonly options: LoopOptions,
  ) {}

  start(): void {
    this.kick();
  }

  /** Runs a round as soon as possible (a round already running is followed by another). */
  kick(): void {
    if (this.#stopped) return;
    if (this.#running) {
      // The round after the running one is this call's: it carries its request id, as a round started now would.
      this.#again = true;
      this.#againContext = requestContext.getStore();
      return;
    }
    // The round a command's commit asks for carries that call's request id to the central (R20).
    this.#schedule(0, true);
  }

  /** A round now, awaited: the sync-now action. */
  async runNow(): Promise<void> {
    if (this.#running) await this.#running;
    clearTimeout(this.#timer);
    await this.#round();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running?.catch(() => undefined);
  }

  #schedule(ms: number, inCallerContext = false): void {
    clearTimeout(this.#timer);
    if (this.#stopped) return;
    // A timer keeps the async context it was set in: polling and retries are set outside the API call that ran the
    // last round, so later rounds do not carry that call's request id (R20) to the central.
    const set = () => setTimeout(() => void this.#round(), ms);
    this.#timer = inCallerContext ? set() : requestContext.exit(set);
    this.#timer.unref();
  }

  #round(): Promise<void> {
    if (this.#running) return this.#running;
    this.#running = this.#once().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #once(): Promise<void> {
    this.#again = false;
    this.#againContext = undefined;
    try {
      const outcome = await this.relay.sync({ push: !(await this.options.halted()) });
      this.#failures = 0;
      this.lastError = null;
      this.options.onSynced?.(outcome);
      if (this.#again && this.#againContext) requestContext.run(this.#againContext, () => this.#schedule(0, true));
      else this.#schedule(this.#again ? 0 : this.options.pollMs);
    } catch (error) {
      const err = error as Error;
      this.lastError = err.message;
      this.relay.forgetCheckpoint();
      await this.options.onFailed?.(err);
      if (err instanceof DeadLettered || err instanceof CentralRefused) log.error({ err: err.message }, 'relay round refused');
      else log.warn({ err: err.message }, 'relay round failed; events stay queued');
      this.#failures += 1;
      const wait = err instanceof BreakerOpen ? Math.max(err.retryAt - Date.now(), 1000) : backoffMs(this.#failures, this.options.random);
      // A dead letter halts the push, not the pull: the next rounds keep bringing the other devices' news.
      this.#schedule(err instanceof DeadLettered ? this.options.pollMs : wait);
    }
  }
}
