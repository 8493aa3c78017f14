import { lastReconcileSchema, type FederationStatus, type LastReconcile } from '../../shared/contract/federation.js';
import type { Db } from '../db/types.js';
import { CENTRAL } from '../journal/outbox.js';
import { lastReconcile } from '../reconcile/index.js';
import type { Identity } from '../runtime/identity.js';
import { PUSH_ATTEMPT_LIMIT } from './attempts.js';
import { skewFlagged, type CentralClock } from './clock.js';
import { numbersLeft, ownRanges } from './fiscal.js';
import type { BreakerGate } from './gate.js';
import { backlog, type Link } from './store.js';

/** What the status reads of the relay's live state, asked at the moment the status is put together. */
export interface StatusSources {
  db: Db;
  identity: Identity;
  link: Link | undefined;
  gate: BreakerGate;
  clock: CentralClock;
  /** Whether the last round reached the central. */
  online: () => boolean;
  /** The loop's last error, if it runs. */
  loopError: () => string | null | undefined;
}

/** The relay's status as the screens, the control socket and the central's device table see it. */
export async function assembleStatus({ db, identity, link, gate, clock, online, loopError }: StatusSources): Promise<FederationStatus> {
  const breaker = gate.state;
  const retryAt = gate.retryAt;
  const ranges = await ownRanges(db, identity.storeId, identity.deviceId);
  const centralNow = clock.now(link?.centralTimeAtContact ?? null);
  const clockSkewMs = clock.skewMs ?? link?.clockSkewMs ?? null;
  return {
    enrolled: link !== undefined,
    centralUrl: link?.centralUrl ?? null,
    online: link !== undefined && online(),
    lastContactAt: link?.lastContactAt ?? null,
    lastError: loopError() ?? link?.lastError ?? null,
    backlog: await backlog(db, identity.storeId, CENTRAL),
    breaker: { state: breaker.phase, failures: breaker.failures, retryAt: retryAt === null ? null : new Date(retryAt).toISOString() },
    deadLetter: link?.deadLetter ?? null,
    fiscalNumbersLeft: ranges === null ? null : numbersLeft(ranges, centralNow ?? Number.NEGATIVE_INFINITY),
    lastReconcile: asLastReconcile(await lastReconcile(db, identity.storeId)),
    clockSkewMs: clockSkewMs === null ? null : Math.round(clockSkewMs),
    clockSkewFlagged: link !== undefined && skewFlagged(clockSkewMs),
    pushAttempts: link?.pushAttempts?.count ?? 0,
    pushAttemptLimit: PUSH_ATTEMPT_LIMIT,
  };
}

/** reconcile_log's newest row as the status says it (an outcome this version does not know reads as failed). */
function asLastReconcile(row: Awaited<ReturnType<typeof lastReconcile>>): LastReconcile | null {
  if (!row) return null;
  const parsed = lastReconcileSchema.safeParse({ ...row, at: row.finishedAt.toISOString() });
  return parsed.success ? parsed.data : { at: row.finishedAt.toISOString(), outcome: 'failed', pulled: row.pulled, pushed: row.pushed, reason: row.reason };
}
