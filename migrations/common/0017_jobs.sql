-- Scheduled jobs (R13, node/jobs). A node-level concern, not store data: keyed by the job's name. One lock row per
-- job while it runs, with an expiry the running process keeps pushing forward; a row past its expiry was left by a
-- process that died and is taken over. Several central processes on one PostgreSQL share these rows.
CREATE TABLE job_locks (
  job text PRIMARY KEY,
  run_id uuid NOT NULL,
  holder text NOT NULL,
  locked_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);

-- The run log: one row per run (a skipped one too), with a unique run id, outcome and error.
CREATE TABLE job_runs (
  run_id uuid PRIMARY KEY,
  job text NOT NULL,
  holder text NOT NULL,
  reason text NOT NULL CHECK (reason IN ('scheduled', 'missed', 'manual', 'retry')),
  started_at timestamptz NOT NULL,
  finished_at timestamptz,
  outcome text NOT NULL CHECK (outcome IN ('running', 'succeeded', 'failed', 'skipped')),
  error text,
  result jsonb
);
CREATE INDEX job_runs_by_job ON job_runs (job, started_at DESC);
CREATE INDEX job_runs_succeeded ON job_runs (job, started_at DESC) WHERE outcome = 'succeeded';
