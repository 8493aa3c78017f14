import os from 'node:os';
import { createTask, type ScheduledTask } from 'node-cron';
import { newId } from '../../shared/ids.js';
import type { Db } from '../db/types.js';
import { createLogger } from '../log.js';
import { acquire, heartbeat, lastSuccess, release, type RunReason } from './locks.js';
import { missedSince, validSchedule } from './schedule.js';

const log = createLogger('jobs');

export interface JobContext {
  runId: string;
  reason: RunReason;
  /** Set when the runner stops: a long job should stop at its next step. */
  signal: AbortSignal;
}

export interface Job {
  /** Unique per node; the lock and the run log are keyed by it. */
  name: string;
  /** A node-cron expression, in the node's local time (e.g. `30 3 * * *` nightly at 03:30). */
  schedule: string;
  /** At start, run once when the schedule named a time since the last successful run (the till was off then). */
  catchUp?: boolean;
  /** How long a lock is good for without a heartbeat: a lock older than this was left by a dead process. */
  lockTtlMs?: number;
  /** After a failure, how long until one retry (undefined: wait for the schedule). */
  retryAfterMs?: (error: unknown) => number | undefined;
  run(ctx: JobContext): Promise<unknown>;
}

export type RunOutcome =
  | { runId: string; outcome: 'succeeded'; result: unknown }
  | { runId: string; outcome: 'failed'; error: string }
  | { runId: string; outcome: 'skipped'; why: string };

export interface RunnerOptions {
  /** Who holds a lock, in the lock row and the run log. */
  holder?: string;
  /** Missed runs are checked this long after start, not before the node is ready to serve. */
  catchUpDelayMs?: number;
  keepRunsDays?: number;
  now?: () => Date;
}

export const DEFAULT_LOCK_TTL_MS = 10 * 60_000;

/**
 * Runs scheduled jobs on node-cron (R13): per run a unique run id and a row in the run log (started, finished,
 * outcome, error); per job a lock in the database with an expiry that a heartbeat keeps ahead while the job runs, so
 * a second trigger (here or in another process on the same database) is skipped and logged, and a lock left by a
 * process that died is taken over once expired. A job whose scheduled time passed while the node was off (a nightly
 * job on a till switched off at night) runs once soon after start.
 */
export class JobRunner {
  private readonly jobs = new Map<string, Job>();
  private readonly tasks = new Map<string, ScheduledTask>();
  private readonly running = new Map<string, Promise<RunOutcome>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly abort = new AbortController();
  private started = false;
  readonly holder: string;

  constructor(
    private readonly db: Db,
    private readonly options: RunnerOptions = {},
  ) {
    this.holder = options.holder ?? `${os.hostname()}:${process.pid}:${newId().slice(-8)}`;
  }

  /** Adds a job; once started, it is scheduled (and caught up) at once. */
  add(job: Job): void {
    if (!validSchedule(job.schedule)) throw new Error(`job ${job.name}: "${job.schedule}" is not a cron expression`);
    if (this.jobs.has(job.name)) throw new Error(`job ${job.name} is already registered`);
    this.jobs.set(job.name, job);
    if (this.started) this.schedule(job);
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    for (const job of this.jobs.values()) this.schedule(job);
  }

  /** Runs a job now (a person's "reconcile now", tests): the same lock and log as a scheduled run. */
  runNow(name: string, reason: RunReason = 'manual'): Promise<RunOutcome> {
    const job = this.jobs.get(name);
    if (!job) throw new Error(`no job named ${name}`);
    return this.trigger(job, reason);
  }

  /** Stops scheduling, asks running jobs to stop, and waits for them (their runs are logged as they end). */
  async stop(): Promise<void> {
    this.started = false;
    this.abort.abort();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.all([...this.tasks.values()].map((t) => t.destroy()));
    this.tasks.clear();
    await Promise.allSettled([...this.running.values()]);
  }

  private schedule(job: Job): void {
    // Unref'd like the timers it replaced: a schedule alone keeps no process alive.
    const task = createTask(job.schedule, () => void this.trigger(job, 'scheduled'), { name: job.name, unref: true });
    this.tasks.set(job.name, task);
    void task.start();
    if (job.catchUp) this.later(this.options.catchUpDelayMs ?? 5_000, () => this.catchUp(job));
  }

  private async catchUp(job: Job): Promise<void> {
    const now = this.options.now?.() ?? new Date();
    try {
      if (missedSince(job.schedule, await lastSuccess(this.db, job.name), now)) await this.trigger(job, 'missed');
    } catch (error) {
      log.warn({ err: error, job: job.name }, 'could not check for a missed run');
    }
  }

  private later(ms: number, fn: () => unknown): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.started) void fn();
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  /** One trigger: skipped while this process still runs the job, else the run (which may skip on the lock). */
  private trigger(job: Job, reason: RunReason): Promise<RunOutcome> {
    const current = this.running.get(job.name);
    if (current) return this.logSkip(job, reason);
    const run = this.execute(job, reason).finally(() => this.running.delete(job.name));
    this.running.set(job.name, run);
    return run;
  }

  private async logSkip(job: Job, reason: RunReason): Promise<RunOutcome> {
    const runId = newId();
    // The lock row says who holds it; acquire records the skip in the run log.
    const got = await acquire(this.db, job.name, runId, this.holder, reason, job.lockTtlMs ?? DEFAULT_LOCK_TTL_MS).catch(() => undefined);
    const why = 'still running (an earlier run of this process)';
    log.info({ job: job.name, runId }, 'job skipped: still running');
    if (got?.acquired) {
      // The earlier run's lock expired under it (its heartbeat failed): this run takes over the job.
      return this.runLocked(job, runId, reason);
    }
    return { runId, outcome: 'skipped', why };
  }

  private async execute(job: Job, reason: RunReason): Promise<RunOutcome> {
    const runId = newId();
    let got;
    try {
      got = await acquire(this.db, job.name, runId, this.holder, reason, job.lockTtlMs ?? DEFAULT_LOCK_TTL_MS);
    } catch (error) {
      log.warn({ err: error, job: job.name }, 'job not started: its lock could not be taken');
      return { runId, outcome: 'failed', error: (error as Error).message };
    }
    if (!got.acquired) {
      log.info({ job: job.name, runId, holder: got.holder }, 'job skipped: another process runs it');
      return { runId, outcome: 'skipped', why: `held by ${got.holder} until ${got.expiresAt.toISOString()}` };
    }
    if (got.tookOverFrom) log.warn({ job: job.name, runId, abandoned: got.tookOverFrom }, 'took over a lock its holder left behind');
    return this.runLocked(job, runId, reason);
  }

  private async runLocked(job: Job, runId: string, reason: RunReason): Promise<RunOutcome> {
    const ttl = job.lockTtlMs ?? DEFAULT_LOCK_TTL_MS;
    const beat = setInterval(() => void heartbeat(this.db, job.name, runId, ttl).catch((error: unknown) => log.warn({ err: error, job: job.name }, 'job heartbeat failed')), Math.max(50, ttl / 3));
    beat.unref();
    const started = performance.now();
    let outcome: RunOutcome;
    try {
      const result = await job.run({ runId, reason, signal: this.abort.signal });
      outcome = { runId, outcome: 'succeeded', result };
      log.info({ job: job.name, runId, reason, ms: Math.round(performance.now() - started) }, 'job succeeded');
    } catch (error) {
      outcome = { runId, outcome: 'failed', error: error instanceof Error ? error.message : String(error) };
      log.warn({ err: error, job: job.name, runId, reason }, 'job failed');
      const retry = job.retryAfterMs?.(error);
      if (retry !== undefined) this.later(retry, () => this.trigger(job, 'retry'));
    } finally {
      clearInterval(beat);
    }
    await release(this.db, job.name, runId, outcome.outcome === 'succeeded' ? { ok: true, result: outcome.result } : { ok: false, error: outcome.outcome === 'failed' ? outcome.error : '' }, this.options.keepRunsDays ?? 90).catch(
      (error: unknown) => log.warn({ err: error, job: job.name, runId }, 'could not close the run (its lock expires by itself)'),
    );
    return outcome;
  }
}
