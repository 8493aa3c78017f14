import { LocalAuth } from './api/auth.js';
import { dbSessionStore } from './api/sessions.js';
import { startApi, type ApiServer } from './api/server.js';
import type { NodeRole } from './db/migrate.js';
import { wireDomains } from './dispatch.js';
import { nodeDomains, route } from './domains.js';
import type { Handlers, StoreScope } from './handlers.js';
import type { CommandRunner } from './journal/command.js';
import { resumeParked } from './journal/remote.js';
import { JobRunner } from './jobs/runner.js';
import { createLogger } from './log.js';
import { analyzeJob } from './runtime/maintenance.js';
import { openDataDir, type OpenStore } from './runtime/open.js';
import { scheduleJournalExports } from './runtime/exports.js';
import { statusReader } from './system/status.js';

const log = createLogger('node');
const STATUS_EVERY_MS = 5_000;

export interface NodeOptions {
  dataDir: string;
  role?: NodeRole;
  port?: number;
  secret?: string;
  rendererDir?: string;
}

export interface RunningNode {
  store: OpenStore;
  /** One callable per API method, as the API calls them (benchmarks and tests call them in-process). */
  handlers: Handlers;
  /** The store this terminal acts on. */
  own: StoreScope;
  api: ApiServer;
  auth: LocalAuth;
  commands: CommandRunner;
  /** Scheduled jobs (node/jobs): the federation adds its nightly reconcile here (`jobs.add`). */
  jobs: JobRunner;
  /** The loopback URL of the browser mode, carrying the one-time sign-in code. */
  signInUrl(): string;
  close(): Promise<void>;
}

/** Opens the data folder and serves the local API: the whole node, in this process. */
export async function startNode(options: NodeOptions): Promise<RunningNode> {
  const startedAt = new Date();
  const store = await openDataDir(options.dataDir, { role: options.role ?? 'terminal' });
  const stops: (() => void | Promise<void>)[] = [];
  try {
    const { identity, db } = store;
    const status = statusReader(store, startedAt);
    // A terminal acts on its own store; the central will take the store from the authenticated device.
    const { commands, handlers, own } = wireDomains(store, { status });
    // Streams parked by an older build may be readable now (an upgrade is the usual reason they were parked).
    await resumeParked(db, { storeId: own.storeId, deviceId: identity.deviceId, mode: 'remote' }, route);
    const auth = await LocalAuth.open(dbSessionStore(db), options.secret);
    const api = await startApi({
      handlers,
      auth,
      storeOf: () => own,
      hello: async () => ({ type: 'status', status: await status() }),
      rendererDir: options.rendererDir,
      port: options.port,
    });
    stops.push(() => api.close());
    commands.onCommitted(({ topics }) => api.push.broadcast({ type: 'changed', topics }));
    const ticker = setInterval(() => {
      if (api.push.size === 0) return;
      status()
        .then((s) => api.push.broadcast({ type: 'status', status: s }))
        .catch((error: unknown) => log.warn({ err: error }, 'status push failed'));
    }, STATUS_EVERY_MS);
    ticker.unref();
    stops.push(() => clearInterval(ticker));
    for (const domain of nodeDomains) {
      for (const service of domain.services) stops.push(service.start({ db, store: own, commands }));
    }
    const exports = scheduleJournalExports(store);
    stops.push(() => exports.stop());
    const jobs = new JobRunner(db);
    jobs.add(analyzeJob(db));
    jobs.start();
    stops.push(() => jobs.stop());
    log.info({ url: api.url, dataDir: store.dataDir, deviceId: identity.deviceId }, 'node ready');
    return {
      store,
      handlers,
      own,
      api,
      auth,
      commands,
      jobs,
      signInUrl: () => `${api.url}/?code=${auth.oneTimeCode ?? auth.renewCode()}`,
      async close() {
        for (const stop of stops.reverse()) await stop();
        await store.close();
      },
    };
  } catch (error) {
    for (const stop of stops.reverse()) await stop();
    await store.close();
    throw error;
  }
}
