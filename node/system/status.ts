import type { NodeStatus } from '../../shared/contract/index.js';
import type { OpenStore } from '../runtime/open.js';
import { packageVersion } from '../runtime/paths.js';

export function statusReader(store: OpenStore, startedAt: Date): () => Promise<NodeStatus> {
  const version = packageVersion();
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
  });
}
