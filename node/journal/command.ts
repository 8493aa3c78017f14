import { canonicalHash } from '../../shared/canonical.js';
import { contract, type CommandName, type OutputOf, type ParsedInputOf, type Role } from '../../shared/contract/index.js';
import { AppError } from '../../shared/errors.js';
import { upcast, type DomainEvent, type EventDraft } from '../../shared/events.js';
import { newId } from '../../shared/ids.js';
import type { Db, ReadDb } from '../db/types.js';
import type { Identity } from '../runtime/identity.js';
import { createLogger } from '../log.js';
import { sealEvents } from './chain.js';
import { projectEvents, ProjectionState, type Projection, type Route } from './projection.js';
import { append, lockHead } from './store.js';

const log = createLogger('command');

/** What a command's business rule sees: reads inside the command's transaction, through the read models. */
export interface CommandContext {
  identity: Identity;
  actorId: string;
  now: Date;
  db: ReadDb;
  get<Row>(projection: Projection<Row>, key: string): Promise<Row | undefined>;
  /** A new id for a row this command creates; the projection then need not look for it. */
  newKey<Row>(projection: Projection<Row>): string;
}

/** A command's decision: the events to append, and how to read its answer once they are projected. */
export interface Decision<Out> {
  events: EventDraft[];
  result(read: <Row>(projection: Projection<Row>, key: string) => Promise<Row | undefined>): Promise<Out>;
}

export type CommandHandler<K extends CommandName> = (ctx: CommandContext, input: ParsedInputOf<K>) => Promise<Decision<OutputOf<K>>>;

export interface Committed {
  method: string;
  commandId: string;
  events: readonly DomainEvent[];
  topics: string[];
}

export interface CommandCall {
  commandId: string;
  actorId: string;
  role: Role;
}

/**
 * The write path (DESIGN.md "The write path"). In ONE transaction: lock the device's chain head and look up the
 * command id (same input → the first result; another input → Conflict), decide, seal the events into the chain,
 * project them, and append events + head + outbox + result in one statement. The answer is returned only after
 * the commit is synced (Db.write); pushes go out after that.
 */
export class CommandRunner {
  #listeners: ((committed: Committed) => void)[] = [];

  constructor(
    private readonly db: Db,
    private readonly identity: Identity,
    private readonly route: Route,
  ) {}

  onCommitted(listener: (committed: Committed) => void): void {
    this.#listeners.push(listener);
  }

  async run<K extends CommandName>(method: K, handler: CommandHandler<K>, input: ParsedInputOf<K>, call: CommandCall): Promise<OutputOf<K>> {
    // The API checks roles before any work; the write path checks again, whoever calls it (R15).
    if (!contract[method].roles.includes(call.role)) throw AppError.t('Forbidden', 'roleForbidden', { role: call.role, method });
    const inputHash = canonicalHash({ method, input });
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#attempt(method, handler, input, inputHash, call);
      } catch (error) {
        // Two servers' transactions racing on one command id: the loser retries and finds the winner's result.
        if ((error as { code?: string }).code === '23505' && attempt < 3) continue;
        throw error;
      }
    }
  }

  async #attempt<K extends CommandName>(method: K, handler: CommandHandler<K>, input: ParsedInputOf<K>, inputHash: string, call: CommandCall) {
    const { storeId, deviceId, role } = this.identity;
    const outcome = await this.db.write(async (tx) => {
      const { head, prior } = await lockHead(tx, storeId, deviceId, call.commandId);
      if (prior) {
        if (prior.method !== method || prior.inputHash !== inputHash) {
          throw AppError.t('Conflict', 'commandIdReused');
        }
        return { result: prior.result as OutputOf<K>, committed: undefined };
      }
      const now = new Date();
      const state = new ProjectionState(tx, storeId);
      const ctx: CommandContext = {
        identity: this.identity,
        actorId: call.actorId,
        now,
        db: tx,
        get: (p, k) => state.get(p, k),
        newKey: (p) => {
          const key = newId();
          state.fresh(p, key);
          return key;
        },
      };
      const decision = await handler(ctx, input);
      const sealed = sealEvents(head, decision.events, { storeId, deviceId, commandId: call.commandId, actorId: call.actorId, now, newId });
      const events = sealed.events.map(upcast);
      await projectEvents(state, events, this.route);
      const result = await decision.result((p, k) => state.get(p, k));
      await append(tx, { role, storeId, deviceId, events: sealed.events, from: head, to: sealed.head, commandId: call.commandId, method, inputHash, result, actorId: call.actorId });
      return { result, committed: { method, commandId: call.commandId, events, topics: state.topics } };
    });
    if (outcome.committed) {
      for (const listener of this.#listeners) {
        try {
          listener(outcome.committed);
        } catch (error) {
          log.warn({ err: error }, 'a commit listener failed');
        }
      }
    }
    return outcome.result;
  }
}
