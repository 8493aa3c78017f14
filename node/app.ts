import type { Role } from './db/migrate.js';
import { LocalAuth } from './api/auth.js';
import type { Handlers } from './handlers.js';
import { startApi, type ApiServer } from './api/server.js';
import { productHandlers } from './catalog/products.handlers.js';
import { CommandRunner } from './journal/command.js';
import { createLogger } from './log.js';
import { projectionsFor } from './projections.js';
import { openDataDir, type OpenStore } from './runtime/open.js';
import { scheduleMaintenance } from './runtime/maintenance.js';
import { scheduleJournalExports } from './runtime/exports.js';
import { statusReader } from './system/status.js';

const log = createLogger('node');
const STATUS_EVERY_MS = 5_000;

export interface NodeOptions {
  dataDir: string;
  role?: Role;
  port?: number;
  secret?: string;
  rendererDir?: string;
}

export interface RunningNode {
  store: OpenStore;
  api: ApiServer;
  auth: LocalAuth;
  commands: CommandRunner;
  /** The loopback URL of the browser mode, carrying the one-time sign-in code. */
  signInUrl(): string;
  close(): Promise<void>;
}

/** Opens the data folder and serves the local API: the whole node, in this process. */
export async function startNode(options: NodeOptions): Promise<RunningNode> {
  const startedAt = new Date();
  const store = await openDataDir(options.dataDir, { role: options.role ?? 'terminal' });
  try {
    const auth = new LocalAuth(options.secret);
    const status = statusReader(store, startedAt);
    const commands = new CommandRunner(store.db, store.identity, projectionsFor);
    const handlers: Handlers = {
      'system.status': () => status(),
      ...productHandlers(store.db, store.identity, commands),
    };
    const api = await startApi({
      handlers,
      auth,
      hello: async () => ({ type: 'status', status: await status() }),
      rendererDir: options.rendererDir,
      port: options.port,
    });
    commands.onCommitted(({ topics }) => api.push.broadcast({ type: 'changed', topics }));
    const ticker = setInterval(() => {
      if (api.push.size === 0) return;
      status()
        .then((s) => api.push.broadcast({ type: 'status', status: s }))
        .catch((error: unknown) => log.warn({ err: error }, 'status push failed'));
    }, STATUS_EVERY_MS);
    ticker.unref();
    const stopMaintenance = scheduleMaintenance(store.db);
    const exports = scheduleJournalExports(store);
    log.info({ url: api.url, dataDir: store.dataDir, deviceId: store.identity.deviceId }, 'node ready');
    return {
      store,
      api,
      auth,
      commands,
      signInUrl: () => `${api.url}/?code=${auth.oneTimeCode ?? auth.renewCode()}`,
      async close() {
        clearInterval(ticker);
        stopMaintenance();
        await exports.stop();
        await api.close();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
