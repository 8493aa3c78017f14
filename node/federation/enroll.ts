import { AppError } from '../../shared/errors.js';
import type { Db, WriteTx } from '../db/types.js';
import { createLogger } from '../log.js';
import type { Identity } from '../runtime/identity.js';
import { CentralClient, CentralRefused, CentralUnreachable } from './client.js';
import { SnapshotStager, type StagedSnapshot } from './snapshot.js';

const log = createLogger('relay');

/** How a terminal joined its store from a snapshot (logs, benchmarks). */
export interface JoinedFrom {
  rows: number;
  bytes: number;
  devices: number;
  ms: number;
}

/**
 * The store's snapshot, staged, or undefined (a store without history, or none to be had: the history is pulled).
 * `joined` hears how it went when one was staged.
 */
export async function stageSnapshot(
  db: Db,
  centralUrl: string,
  answer: { deviceId: string; storeId: string; secret: string },
  joined: (from: JoinedFrom) => void,
): Promise<StagedSnapshot | undefined> {
  const started = Date.now();
  const stager = new SnapshotStager(db, answer.storeId);
  try {
    await stager.discard();
    const client = new CentralClient({ baseUrl: centralUrl, credentials: { deviceId: answer.deviceId, secret: answer.secret } });
    const bytes = await client.snapshot((line) => stager.take(line));
    const staged = stager.done();
    if (staged.head.horizons.length === 0) return undefined;
    const joinedFrom = { rows: staged.rows, bytes, devices: staged.head.horizons.length, ms: Date.now() - started };
    joined(joinedFrom);
    log.info({ ...joinedFrom, cursor: staged.head.cursor }, 'snapshot of the store received');
    return staged;
  } catch (error) {
    log.warn({ err: (error as Error).message }, 'no snapshot of the store; its history will be pulled instead');
    return undefined;
  }
}

export function asAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  // The person typed an address that does not answer: theirs to check, so a 4xx (the node itself is fine).
  if (error instanceof CentralUnreachable) return AppError.t('Conflict', 'centralUnreachable', { detail: error.message });
  if (error instanceof CentralRefused) return AppError.t('Conflict', 'centralRefused', { detail: error.message });
  return error as AppError;
}

/** A fresh terminal joins the central's existing store: nothing of its own to carry, so only its identity moves. */
export async function joinStore(tx: WriteTx, identity: Identity, storeId: string): Promise<void> {
  const [head] = await tx.query<{ seq: number }>('SELECT seq FROM journal_head WHERE store_id = $1 AND device_id = $2', [identity.storeId, identity.deviceId]);
  if (Number(head?.seq ?? 0) > 0) throw AppError.t('Conflict', 'enrollStoreHasEvents');
  await tx.query('UPDATE node_identity SET store_id = $1', [storeId]);
  await tx.query('UPDATE journal_head SET store_id = $1 WHERE store_id = $2 AND device_id = $3', [storeId, identity.storeId, identity.deviceId]);
}

/** From now on the central grants this store's fiscal ranges (the sales helper's table; absent before it lands). */
export async function centralGrantsFiscalRanges(tx: WriteTx, storeId: string): Promise<void> {
  const [row] = await tx.query<{ present: boolean }>("SELECT to_regclass('fiscal_authority') IS NOT NULL AS present");
  if (!row?.present) return;
  await tx.query(
    `INSERT INTO fiscal_authority (store_id, authority) VALUES ($1, 'central') ON CONFLICT (store_id) DO UPDATE SET authority = 'central'`,
    [storeId],
  );
}
