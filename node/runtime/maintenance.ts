import { AppError } from '../../shared/errors.js';
import type { Db } from '../db/types.js';
import { createLogger } from '../log.js';

const log = createLogger('maintenance');

/**
 * PGlite runs no autovacuum, so without this the planner never gets statistics: with 100k products a first page of
 * the catalog took 90 ms and a barcode lookup 31 ms instead of 5 ms (scans instead of the indexes). ANALYZE once
 * soon after start (not before the node is ready: it is not needed to serve) and then every few hours. The job
 * runner with locks and a run log (R13) will own this when it exists.
 */
export const ANALYZE_AFTER_START_MS = 5_000;
export const ANALYZE_EVERY_MS = 6 * 60 * 60 * 1000;
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

export function scheduleMaintenance(db: Db, retryMs = ANALYZE_RETRY_MS): () => void {
  let retry: NodeJS.Timeout | undefined;
  const run = () =>
    void analyze(db).catch((error: unknown) => {
      log.warn({ err: error }, 'ANALYZE failed');
      // Without statistics every lookup scans: when the node was only busy, try again soon rather than in hours.
      if (error instanceof AppError && error.code === 'Unavailable' && !retry) {
        retry = setTimeout(() => {
          retry = undefined;
          run();
        }, retryMs);
        retry.unref();
      }
    });
  const first = setTimeout(run, ANALYZE_AFTER_START_MS);
  const every = setInterval(run, ANALYZE_EVERY_MS);
  first.unref();
  every.unref();
  return () => {
    clearTimeout(first);
    clearTimeout(retry);
    clearInterval(every);
  };
}
