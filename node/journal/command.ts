import { canonicalHash } from '../../shared/canonical.js';
import { contract, type CommandName, type OutputOf, type ParsedInputOf, type StaffRole } from '../../shared/contract/index.js';
import type { Topic } from '../../shared/domains/index.js';
import { AppError } from '../../shared/errors.js';
import { upcast, type DomainEvent, type EventDraft } from '../../shared/events.js';
import { newId } from '../../shared/ids.js';
import type { Db, ReadDb, WriteTx } from '../db/types.js';
import type { NodeRole } from '../db/migrate.js';
import type { CommandCall, Principal, StoreScope } from '../handlers.js';
import { createLogger } from '../log.js';
import { sealEvents } from './chain.js';
import { ProjectionState, type Projection, type Route } from './projection.js';
import { append, lockHead } from './store.js';

const log = createLogger('command');

type Read = <Row>(projection: Projection<Row>, key: string) => Promise<Row | undefined>;

/** What a command's business rule sees: reads inside the command's transaction, through the read models. */
export interface CommandContext {
  store: StoreScope;
  actorId: string;
  /** The caller, for rules that depend on the role (a cashier's no-sale or void needs an approval). */
  principal: Principal;
  /** The device writing this command (its terminal: one open till session per device). */
  deviceId: string;
  /** The caller's role in the shop: callers of `requireApproval` decide from it whether an approval is needed. */
  staffRole: StaffRole;
  /** The command's client-made id (what an approval spent by it records). */
  commandId: string;
  now: Date;
  db: ReadDb;
  /**
   * This command's transaction, for the local records that must change with it and are not read models: an approval
   * spent (node/users/approvals.ts), a credential replaced. Read models change only through events.
   */
  records: WriteTx;
  /** A row of a read model, loaded and locked for this transaction. */
  get: Read;
  /** Many rows of one read model in one statement (a sale's N stock rows), loaded and locked. */
  getMany<Row>(projection: Projection<Row>, keys: readonly string[]): Promise<Map<string, Row | undefined>>;
  /**
   * A new id for a row this command creates; the projection then need not look for it. Read models keyed by the
   * same new id (a sale's row, its stock movements) are named in `alsoIn` and skip their look-up too.
   */
  newKey(projection: Projection<unknown>, ...alsoIn: Projection<unknown>[]): string;
}

/** A command's decision: the events to append, and how to read its answer once they are projected. */
export interface Decision<Out> {
  events: EventDraft[];
  result(read: Read): Promise<Out>;
}

export type CommandHandler<K extends CommandName> = (ctx: CommandContext, input: ParsedInputOf<K>) => Promise<Decision<OutputOf<K>>>;

export interface Committed {
  method: string;
  commandId: string;
  actorId: string;
  storeId: string;
  events: readonly DomainEvent[];
  topics: Topic[];
}

/** The device that writes: its events carry its id and continue its chain in each store it writes to. */
export interface Author {
  deviceId: string;
  nodeRole: NodeRole;
}

/** The top-level input fields that hold a PIN or a password (users.create, setupOwner, setPin, setPassword). */
const SECRET_FIELDS = new Set(['pin', 'password']);

/**
 * The input as its idempotency hash covers it: without PINs and passwords. `command_results.input_hash` goes into the
 * journal export, and an unsalted SHA-256 of a 4-digit PIN beside its user id is found in a blink; a retry with the
 * same command id is the same command, so leaving the secret out loses nothing (docs/decisions/0013).
 */
export function withoutSecrets(input: unknown): unknown {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return input;
  return Object.fromEntries(Object.entries(input).map(([k, v]) => [k, SECRET_FIELDS.has(k) && v !== undefined ? '[secret]' : v]));
}

/**
 * The write path (DESIGN.md "The write path"). In ONE transaction: lock the device's chain head in the call's store
 * and look up the command id (same input → the first result; another input → Conflict), decide, seal the events
 * into the chain, project them, and append events + head + outbox + result in one statement. The answer is returned
 * only after the commit is synced (Db.write); pushes go out after that.
 */
/**
 * A check on every append of this device's events (node/federation/tail.ts: a log restored from a backup must take
 * its own tail back from the central first): `ready` before the transaction, `check` inside it with the head locked.
 */
export interface AppendGuard {
  ready(): Promise<void>;
  check(tx: WriteTx, storeId: string, headSeq: number): Promise<void>;
}

export class CommandRunner {
  #listeners: ((committed: Committed) => void)[] = [];
  #guard: AppendGuard | undefined;

  constructor(
    private readonly db: Db,
    private readonly route: Route,
    private readonly author: Author,
  ) {}

  onCommitted(listener: (committed: Committed) => void): void {
    this.#listeners.push(listener);
  }

  /** The node's append guard (one; app.ts sets it on an enrolled-capable terminal). */
  guardAppends(guard: AppendGuard): void {
    this.#guard = guard;
  }

  async run<K extends CommandName>(method: K, handler: CommandHandler<K>, input: ParsedInputOf<K>, call: CommandCall): Promise<OutputOf<K>> {
    const { staffRole } = call.principal;
    // The API checks roles before any work; the write path checks again, whoever calls it (R15).
    if (!contract[method].roles.includes(staffRole)) throw AppError.t('Forbidden', 'roleForbidden', { role: staffRole, method });
    const inputHash = canonicalHash({ method, input: withoutSecrets(input) });
    await this.#guard?.ready();
    const outcome = await this.db.write(async (tx) => {
      const { storeId } = call.store;
      const { deviceId, nodeRole } = this.author;
      // The head lock serialises a device's commands, so a concurrent duplicate waits here and then finds the result.
      const { head, prior } = await lockHead(tx, storeId, deviceId, call.commandId);
      if (prior) {
        if (prior.method !== method || prior.inputHash !== inputHash) throw AppError.t('Conflict', 'commandIdReused');
        return { result: prior.result as OutputOf<K>, committed: undefined };
      }
      await this.#guard?.check(tx, storeId, Number(head.seq));
      const now = new Date();
      const actorId = call.principal.actorId;
      const state = new ProjectionState(tx, storeId);
      const ctx: CommandContext = {
        store: call.store,
        actorId,
        principal: call.principal,
        deviceId,
        staffRole,
        commandId: call.commandId,
        now,
        db: tx,
        records: tx,
        get: (p, k) => state.get(p, k),
        async getMany(p, keys) {
          await state.prime(p, keys);
          return new Map(await Promise.all(keys.map(async (k) => [k, await state.get(p, k)] as const)));
        },
        newKey: (p, ...alsoIn) => {
          const key = newId();
          for (const projection of [p, ...alsoIn]) state.fresh(projection, key);
          return key;
        },
      };
      const decision = await handler(ctx, input);
      const sealed = sealEvents(head, decision.events, { storeId, deviceId, commandId: call.commandId, actorId, now, newId });
      const events = sealed.events.map(upcast);
      await state.project(events, this.route);
      await state.flush();
      const result = await decision.result((p, k) => state.get(p, k));
      await append(tx, { nodeRole, storeId, deviceId, events: sealed.events, from: head, to: sealed.head, commandId: call.commandId, method, inputHash, result, actorId });
      return { result, committed: { method, commandId: call.commandId, actorId, storeId, events, topics: state.topics } };
    });
    if (outcome.committed) this.#tell(outcome.committed);
    return outcome.result;
  }

  #tell(committed: Committed): void {
    for (const listener of this.#listeners) {
      try {
        listener(committed);
      } catch (error) {
        log.warn({ err: error }, 'a commit listener failed');
      }
    }
  }
}
