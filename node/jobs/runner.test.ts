import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids.js';
import { loadMigrations, migrate } from '../db/migrate.js';
import { openPostgres, type PostgresDb } from '../db/postgres.js';
import { migrationsDir } from '../runtime/paths.js';
import { createTestDatabase } from '../../test/support/postgres.js';
import { recentRuns } from './locks.js';
import { JobRunner, type Job } from './runner.js';
import { withStoreLock } from './storelock.js';

/** A promise and its resolver: a job that runs until the test lets it finish. */
const gate = () => {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
};
const until = async (what: () => Promise<boolean>, ms = 20_000) => {
  const end = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
};
const job = (name: string, run: Job['run'], extra: Partial<Job> = {}): Job => ({ name, schedule: '30 3 * * *', run, ...extra });

describe('the job runner on PostgreSQL (several processes share the locks)', () => {
  let drop: () => Promise<void>;
  let db: PostgresDb;
  let other: PostgresDb;
  const runners: JobRunner[] = [];
  const runner = (options: ConstructorParameters<typeof JobRunner>[1] = {}) => {
    const r = new JobRunner(db, options);
    runners.push(r);
    return r;
  };

  beforeAll(async () => {
    const server = await createTestDatabase();
    drop = server.drop;
    db = openPostgres(server.url, { max: 4 });
    other = openPostgres(server.url, { max: 4 });
    await migrate(db, loadMigrations(migrationsDir(), 'central'));
  });
  afterAll(async () => {
    await Promise.all(runners.map((r) => r.stop()));
    await db?.close();
    await other?.close();
    await drop?.();
  });

  it('logs every run with a unique run id, its outcome and its error', async () => {
    const r = runner();
    let n = 0;
    r.add(job('flaky', async () => {
      if (++n === 2) throw new Error('disco lleno');
      return { n };
    }));
    const first = await r.runNow('flaky');
    const second = await r.runNow('flaky');
    expect(first).toMatchObject({ outcome: 'succeeded', result: { n: 1 } });
    expect(second).toMatchObject({ outcome: 'failed', error: 'disco lleno' });
    expect(first.runId).not.toBe(second.runId);
    const runs = await recentRuns(db, 'flaky');
    expect(runs.map((x) => [x.run_id, x.outcome, x.error, x.reason])).toEqual([
      [second.runId, 'failed', 'disco lleno', 'manual'],
      [first.runId, 'succeeded', null, 'manual'],
    ].sort((a, b) => (a[0]! < b[0]! ? 1 : -1)));
    expect(runs.every((x) => x.finished_at !== null && x.finished_at >= x.started_at)).toBe(true);
    expect(await db.query('SELECT * FROM job_locks WHERE job = $1', ['flaky'])).toEqual([]);
  });

  it('skips a trigger while the job still runs, here or in another process, and says so in the log', async () => {
    const g = gate();
    const here = runner({ holder: 'caja-1' });
    const there = new JobRunner(other, { holder: 'caja-2' });
    runners.push(there);
    const slow = job('slow', async () => g.opened);
    here.add(slow);
    there.add({ ...slow });
    const running = here.runNow('slow');
    await until(async () => (await db.query('SELECT 1 FROM job_locks WHERE job = $1', ['slow'])).length === 1);
    const again = await here.runNow('slow');
    const elsewhere = await there.runNow('slow');
    expect(again).toMatchObject({ outcome: 'skipped' });
    expect(elsewhere).toMatchObject({ outcome: 'skipped', why: expect.stringContaining('caja-1') });
    g.open();
    expect(await running).toMatchObject({ outcome: 'succeeded' });
    const runs = await recentRuns(db, 'slow');
    expect(runs.filter((x) => x.outcome === 'skipped')).toHaveLength(2);
    expect((await there.runNow('slow')).outcome).toBe('succeeded'); // free again
  });

  it('keeps its lock alive past the TTL while it runs (heartbeat), and takes over a lock a dead process left', async () => {
    const g = gate();
    const r = runner({ holder: 'vivo' });
    r.add(job('long', async () => g.opened, { lockTtlMs: 300 }));
    const running = r.runNow('long');
    await new Promise((res) => setTimeout(res, 1_000)); // three TTLs later
    const rival = new JobRunner(other, { holder: 'rival' });
    runners.push(rival);
    rival.add(job('long', async () => 'no', { lockTtlMs: 300 }));
    expect((await rival.runNow('long')).outcome).toBe('skipped');
    g.open();
    await running;

    // A process died holding the lock of 'nightly': its run stays 'running' and its lock expires.
    const deadRun = newId();
    await db.write(async (tx) => {
      await tx.query(`INSERT INTO job_locks VALUES ('nightly', $1, 'muerto', now() - interval '1 hour', now() - interval '1 minute')`, [deadRun]);
      await tx.query(`INSERT INTO job_runs (run_id, job, holder, reason, started_at, outcome) VALUES ($1, 'nightly', 'muerto', 'scheduled', now() - interval '1 hour', 'running')`, [deadRun]);
    });
    const heir = runner();
    heir.add(job('nightly', async () => 'ok'));
    expect(await heir.runNow('nightly')).toMatchObject({ outcome: 'succeeded' });
    const [dead] = await db.query<{ outcome: string; error: string }>('SELECT outcome, error FROM job_runs WHERE run_id = $1', [deadRun]);
    expect(dead).toMatchObject({ outcome: 'failed', error: expect.stringContaining('abandoned') });
  });

  it('runs a nightly job missed while the till was off at the next start, once, and not when it ran', async () => {
    await db.query(
      `INSERT INTO job_runs (run_id, job, holder, reason, started_at, finished_at, outcome) VALUES ($1, 'cierre', 'ayer', 'scheduled', now() - interval '3 days', now() - interval '3 days', 'succeeded'),
         ($2, 'al-dia', 'hoy', 'manual', now(), now(), 'succeeded')`,
      [newId(), newId()],
    );
    const r = runner({ catchUpDelayMs: 0 });
    let missed = 0;
    let upToDate = 0;
    r.add(job('cierre', async ({ reason }) => (reason === 'missed' ? ++missed : 0), { catchUp: true }));
    r.add(job('al-dia', async () => ++upToDate, { catchUp: true }));
    r.start();
    await until(async () => (await recentRuns(db, 'cierre')).some((x) => x.reason === 'missed' && x.outcome === 'succeeded'));
    expect(missed).toBe(1);
    expect(upToDate).toBe(0);
  });

  it('retries a failed run when the job asks for it', async () => {
    const r = runner();
    let calls = 0;
    r.add(job('busy', async () => {
      if (++calls === 1) throw new Error('busy');
      return 'done';
    }, { retryAfterMs: () => 50 }));
    r.start();
    expect((await r.runNow('busy')).outcome).toBe('failed');
    await until(async () => (await recentRuns(db, 'busy')).some((x) => x.reason === 'retry' && x.outcome === 'succeeded'));
    expect(calls).toBe(2);
  });

  it('holds an advisory lock per store while it works: another process skips that store, not the others', async () => {
    const g = gate();
    const store = newId();
    const held = withStoreLock(db, 'reconcile', store, async () => g.opened.then(() => 'done'));
    await until(async () => (await db.query("SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted")).length > 0);
    expect(await withStoreLock(other, 'reconcile', store, async () => 'twice')).toMatchObject({ ran: false, why: expect.stringContaining('another central process') });
    expect(await withStoreLock(other, 'reconcile', newId(), async () => 'other store')).toEqual({ ran: true, value: 'other store' });
    g.open();
    expect(await held).toEqual({ ran: true, value: 'done' });
    expect(await withStoreLock(other, 'reconcile', store, async () => 'now')).toEqual({ ran: true, value: 'now' });
  });
});
