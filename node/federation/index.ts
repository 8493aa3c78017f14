import type { FederationStatus } from '../../shared/contract/federation.js';
import type { Topic } from '../../shared/domains/index.js';
import { AppError } from '../../shared/errors.js';
import type { Db } from '../db/types.js';
import type { FederationControl } from '../domain.js';
import { CENTRAL } from '../journal/outbox.js';
import type { AnyProjection, Route } from '../journal/projection.js';
import { createLogger } from '../log.js';
import type { Identity } from '../runtime/identity.js';
import { reconcileWith, type ReconcilePeer, type ReconcileResult } from '../reconcile/index.js';
import { CentralClient, centralPeer } from './client.js';
import { CentralClock } from './clock.js';
import { asAppError, centralGrantsFiscalRanges, joinStore, stageSnapshot, type JoinedFrom } from './enroll.js';
import { configuredSeries, ownRanges, seriesToAsk } from './fiscal.js';
import { BreakerGate } from './gate.js';
import { RelayLoop } from './loop.js';
import { subscribeToCentral } from './realtime.js';
import { Relay } from './relay.js';
import { installSnapshot, type StagedSnapshot } from './snapshot.js';
import { StatusReporter } from './report.js';
import { assembleStatus } from './status.js';
import { knownHeads, ownHeadSeq, readLink, recordContact, recordError, saveLink, setDeadLetter, type Link } from './store.js';
import { StartCheck, tailGuard } from './tail.js';

const log = createLogger('relay');

export interface FederationDeps {
  db: Db;
  route: Route;
  /** Every read model (node/domains.ts): what a snapshot of an existing store installs. */
  projections: readonly AnyProjection[];
  /** This node's identity; enrolling into an existing store changes its storeId in place (see onStoreChanged). */
  identity: Identity;
  /** Read models changed by pulled events: the app pushes them to open screens. */
  onTopics: (topics: Topic[]) => void;
  /** The node joined the central's existing store (a fresh terminal): the app's store scope follows. */
  onStoreChanged: (storeId: string) => void;
  pollMs?: number;
  timeoutMs?: number;
  /** Tests: no WebSocket. */
  realtime?: boolean;
  /** How long a command waits at start for the central's answer about this device's tail (tail.ts). */
  startCheckMs?: number;
  /** Benchmarks: `false` joins an existing store by pulling its whole history instead of a snapshot. */
  snapshot?: boolean;
}

const POLL_MS = 30_000;
const ENROLL_TIMEOUT_MS = 15_000;

/**
 * The relay of a terminal (issue 14, R9–R11): enrollment, the push/pull loop with its breaker and backoff, the
 * WebSocket nudges, fiscal range requests, and the status the screens show. One per node; app.ts starts it.
 */
export class Federation implements FederationControl {
  #link: Link | undefined;
  #loop: RelayLoop | undefined;
  #socket: { close(): void } | undefined;
  #online = false;
  #client: CentralClient | undefined;
  #reconciling: Promise<ReconcileResult> | undefined;
  #reporter: StatusReporter | undefined;
  readonly clock = new CentralClock();
  /** At start, commands wait (briefly) for the first checkpoint answer: a restored log must not sell first. */
  readonly startCheck: StartCheck;
  /** How this terminal joined its store from a snapshot, when it did (logs, benchmarks). */
  joinedFrom: JoinedFrom | undefined;

  private constructor(
    private readonly deps: FederationDeps,
    readonly gate: BreakerGate,
  ) {
    this.startCheck = new StartCheck(deps.startCheckMs);
  }

  static async start(deps: FederationDeps): Promise<Federation> {
    const federation = new Federation(deps, await BreakerGate.open(deps.db, CENTRAL));
    federation.#link = await readLink(deps.db);
    if (federation.#link) federation.#run(federation.#link);
    else federation.startCheck.settle('not enrolled');
    return federation;
  }

  /** What the node's command path checks before appending this device's events (tail.ts); nothing until enrolled. */
  appendGuard() {
    return tailGuard(this.startCheck, () => this.#link !== undefined);
  }

  /** A command committed on this node: its events are in the outbox, push them soon. */
  kick(): void {
    this.#loop?.kick();
  }

  async status(): Promise<FederationStatus> {
    const { db, identity } = this.deps;
    const link = (this.#link = (await readLink(db)) ?? this.#link);
    return assembleStatus({ db, identity, link, gate: this.gate, clock: this.clock, online: () => this.#online, loopError: () => this.#loop?.lastError });
  }

  async enroll(input: { centralUrl: string; code: string; deviceName?: string | undefined }): Promise<FederationStatus> {
    const { db, identity } = this.deps;
    if (identity.nodeRole !== 'terminal') throw AppError.t('Conflict', 'notATerminal');
    const existing = await readLink(db);
    if (existing) throw AppError.t('Conflict', 'alreadyEnrolled', { url: existing.centralUrl });
    const ownEvents = await ownHeadSeq(db, identity.storeId, identity.deviceId);
    // Not through the breaker: a mistyped address must not pause the relay to the real central afterwards.
    const client = new CentralClient({ baseUrl: input.centralUrl, clock: this.clock, timeoutMs: Math.min(this.deps.timeoutMs ?? ENROLL_TIMEOUT_MS, ENROLL_TIMEOUT_MS) });
    const answer = await client
      .enroll({ code: input.code, deviceId: identity.deviceId, storeId: identity.storeId, deviceName: input.deviceName ?? `Terminal ${identity.deviceId.slice(-4)}`, ownEvents })
      .catch((error: unknown) => {
        throw asAppError(error);
      });
    if (answer.deviceId !== identity.deviceId) throw AppError.t('Conflict', 'enrollOtherDevice');
    const joining = answer.storeId !== identity.storeId;
    // Joining a store with history: its read models and the events after them, not a replay of all of it (0012).
    const snapshot = joining && this.deps.snapshot !== false ? await stageSnapshot(db, input.centralUrl, answer, (from) => (this.joinedFrom = from)) : undefined;
    const save = (from: StagedSnapshot | undefined) =>
      db.write(async (tx) => {
        if (joining) await joinStore(tx, identity, answer.storeId);
        await saveLink(tx, { centralUrl: input.centralUrl, deviceId: answer.deviceId, storeId: answer.storeId, secret: answer.secret, centralTime: answer.centralTime });
        await centralGrantsFiscalRanges(tx, answer.storeId);
        if (from) await installSnapshot(tx, { storeId: answer.storeId, deviceId: identity.deviceId }, from, this.deps.projections);
        else await tx.query('DELETE FROM snapshot_rows WHERE store_id = $1', [answer.storeId]);
      });
    try {
      await save(snapshot);
    } catch (error) {
      // The enrollment is spent at the central: without a usable snapshot the terminal replays the history.
      if (!snapshot) throw error;
      log.warn({ err: (error as Error).message }, 'the snapshot could not be installed; the store history will be pulled instead');
      await save(undefined);
    }
    this.clock.observe(answer.centralTime);
    if (answer.storeId !== identity.storeId) {
      identity.storeId = answer.storeId;
      this.deps.onStoreChanged(answer.storeId);
    }
    log.info({ central: input.centralUrl, storeId: answer.storeId, deviceId: answer.deviceId }, 'enrolled with the central');
    this.#link = await readLink(db);
    this.#run(this.#link!);
    return this.status();
  }

  /** A round now; on a terminal not joined to a central there is nothing to do, and the status says so. */
  async syncNow(): Promise<FederationStatus> {
    await this.#loop?.runNow();
    await this.#reporter?.send();
    return this.status();
  }

  /**
   * A round, then a reconciliation with the central now (R12), reported to the central; the status answered carries
   * its result in `lastReconcile`. On a terminal not joined to a central there is nothing to do, as for syncNow.
   */
  async reconcileNow(): Promise<FederationStatus> {
    if (!this.#loop) return this.status();
    await this.#loop.runNow();
    await this.#reconcile('asked on this terminal');
    await this.#reporter?.send();
    return this.status();
  }

  async resetBreaker(): Promise<FederationStatus> {
    await this.gate.reset();
    log.warn('circuit breaker reset by hand');
    this.#loop?.kick();
    return this.status();
  }

  /** Resolving a dead letter (after the cause is fixed at the central): the relay pushes again. */
  async clearDeadLetter(): Promise<void> {
    await setDeadLetter(this.deps.db, null);
    this.#loop?.kick();
  }

  /**
   * The owner's action on a dead letter: the same event is tried again now (never skipped). If the central takes it,
   * pushing resumes; if it refuses it again, the relay halts on it again and the status says so.
   */
  async retryDeadLetter(): Promise<FederationStatus> {
    const link = await readLink(this.deps.db);
    if (!link) throw AppError.t('Conflict', 'notEnrolled');
    if (!link.deadLetter) throw AppError.t('Conflict', 'noDeadLetter');
    log.warn({ eventId: link.deadLetter.eventId, reason: link.deadLetter.reason }, 'dead letter retried by hand');
    await setDeadLetter(this.deps.db, null);
    await this.#loop?.runNow();
    return this.status();
  }

  async stop(): Promise<void> {
    await this.#reconciling;
    this.#socket?.close();
    await this.#loop?.stop();
    await this.#reporter?.idle();
    await this.#reconciling;
  }

  #run(link: Link): void {
    const { db, route, identity } = this.deps;
    const client = new CentralClient({
      baseUrl: link.centralUrl,
      credentials: { deviceId: link.deviceId, secret: link.secret },
      gate: this.gate,
      timeoutMs: this.deps.timeoutMs,
      clock: this.clock,
    });
    this.#client = client;
    const reporter = (this.#reporter = new StatusReporter({ client, status: () => this.status(), reconcile: () => this.#reconcile('asked at the central') }));
    const relay = new Relay(db, route, () => ({ storeId: identity.storeId, deviceId: identity.deviceId }), client, {
      onCheckpoint: (how) => this.startCheck.settle(how),
      reconcile: () => this.#reconcileFully(),
    });
    this.#loop = new RelayLoop(relay, {
      pollMs: this.deps.pollMs ?? POLL_MS,
      halted: async () => {
        const deadLetter = (await readLink(db))?.deadLetter ?? null;
        // A dead letter whose alert has not reached the central yet: sent again each round until it has.
        if (deadLetter && !deadLetter.alerted) await relay.alertCentral(deadLetter);
        return deadLetter !== null;
      },
      onSynced: (outcome) => {
        const reconnected = !this.#online;
        this.#online = true;
        // After a reconnect (and the first round after a start), compare logs with the central (R12).
        if (reconnected) this.#reconcileSoon();
        if (outcome.topics.length > 0) this.deps.onTopics(outcome.topics);
        void this.#askForRanges(client).catch((error: unknown) => log.warn({ err: (error as Error).message }, 'fiscal range request failed'));
        void reporter.send();
      },
      onFailed: async (error) => {
        this.#online = false;
        await recordError(db, error.message).catch(() => undefined);
      },
    });
    this.#loop.start();
    if (this.deps.realtime !== false) this.#socket = subscribeToCentral(link.centralUrl, { deviceId: link.deviceId, secret: link.secret }, () => this.#loop?.kick(), () => this.clock.signingTime());
  }

  /** The central as a reconciliation peer, once enrolled (the nightly job asks for it). */
  reconcilePeer(): ReconcilePeer | undefined {
    return this.#client ? centralPeer(this.#client) : undefined;
  }

  /** Waits for a reconciliation started by a reconnect, if one is running (tests, shutdown). */
  async reconciled(): Promise<void> {
    await this.#reconciling;
  }

  /** A full reconciliation now (the pull cursor restarts after a restored central): true when in sync or converged. */
  async #reconcileFully(): Promise<boolean> {
    const result = await this.#reconcile('before restarting the pull cursor');
    return result.outcome === 'in-sync' || result.outcome === 'converged';
  }

  #reconcileSoon(): void {
    if (this.reconcilePeer() && !this.#reconciling) void this.#reconcile('after a reconnect').then(() => this.#reporter?.send());
  }

  /** One reconciliation with the central at a time: a second ask waits for the running one, then runs its own. */
  async #reconcile(why: string): Promise<ReconcileResult> {
    while (this.#reconciling) await this.#reconciling;
    const peer = this.reconcilePeer();
    if (!peer) return { outcome: 'skipped', reason: 'not enrolled with a central' };
    const { db, route, identity } = this.deps;
    const run = reconcileWith({ db, route, storeId: identity.storeId, deviceId: identity.deviceId }, peer).then((result) => {
      log.info({ outcome: result.outcome, reason: result.reason, why }, 'reconciled with the central');
      return result;
    });
    this.#reconciling = run;
    try {
      return await run;
    } finally {
      if (this.#reconciling === run) this.#reconciling = undefined;
    }
  }

  /** Asks the central for the next range of each series running low; the grant comes back as an event, by pull. */
  async #askForRanges(client: CentralClient): Promise<void> {
    const { db, identity } = this.deps;
    const ranges = await ownRanges(db, identity.storeId, identity.deviceId);
    const centralNow = this.clock.now(this.#link?.centralTimeAtContact ?? null);
    if (ranges === null || centralNow === null) return;
    const wanted = seriesToAsk(ranges, centralNow, await configuredSeries(db, identity.storeId));
    if (wanted.length === 0) return;
    const known = await knownHeads(db, identity.storeId, identity.deviceId);
    for (const request of wanted) await client.requestRange({ ...request, known });
    await recordContact(db);
    this.#loop?.kick();
  }
}
