import type { NodeStatus } from '../../shared/contract/index.js';
import type { OpenStore } from '../runtime/open.js';
import { packageVersion } from '../runtime/paths.js';
import { journalHealth, lastExport } from './health.js';

export function statusReader(store: OpenStore, startedAt: Date): () => Promise<NodeStatus> {
  const version = packageVersion();
  const journal = journalHealth(store.db, store.identity.storeId, store.identity.deviceId);
  return async () => ({
    version,
    role: store.identity.role,
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
  });
}
