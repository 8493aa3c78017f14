import type { Topic } from '../../shared/domains/index.js';
import type { EventEnvelope } from '../../shared/events.js';
import type { WireEvent } from '../../shared/federation.js';
import type { Db } from '../db/types.js';
import { acknowledge, acknowledgedSeq, CENTRAL, pendingBatches } from '../journal/outbox.js';
import type { Route } from '../journal/projection.js';
import { applyRemoteEvents } from '../journal/remote.js';
import { createLogger } from '../log.js';
import type { CentralClient } from './client.js';
import { pullCredentials, pushCredentials } from './credentials.js';
import { alertCentral, countFailure, DeadLettered } from './dead-letter.js';
import {
  noteContact,
  ownBatchesAfter,
  ownHeadSeq,
  readCursor,
  readLink,
  recordContact,
  saveCursor,
  savePushAttempts,
  setDeadLetter,
  type DeadLetter,
} from './store.js';
import { saveCentralSeq } from './tail.js';

const log = createLogger('relay');

export const PUSH_LIMITS = { maxEvents: 5_000, maxBytes: 1024 * 1024 };
export const PULL_LIMIT = 1_000;

/** The central holds less than it should and took none of a batch: something to look at, retried with backoff. */
export class NoProgress extends Error {}

export interface RelayScope {
  storeId: string;
  deviceId: string;
}

export interface SyncOutcome {
  pulled: number;
  pushed: number;
  /** PIN and password hashes stored from the central, and sent to it (docs/decisions/0013-credentials-federation.md). */
  credentials: { pulled: number; pushed: number };
  ownTail: number;
  topics: Topic[];
}

/** What the relay tells its owner (index.ts) and asks of it. */
export interface RelayHooks {
  /** The first checkpoint call of a round answered, or failed: the start check (tail.ts) waits for it. */
  onCheckpoint?: (how: 'answered' | 'unreachable') => void;
  /**
   * The central's order no longer holds this node's pull cursor (restored from an older backup): reconcile with it
   * fully (true when in sync or converged) before the cursor moves to the central's current end.
   */
  reconcile?: () => Promise<boolean>;
}

type Checkpoint = Awaited<ReturnType<CentralClient['checkpoint']>>;

/** A promise awaited later: its failure is seen there, not reported as unhandled while the relay waits on the central. */
const handled = <T>(promise: Promise<T>): Promise<T> => {
  promise.catch(() => undefined);
  return promise;
};

const asWire = (events: readonly EventEnvelope[]): WireEvent[] => events as unknown as WireEvent[];
const asEnvelopes = (events: readonly WireEvent[]): EventEnvelope[] => events as unknown as EventEnvelope[];

/**
 * One round of the relay (R9, R11): pull the store's news first (so what this device sends next never references
 * what it has not seen), take back its own tail if the central holds more of this device than its log (a restored
 * backup), then push the outbox in device_seq order until it is empty. Failures throw; the loop (loop.ts) decides
 * when to try again.
 */
export class Relay {
  /** Set after a start or a failure: ask the central's checkpoint before pushing, and resume from the lower one. */
  #checkpointKnown = false;
  /** The central's checkpoint, when it is below ours: the resend reads the journal from there. */
  #resumeFrom: number | null = null;

  constructor(
    private readonly db: Db,
    private readonly route: Route,
    private readonly scope: () => RelayScope,
    private readonly client: CentralClient,
    private readonly hooks: RelayHooks = {},
  ) {}

  /** After a failure the relay no longer trusts its idea of what the central holds. */
  forgetCheckpoint(): void {
    this.#checkpointKnown = false;
  }

  async sync(options: { push: boolean }): Promise<SyncOutcome> {
    const topics = new Set<Topic>();
    const { storeId } = this.scope();
    // The checkpoint first (one small call): whether this log is behind the central is known, and recorded for the
    // command guard (tail.ts), before a long pull; its own tail is taken after the pull, as before.
    const central = this.#checkpointKnown ? null : await this.#askCheckpoint();
    const pulled = await this.pull(topics);
    // After the events, so a cashier's UserCreated usually arrives with their PIN (a PIN that comes first is kept).
    const credentials = { pulled: await pullCredentials(this.db, this.client, storeId), pushed: 0 };
    if (credentials.pulled > 0) topics.add('users');
    let ownTail = 0;
    let pushed = 0;
    if (central) ownTail = await this.#reconcileCheckpoint(central, topics);
    if (options.push) pushed = await this.push();
    // Credentials have no chain: a dead letter halting the events does not hold back a new PIN.
    credentials.pushed = await pushCredentials(this.db, this.client, storeId);
    return { pulled, pushed, credentials, ownTail, topics: [...topics] };
  }

  /** Pulls and applies the store's events from other devices, one transaction per batch, until the central has no more. */
  async pull(topics: Set<Topic> = new Set()): Promise<number> {
    const { storeId, deviceId } = this.scope();
    let cursor = await readCursor(this.db, storeId);
    let total = 0;
    for (;;) {
      const page = await this.client.pull(cursor, PULL_LIMIT);
      if (page.restart) {
        // The central's store order does not hold the event this cursor points at: it was restored from an older
        // backup, and its order was rewritten past it. Pulling on from here would skip the events it numbers below
        // our cursor, so reconcile everything first (the central's events up to its current end are then here too),
        // and only then start from the end it gave.
        log.warn({ cursor, restart: page.cursor }, "the central's order does not hold this node's pull cursor: reconciling before it moves");
        if (!(await this.hooks.reconcile?.())) throw new NoProgress('the pull cursor must restart after the central was restored, but reconciliation did not finish');
        await saveCursor(this.db, storeId, page.cursor);
        cursor = page.cursor;
        continue;
      }
      // Only this device writes its chain; its own events come back through the own tail, never through a pull.
      const others = asEnvelopes(page.events).filter((e) => e.device_id !== deviceId);
      if (others.length > 0) {
        const result = await applyRemoteEvents(this.db, { storeId, deviceId, mode: 'remote' }, others, this.route);
        result.topics.forEach((t) => topics.add(t));
        total += result.applied;
        if (result.refused.length > 0) log.error({ refused: result.refused.slice(0, 10) }, 'pulled events refused by this node');
      }
      // A replay after a crash between the apply and this write is harmless: the apply is idempotent by event id.
      if (page.cursor !== cursor) await saveCursor(this.db, storeId, page.cursor);
      await recordContact(this.db, { centralTime: page.centralTime, skewMs: this.client.clockSkewMs });
      cursor = page.cursor;
      if (!page.more) return total;
    }
  }

  /**
   * Both sides keep the checkpoint; after a disagreement the relay resumes from the lower. Above this device's own
   * head, the central holds events this log lost (restored from a backup): take them back first, so no device_seq
   * (and no fiscal number) is issued twice.
   */
  async #reconcileCheckpoint(central: Checkpoint, topics: Set<Topic>): Promise<number> {
    const { storeId, deviceId } = this.scope();
    const head = await ownHeadSeq(this.db, storeId, deviceId);
    let taken = 0;
    if (central.ackedSeq > head) taken = await this.#takeOwnTail(head, topics);
    const local = await acknowledgedSeq(this.db, storeId, CENTRAL);
    if (central.ackedSeq > local) await this.db.write((tx) => acknowledge(tx, storeId, CENTRAL, central.ackedSeq));
    this.#resumeFrom = central.ackedSeq < local ? central.ackedSeq : null;
    if (this.#resumeFrom !== null) log.warn({ central: central.ackedSeq, local }, 'the central holds less than it acknowledged: resending from its checkpoint');
    this.#checkpointKnown = true;
    return taken;
  }

  /** Asks the central's checkpoint for this device and records it (migration 0037), telling the start check. */
  async #askCheckpoint(): Promise<Checkpoint> {
    const { storeId } = this.scope();
    let central: Checkpoint;
    try {
      central = await this.client.checkpoint();
    } catch (error) {
      this.hooks.onCheckpoint?.('unreachable');
      throw error;
    }
    await this.db.write((tx) => saveCentralSeq(tx, storeId, central.ackedSeq));
    this.hooks.onCheckpoint?.('answered');
    return central;
  }

  async #takeOwnTail(after: number, topics: Set<Topic>): Promise<number> {
    const { storeId, deviceId } = this.scope();
    let from = after;
    let taken = 0;
    for (;;) {
      const page = await this.client.ownTail(from);
      if (page.events.length === 0) break;
      const result = await applyRemoteEvents(this.db, { storeId, deviceId, mode: 'own-tail' }, asEnvelopes(page.events), this.route);
      result.topics.forEach((t) => topics.add(t));
      taken += result.applied;
      const next = await ownHeadSeq(this.db, storeId, deviceId);
      if (next <= from) throw new NoProgress(`this device's own events from the central could not be applied after seq ${from}`);
      from = next;
      if (!page.more) break;
    }
    log.warn({ taken, head: from }, "took this device's own tail back from the central (restored from a backup)");
    return taken;
  }

  /**
   * Sends the outbox in device_seq order, batch by batch, moving the checkpoint on each acknowledgement. Pipelined:
   * while a batch is on the wire the next window of the outbox is read (one statement, cut into batches by bytes)
   * and the previous acknowledgement is written (checkpoint, pruned outbox rows and last contact in one
   * transaction); only one batch is at the central at a time, so it always continues what the central holds.
   * An answer that does not acknowledge exactly the batch's last event drops what was read ahead and reads again
   * from what the central acknowledged.
   */
  async push(): Promise<number> {
    const { storeId, deviceId } = this.scope();
    let local = await acknowledgedSeq(this.db, storeId, CENTRAL);
    // Below our checkpoint the outbox rows may be pruned: the resend reads the journal until it catches up.
    const read = (after: number) =>
      after < local ? ownBatchesAfter(this.db, storeId, deviceId, after, PUSH_LIMITS) : pendingBatches(this.db, storeId, after, PUSH_LIMITS);
    let after = this.#resumeFrom !== null && this.#resumeFrom < local ? this.#resumeFrom : local;
    let queue = await read(after);
    let ahead: Promise<EventEnvelope[][]> | undefined;
    let writing: Promise<void> = Promise.resolve();
    let pushed = 0;
    try {
      for (;;) {
        const batch = queue.shift();
        if (!batch) {
          if (ahead) {
            queue = await ahead;
            ahead = undefined;
            if (queue.length > 0) continue;
          }
          // The event the central kept failing reached it another way (a reconciliation replay): its count is over.
          if ((await readLink(this.db))?.pushAttempts) await savePushAttempts(this.db, null);
          return pushed;
        }
        const from = after;
        const last = batch.at(-1)!.device_seq;
        if (queue.length === 0) ahead = handled(read(last));
        const answer = await this.client.push(asWire(batch)).catch(async (error: unknown) => {
          throw await countFailure(this.db, this.client, batch[0]!.event_id, error);
        });
        const advanced = answer.ackedSeq > local;
        if (advanced) local = answer.ackedSeq;
        writing = handled(writing.then(() => this.#acknowledge(storeId, answer.ackedSeq, advanced)));
        if (answer.refused) {
          await writing;
          // The central raised its own alert when it refused (central_alerts): nothing to send it.
          await setDeadLetter(this.db, { ...answer.refused, at: new Date().toISOString(), kind: 'refused', alerted: true });
          log.error({ refused: answer.refused }, 'the central refused an event of this device: the relay halts until it is resolved');
          throw new DeadLettered(answer.refused.eventId, answer.refused.reason);
        }
        pushed += answer.inserted;
        this.#resumeFrom = answer.ackedSeq < local ? answer.ackedSeq : null;
        if (answer.ackedSeq <= from) {
          this.#checkpointKnown = false;
          throw new NoProgress(`the central acknowledged nothing past seq ${answer.ackedSeq} for a batch starting at ${batch[0]!.device_seq}`);
        }
        after = answer.ackedSeq;
        if (answer.ackedSeq !== last) {
          // The central took part of the batch, or holds more than it: what was read ahead no longer follows.
          await ahead?.catch(() => undefined);
          ahead = undefined;
          await writing;
          queue = await read(after);
        }
      }
    } finally {
      await ahead?.catch(() => undefined);
      await writing;
    }
  }

  /** Tells the central about a dead letter it did not raise itself (dead-letter.ts); never throws. */
  alertCentral(deadLetter: DeadLetter): Promise<boolean> {
    return alertCentral(this.db, this.client, deadLetter);
  }

  /**
   * The central's answer to a push: its checkpoint for this device kept (tail.ts), outbox rows pruned when it moved,
   * the contact noted (a push the central took ends a run of failed attempts), in one transaction.
   */
  async #acknowledge(storeId: string, seq: number, advanced: boolean): Promise<void> {
    await this.db.write(async (tx) => {
      if (advanced) await acknowledge(tx, storeId, CENTRAL, seq);
      await saveCentralSeq(tx, storeId, seq);
      await noteContact(tx, { skewMs: this.client.clockSkewMs, pushed: true });
    });
  }
}
