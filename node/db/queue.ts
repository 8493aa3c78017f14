import { AsyncLocalStorage } from 'node:async_hooks';
import type { Priority } from '../../shared/contract/define.js';
import { AppError } from '../../shared/errors.js';

export type { Priority };

/** Lanes in the order they are served. */
const LANES: readonly Priority[] = ['high', 'normal', 'low'];
const rank = (p: Priority): number => LANES.indexOf(p);

/** How many calls may wait for the database; past it the lowest-priority waiter is refused with "busy". */
export const DEFAULT_CAPACITY = 64;
/** No one waits longer than this for the connection: a caller is better told "busy, retry" than kept waiting. */
export const DEFAULT_MAX_WAIT_MS = 5_000;

export interface DbWork {
  priority: Priority;
  /** The caller went away: its work, still waiting, is dropped. */
  signal?: AbortSignal;
}

/**
 * The priority of the database work done while serving one call. The API sets it from the method's declaration
 * around the handler, so domain code keeps calling `db.query(sql, params)` and a sale still goes before a report.
 */
const ambient = new AsyncLocalStorage<DbWork>();

export function atPriority<T>(work: DbWork, fn: () => T): T {
  return ambient.run(work, fn);
}

interface Job {
  priority: Priority;
  queuedAt: number;
  start(): Promise<void>;
  refuse(error: unknown): void;
}

/**
 * The one PGlite connection runs one statement or transaction at a time (PGlite serialises them itself); this queue
 * decides which goes next and how many may wait. Waiters are served by priority, first come first served within
 * one; when `capacity` are waiting, a newcomer displaces the newest waiter of a lower priority, or is refused,
 * and a waiter still waiting after `maxWaitMs` (behind a stream of sales) is refused when its turn would come.
 * Refusals are `Unavailable` (HTTP 503) with a Retry-After from the current wait, instead of a minute in line.
 */
export class DbQueue {
  readonly #lanes: Record<Priority, Job[]> = { high: [], normal: [], low: [] };
  #running = false;
  #scheduled = false;
  #closing = false;
  /** Moving average of how long one job holds the connection, for Retry-After. */
  #avgMs = 1;

  constructor(
    readonly capacity = DEFAULT_CAPACITY,
    readonly maxWaitMs = DEFAULT_MAX_WAIT_MS,
  ) {}

  get waiting(): number {
    return LANES.reduce((n, lane) => n + this.#lanes[lane].length, 0);
  }

  /** Runs `fn` when the connection is free; the priority defaults to that of the call being served, else normal. */
  run<T>(fn: () => Promise<T>, priority?: Priority): Promise<T> {
    const work = ambient.getStore();
    const signal = work?.signal;
    return new Promise<T>((resolve, reject) => {
      if (this.#closing) return reject(new AppError('Unavailable', 'The database is closing.'));
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => this.#drop(job) && reject(signal?.reason);
      const job: Job = {
        priority: priority ?? work?.priority ?? 'normal',
        queuedAt: performance.now(),
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          return Promise.resolve().then(fn).then(resolve, reject);
        },
        refuse: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      if (!this.#admit(job)) return reject(this.#busy());
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#schedule();
    });
  }

  /** Refuses new work, lets what is waiting finish, then runs `fn` last (closing the connection). */
  drainThen<T>(fn: () => Promise<T>): Promise<T> {
    this.#closing = true;
    return new Promise<T>((resolve, reject) => {
      this.#lanes.low.push({ priority: 'low', queuedAt: Number.POSITIVE_INFINITY, start: () => Promise.resolve().then(fn).then(resolve, reject), refuse: reject });
      this.#schedule();
    });
  }

  /** The refusal a caller sees when the line is full. */
  #busy(): AppError {
    const seconds = Math.max(1, Math.ceil((this.waiting * this.#avgMs) / 1000));
    return AppError.t('Unavailable', 'busy', { seconds }).retryAfter(seconds);
  }

  #admit(job: Job): boolean {
    if (this.waiting < this.capacity) {
      this.#lanes[job.priority].push(job);
      return true;
    }
    for (let r = LANES.length - 1; r > rank(job.priority); r--) {
      const victim = this.#lanes[LANES[r]!].pop();
      if (!victim) continue;
      victim.refuse(this.#busy());
      this.#lanes[job.priority].push(job);
      return true;
    }
    return false;
  }

  #drop(job: Job): boolean {
    const lane = this.#lanes[job.priority];
    const at = lane.indexOf(job);
    if (at >= 0) lane.splice(at, 1);
    return at >= 0;
  }

  /** Lanes are first come first served, so the overdue are at their fronts. */
  #refuseOverdue(): void {
    const deadline = performance.now() - this.maxWaitMs;
    for (const lane of LANES) {
      const jobs = this.#lanes[lane];
      while (jobs.length > 0 && jobs[0]!.queuedAt < deadline) jobs.shift()!.refuse(this.#busy());
    }
  }

  /**
   * PGlite runs on this thread and holds it for a whole job. The next job starts only after a turn of the event
   * loop, so every request that arrived meanwhile is read and queued first: otherwise each would take the
   * connection as it came in, a sale behind a burst would not even be read off its socket, and no bound would apply.
   */
  #schedule(): void {
    if (this.#running || this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#pump();
    });
  }

  #pump(): void {
    this.#refuseOverdue();
    const job = LANES.map((lane) => this.#lanes[lane]).find((lane) => lane.length > 0)?.shift();
    if (!job) return;
    this.#running = true;
    const started = performance.now();
    void job.start().finally(() => {
      this.#avgMs = 0.9 * this.#avgMs + 0.1 * (performance.now() - started);
      this.#running = false;
      this.#schedule();
    });
  }
}
