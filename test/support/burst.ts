import { Worker } from 'node:worker_threads';
import type { RunningNode } from '../../node/app.js';

export interface Answer {
  status: number;
  ms: number;
  retryAfter: string | undefined;
  code: string | undefined;
}

export interface BurstOutcome {
  reads: Answer[];
  /** Writes issued one after another (as a till does) while the reads were in flight. */
  writes: Answer[];
  /** From the first read sent to the last answer. */
  wallMs: number;
}

/**
 * `reads` list-with-search calls sent at once, each on its own connection, and meanwhile writes one after another
 * (as a till sends them) until the reads are all answered, at least `minWrites`. The client runs in a worker thread.
 */
export function burst(node: RunningNode, options: { reads: number; minWrites: number; search: string }): Promise<BurstOutcome> {
  const worker = new Worker(new URL('./burst-client.mjs', import.meta.url), {
    workerData: { url: node.api.url, secret: node.auth.secret, ...options },
  });
  return new Promise<BurstOutcome>((resolve, reject) => {
    worker.once('message', (outcome: BurstOutcome) => resolve(outcome));
    worker.once('error', reject);
  }).finally(() => worker.terminate());
}

/** Nearest-rank percentile. */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}
