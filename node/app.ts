import { LocalAuth } from './api/auth.js';
import { dbSessionStore } from './api/sessions.js';
import { startApi, type ApiServer } from './api/server.js';
import type { NodeRole } from './db/migrate.js';
import { wireDomains } from './dispatch.js';
import type { NodeEnv } from './domain.js';
import { Federation, type FederationDeps } from './federation/index.js';
import { allProjections, nodeDomains, route } from './domains.js';
import type { Handlers, StoreScope } from './handlers.js';
import type { CommandRunner } from './journal/command.js';
import { resumeParked } from './journal/remote.js';
import { JobRunner } from './jobs/runner.js';
import { reconcileJob } from './reconcile/index.js';
import { createLogger } from './log.js';
import { analyzeJob } from './runtime/maintenance.js';
import { openDataDir, type OpenStore } from './runtime/open.js';
import { scheduleJournalExports } from './runtime/exports.js';
import { statusReader } from './system/status.js';
import { followPeople, PersonGate } from './users/persons.js';

const log = createLogger('node');
const STATUS_EVERY_MS = 5_000;

export interface NodeOptions {
  dataDir: string;
  role?: NodeRole;
  port?: number;
  secret?: string;
  rendererDir?: string;
  /** A signed-in person unused this long is signed out (default 15 minutes). */
  idleMs?: number;
  /** The relay's timings (tests, the demo); a terminal always runs its relay, idle until enrolled. */
  federation?: Pick<FederationDeps, 'pollMs' | 'timeoutMs' | 'realtime' | 'startCheckMs' | 'snapshot'>;
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
  /** The relay to the central (a terminal only). */
  federation: Federation | undefined;
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
    const env: NodeEnv = { status: statusReader(store, startedAt, () => env.federation) };
    const status = env.status;
    // A terminal acts on its own store; the central will take the store from the authenticated device.
    const { commands, handlers, own } = wireDomains(store, env);
    // Streams parked by an older build may be readable now (an upgrade is the usual reason they were parked).
    await resumeParked(db, { storeId: own.storeId, deviceId: identity.deviceId, mode: 'remote' }, route);
    const auth = await LocalAuth.open(dbSessionStore(db), options.secret);
    const persons = PersonGate.install(db, new PersonGate(options.idleMs));
    await persons.load(db, own.storeId);
    auth.persons = persons;
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
    commands.onCommitted((committed) => followPeople(persons, committed, () => persons.load(db, own.storeId)));
    const federation =
      identity.nodeRole === 'terminal'
        ? await Federation.start({
            db,
            route,
            projections: allProjections,
            identity,
            ...options.federation,
            onTopics: (topics) => {
              api.push.broadcast({ type: 'changed', topics });
              // People or their credentials pulled from the store's other terminals: the owner's password may now exist.
              if (topics.includes('users') && !persons.required) void persons.load(db, own.storeId).catch((error: unknown) => log.warn({ err: error }, 'people reload failed'));
            },
            onStoreChanged: (storeId) => {
              own.storeId = storeId;
            },
          })
        : undefined;
    env.federation = federation;
    if (federation) {
      stops.push(() => federation.stop());
      commands.onCommitted(() => federation.kick());
      commands.guardAppends(federation.appendGuard());
    }
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
    if (federation) {
      // Nightly, and at the next start when the till was off at night: compare logs with the central (R12).
      const local = { db, route, deviceId: identity.deviceId, get storeId() { return own.storeId; } };
      jobs.add(reconcileJob(local, () => federation.reconcilePeer()));
    }
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
      federation,
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
