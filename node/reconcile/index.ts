import { newId } from '../../shared/ids.js';
import type { Horizons } from '../../shared/reconcile.js';
import type { Db } from '../db/types.js';
import { horizonSeqs, readHorizons } from '../journal/horizon.js';
import type { Route } from '../journal/projection.js';
import { withStoreLock } from '../jobs/storelock.js';
import type { Job } from '../jobs/runner.js';
import { createLogger } from '../log.js';
import { applyReceiver, dbPeer } from './local.js';
import type { ReconcilePeer } from './peer.js';
import { reconcile, type ReconcileReport } from './reconcile.js';

export type { ReconcilePeer } from './peer.js';
export { dbPeer, applyReceiver } from './local.js';
export { reconcile, type ReconcileReport } from './reconcile.js';

const log = createLogger('reconcile');
const KEEP_LOG_DAYS = 90;

/** This side of a reconciliation: its database, the store, this node's device, and how its read models project. */
export interface LocalSide {
  db: Db;
  storeId: string;
  deviceId: string;
  route: Route;
  /** Per device: events at or below this device_seq are not expected here (started from a snapshot); default: snapshot_horizon. */
  horizons?: Horizons;
  /** How this side stores events; default: remote apply (a terminal). The central passes its ingest. */
  receive?: ReconcilePeer['receive'];
}

export type ReconcileResult = ReconcileReport | { outcome: 'skipped' | 'failed'; reason: string };

/**
 * Reconciles this node's copy of its store with `peer` (the central, through the relay's client): the relay calls
 * it after a reconnect, the nightly job calls it too. One run per store at a time (an advisory lock on the
 * central's PostgreSQL, a lock in the process on PGlite); the report is kept in `reconcile_log` and returned.
 */
export async function reconcileWith(local: LocalSide, peer: ReconcilePeer, peerName = 'central'): Promise<ReconcileResult> {
  const startedAt = new Date();
  const mine = dbPeer(local.db, local.storeId, local.receive ?? applyReceiver(local.db, local.storeId, local.deviceId, local.route));
  let result: ReconcileResult;
  try {
    // A terminal that started from a snapshot expects nothing at or below its horizons (journal/horizon.ts).
    const horizons = local.horizons ?? horizonSeqs(await readHorizons(local.db, local.storeId));
    const locked = await withStoreLock(local.db, 'reconcile', local.storeId, () => reconcile(mine, peer, { horizons }));
    result = locked.ran ? locked.value : { outcome: 'skipped', reason: locked.why };
  } catch (error) {
    result = { outcome: 'failed', reason: error instanceof Error ? error.message : String(error) };
  }
  const level = result.outcome === 'stalled' || result.outcome === 'failed' ? 'warn' : 'info';
  log[level]({ storeId: local.storeId, peer: peerName, outcome: result.outcome, reason: result.reason }, 'reconciliation finished');
  await record(local.db, local.storeId, peerName, startedAt, result).catch((error: unknown) => log.warn({ err: error }, 'could not record the reconciliation'));
  return result;
}

async function record(db: Db, storeId: string, peer: string, startedAt: Date, result: ReconcileResult): Promise<void> {
  const moved = 'pulled' in result ? result : { pulled: 0, pushed: 0 };
  await db.write(async (tx) => {
    await tx.query(
      `INSERT INTO reconcile_log (store_id, id, peer, started_at, finished_at, outcome, reason, pulled, pushed, report)
       VALUES ($1, $2, $3, $4, now(), $5, $6, $7, $8, $9::jsonb)`,
      [storeId, newId(), peer, startedAt, result.outcome, result.reason.slice(0, 2000), moved.pulled, moved.pushed, JSON.stringify(result)],
    );
    await tx.query(`DELETE FROM reconcile_log WHERE store_id = $1 AND finished_at < now() - $2 * interval '1 day'`, [storeId, KEEP_LOG_DAYS]);
  });
}

/** The newest reconciliation of the store with a peer (status screens). */
export async function lastReconcile(db: Db, storeId: string, peer = 'central'): Promise<{ outcome: string; reason: string; finishedAt: Date; pulled: number; pushed: number } | undefined> {
  const [row] = await db.query<{ outcome: string; reason: string; finished_at: Date; pulled: number; pushed: number }>(
    'SELECT outcome, reason, finished_at, pulled, pushed FROM reconcile_log WHERE store_id = $1 AND peer = $2 ORDER BY finished_at DESC LIMIT 1',
    [storeId, peer],
  );
  return row && { outcome: row.outcome, reason: row.reason, finishedAt: row.finished_at, pulled: row.pulled, pushed: row.pushed };
}

export const RECONCILE_NIGHTLY = '30 3 * * *';

/**
 * The nightly reconcile as a job (the relay adds it to `RunningNode.jobs` once enrolled): `peer()` gives the
 * central's client, or undefined while there is none (the run then succeeds with nothing to do). Caught up at start
 * when the till was off at 03:30. A stalled or failed reconciliation fails the run, so the run log says so too.
 */
export function reconcileJob(local: LocalSide, peer: () => ReconcilePeer | undefined, schedule = RECONCILE_NIGHTLY): Job {
  return {
    name: 'reconcile',
    schedule,
    catchUp: true,
    lockTtlMs: 10 * 60_000,
    async run() {
      const target = peer();
      if (!target) return { outcome: 'skipped', reason: 'not enrolled with a central' };
      const result = await reconcileWith(local, target);
      if (result.outcome === 'stalled' || result.outcome === 'failed') throw new Error(`reconciliation ${result.outcome}: ${result.reason}`);
      return { outcome: result.outcome, reason: result.reason, ...('pulled' in result ? { pulled: result.pulled, pushed: result.pushed } : {}) };
    },
  };
}
