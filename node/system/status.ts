import type { NodeStatus } from '../../shared/contract/index.js';
import type { OpenStore } from '../runtime/open.js';
import { packageVersion } from '../runtime/paths.js';
import type { ReadDb } from '../db/types.js';
import type { FederationControl } from '../domain.js';
import { journalHealth, lastExport } from './health.js';

/** Parked streams and clock skew (node/journal/remote.ts records both), for the status screen. */
async function remoteStatus(db: ReadDb, storeId: string): Promise<NodeStatus['remote']> {
  const [row] = await db.query<{ parked: number; skew: number | null }>(
    `SELECT (SELECT count(*) FROM parked_events WHERE store_id = $1)::int AS parked,
            (SELECT max(skew_ms) FROM clock_skew WHERE store_id = $1) AS skew`,
    [storeId],
  );
  return { parkedEvents: row?.parked ?? 0, maxClockSkewMs: row?.skew ?? null };
}

export function statusReader(store: OpenStore, startedAt: Date, federation: () => FederationControl | undefined = () => undefined): () => Promise<NodeStatus> {
  const version = packageVersion();
  // A fresh terminal that enrolls joins the central's store: its journal is then read in the new store.
  let journalOf = { storeId: store.identity.storeId, read: journalHealth(store.db, store.identity.storeId, store.identity.deviceId) };
  const journal = () => {
    if (journalOf.storeId !== store.identity.storeId) {
      journalOf = { storeId: store.identity.storeId, read: journalHealth(store.db, store.identity.storeId, store.identity.deviceId) };
    }
    return journalOf.read();
  };
  return async () => ({
    version,
    role: store.identity.nodeRole,
    deviceId: store.identity.deviceId,
    storeId: store.identity.storeId,
    currency: store.identity.currency,
    dataDir: store.dataDir,
    databaseBytes: await store.db.sizeBytes(),
    startedAt: startedAt.toISOString(),
    uptimeSeconds: Math.floor((Date.now() - startedAt.getTime()) / 1000),
    engine: store.db.engine === 'pglite' ? 'PGlite (PostgreSQL 18)' : 'PostgreSQL',
    // The timer's last look: asking the disk on every status push would be cheap but is not needed.
    disk: store.disk.status(),
    journal: await journal(),
    lastExport: lastExport(store.dataDir),
    remote: await remoteStatus(store.db, store.identity.storeId),
    ...(federation() ? { federation: await federation()!.status() } : {}),
  });
}
