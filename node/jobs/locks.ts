import type { Db } from '../db/types.js';

export type RunReason = 'scheduled' | 'missed' | 'manual' | 'retry';

export type Acquired = { acquired: true; tookOverFrom?: string } | { acquired: false; holder: string; expiresAt: Date };

/**
 * Takes the job's lock and opens its run in one transaction: free, or expired (its holder died: that run is closed
 * as abandoned), it is taken; held and alive, the run is logged as skipped. Times are the database's, so processes
 * on several machines agree.
 */
export async function acquire(db: Db, job: string, runId: string, holder: string, reason: RunReason, ttlMs: number): Promise<Acquired> {
  return db.write(async (tx) => {
    const [previous] = await tx.query<{ run_id: string; holder: string; expires_at: Date; expired: boolean }>(
      'SELECT run_id::text AS run_id, holder, expires_at, expires_at < now() AS expired FROM job_locks WHERE job = $1 FOR UPDATE',
      [job],
    );
    if (previous && !previous.expired) {
      await tx.query(
        `INSERT INTO job_runs (run_id, job, holder, reason, started_at, finished_at, outcome, error)
         VALUES ($1, $2, $3, $4, now(), now(), 'skipped', $5)`,
        [runId, job, holder, reason, `still running as run ${previous.run_id} (${previous.holder})`],
      );
      return { acquired: false, holder: previous.holder, expiresAt: previous.expires_at };
    }
    await tx.query(
      `INSERT INTO job_locks (job, run_id, holder, locked_at, expires_at) VALUES ($1, $2, $3, now(), now() + $4 * interval '1 millisecond')
       ON CONFLICT (job) DO UPDATE SET run_id = excluded.run_id, holder = excluded.holder, locked_at = excluded.locked_at, expires_at = excluded.expires_at`,
      [job, runId, holder, ttlMs],
    );
    await tx.query(
      `WITH abandoned AS (
         UPDATE job_runs SET outcome = 'failed', finished_at = now(), error = 'abandoned: its process stopped before it finished (lock expired)'
         WHERE run_id = $5 AND outcome = 'running'
       )
       INSERT INTO job_runs (run_id, job, holder, reason, started_at, outcome) VALUES ($1, $2, $3, $4, now(), 'running')`,
      [runId, job, holder, reason, previous?.run_id ?? null],
    );
    return previous ? { acquired: true, tookOverFrom: previous.run_id } : { acquired: true };
  });
}

/** Pushes the lock's expiry forward while the run goes on; false when the lock is no longer this run's. */
export async function heartbeat(db: Db, job: string, runId: string, ttlMs: number): Promise<boolean> {
  const rows = await db.query(
    `UPDATE job_locks SET expires_at = now() + $3 * interval '1 millisecond' WHERE job = $1 AND run_id = $2 RETURNING 1`,
    [job, runId, ttlMs],
  );
  return rows.length === 1;
}

/** Closes the run and frees the lock (if still this run's); keeps the log to `keepDays`. */
export async function release(
  db: Db,
  job: string,
  runId: string,
  outcome: { ok: true; result: unknown } | { ok: false; error: string },
  keepDays: number,
): Promise<void> {
  await db.write(async (tx) => {
    await tx.query(
      `UPDATE job_runs SET finished_at = now(), outcome = $2, error = $3, result = $4::jsonb WHERE run_id = $1`,
      [runId, outcome.ok ? 'succeeded' : 'failed', outcome.ok ? null : outcome.error.slice(0, 2000), outcome.ok ? JSON.stringify(outcome.result ?? null) : null],
    );
    await tx.query('DELETE FROM job_locks WHERE job = $1 AND run_id = $2', [job, runId]);
    await tx.query(`DELETE FROM job_runs WHERE job = $1 AND started_at < now() - $2 * interval '1 day'`, [job, keepDays]);
  });
}

/** When the job last succeeded (its start), if ever. */
export async function lastSuccess(db: Db, job: string): Promise<Date | undefined> {
  const [row] = await db.query<{ at: Date | null }>(`SELECT max(started_at) AS at FROM job_runs WHERE job = $1 AND outcome = 'succeeded'`, [job]);
  return row?.at ?? undefined;
}

export interface JobRunRow {
  run_id: string;
  job: string;
  holder: string;
  reason: RunReason;
  started_at: Date;
  finished_at: Date | null;
  outcome: 'running' | 'succeeded' | 'failed' | 'skipped';
  error: string | null;
  result: unknown;
}

/** The newest runs of a job (status screens, tests). */
export async function recentRuns(db: Db, job: string, limit = 20): Promise<JobRunRow[]> {
  return db.query<JobRunRow>(
    `SELECT run_id::text AS run_id, job, holder, reason, started_at, finished_at, outcome, error, result FROM job_runs
     WHERE job = $1 ORDER BY started_at DESC, run_id DESC LIMIT $2`,
    [job, limit],
  );
}
