import { AppError } from '../../shared/errors.js';
import type { Db } from '../db/types.js';
import type { Job } from '../jobs/runner.js';
import { createLogger } from '../log.js';

const log = createLogger('maintenance');

/**
 * PGlite runs no autovacuum, so without this the planner never gets statistics: with 100k products a first page of
 * the catalog took 90 ms and a barcode lookup 31 ms instead of 5 ms (scans instead of the indexes). A job of the
 * runner (node/jobs): every six hours, and at start (5 s after, not before the node is ready) when a run was missed
 * while the node was off or it never ran.
 */
export const ANALYZE_SCHEDULE = '0 */6 * * *';
/** A busy node refuses low-priority work (node/db/queue.ts): the statistics are then tried again this much later. */
export const ANALYZE_RETRY_MS = 60_000;

export async function analyze(db: Db): Promise<number> {
  const started = performance.now();
  // Low priority: statistics can wait behind sales and lists.
  await db.query('ANALYZE', [], { priority: 'low' });
  const ms = Math.round(performance.now() - started);
  log.info({ ms }, 'planner statistics refreshed');
  return ms;
}

export function analyzeJob(db: Db, retryMs = ANALYZE_RETRY_MS): Job {
  return {
    name: 'planner-statistics',
    schedule: ANALYZE_SCHEDULE,
    catchUp: true,
    lockTtlMs: 10 * 60_000,
    // Without statistics every lookup scans: when the node was only busy, try again soon rather than in hours.
    retryAfterMs: (error) => (error instanceof AppError && error.code === 'Unavailable' ? retryMs : undefined),
    run: async () => ({ ms: await analyze(db) }),
  };
}
