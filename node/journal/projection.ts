import type { Topic } from '../../shared/domains/index.js';
import type { DomainEvent, EventOf, EventType } from '../../shared/events.js';
import type { ReadDb, WriteTx } from '../db/types.js';

/**
 * A read model kept from the event log. It names the event types it handles; routing is derived from those lists
 * (node/domains.ts) and checked to cover every event type at compile time. One event may touch many rows (a sale:
 * one stock row per line), so `keysOf` gives every key and `apply` folds the event into one row at a time. `apply`
 * is pure: the command path, remote apply and the rebuild verifier all fold events through it, and across devices
 * it must give the same rows in any interleaving (deltas for quantities, last-writer-wins by HLC for fields).
 *
 * `load` reads a set of keys in one statement and, inside a write transaction, locks them (`FOR UPDATE`, in key
 * order), so two processes applying at once on the central never overwrite each other's changes; `save` and
 * `remove` write a set of rows in one statement each.
 */
export interface Projection<Row, T extends EventType = EventType> {
  readonly name: string;
  /** The push topic a client re-reads when rows of this projection change. */
  readonly topic: Topic;
  readonly handles: readonly T[];
  keysOf(event: EventOf<T>): readonly string[];
  apply(row: Row | undefined, event: EventOf<T>, key: string): Row | undefined;
  load(tx: WriteTx, storeId: string, keys: readonly string[]): Promise<Map<string, Row>>;
  loadAll(db: ReadDb, storeId: string): Promise<Map<string, Row>>;
  save(tx: WriteTx, storeId: string, rows: readonly Row[]): Promise<void>;
  remove(tx: WriteTx, storeId: string, keys: readonly string[]): Promise<void>;
}

/** A projection of any row type, for lists and routing. */
export type AnyProjection = Projection<any, any>;

export const defineProjection = <Row, const T extends EventType>(projection: Projection<Row, T>): Projection<Row, T> => projection;

/** Which read models an event changes. */
export type Route = (event: DomainEvent) => readonly AnyProjection[];

/** Routing derived from what each projection says it handles. */
export function routeOf(projections: readonly AnyProjection[]): Route {
  const byType = new Map<string, AnyProjection[]>();
  for (const projection of projections) {
    for (const type of projection.handles as readonly string[]) byType.set(type, [...(byType.get(type) ?? []), projection]);
  }
  return (event) => byType.get(event.type) ?? [];
}

/**
 * The rows a transaction has read or changed, by projection: a command's decision and its projection share reads,
 * and every changed row is written back in one statement per projection.
 */
export class ProjectionState {
  #rows = new Map<AnyProjection, Map<string, unknown>>();
  #dirty = new Map<AnyProjection, Set<string>>();

  constructor(
    private readonly tx: WriteTx,
    private readonly storeId: string,
  ) {}

  async get<Row>(projection: Projection<Row>, key: string): Promise<Row | undefined> {
    await this.prime(projection, [key]);
    return this.#rowsOf(projection).get(key) as Row | undefined;
  }

  /** Loads (and locks) every key not yet held, in one statement. */
  async prime(projection: AnyProjection, keys: readonly string[]): Promise<void> {
    const rows = this.#rowsOf(projection);
    const missing = [...new Set(keys.filter((k) => !rows.has(k)))].sort();
    if (missing.length === 0) return;
    const loaded = await projection.load(this.tx, this.storeId, missing);
    for (const key of missing) rows.set(key, loaded.get(key));
  }

  /** A key this transaction just made up (a fresh uuid v7): nothing to load, it cannot exist yet. */
  fresh(projection: AnyProjection, key: string): void {
    const rows = this.#rowsOf(projection);
    if (!rows.has(key)) rows.set(key, undefined);
  }

  /** Folds events into the rows they touch: every row loaded first (one statement per projection), then applied. */
  async project(events: readonly DomainEvent[], route: Route): Promise<void> {
    const keys = new Map<AnyProjection, string[]>();
    for (const event of events) {
      for (const projection of route(event)) {
        const list = keys.get(projection) ?? [];
        if (list.length === 0) keys.set(projection, list);
        list.push(...projection.keysOf(event));
      }
    }
    for (const [projection, list] of keys) await this.prime(projection, list);
    for (const event of events) {
      for (const projection of route(event)) {
        const rows = this.#rowsOf(projection);
        for (const key of projection.keysOf(event)) {
          rows.set(key, projection.apply(rows.get(key), event, key));
          this.#dirtyOf(projection).add(key);
        }
      }
    }
  }

  /** Topics of the projections that changed. */
  get topics(): Topic[] {
    return [...new Set([...this.#dirty.keys()].map((p) => p.topic))];
  }

  async flush(): Promise<void> {
    for (const [projection, keys] of this.#dirty) {
      const rows = this.#rowsOf(projection);
      const present = [...keys].map((k) => rows.get(k)).filter((r) => r !== undefined);
      const gone = [...keys].filter((k) => rows.get(k) === undefined);
      if (present.length > 0) await projection.save(this.tx, this.storeId, present);
      if (gone.length > 0) await projection.remove(this.tx, this.storeId, gone);
    }
  }

  #rowsOf(projection: AnyProjection): Map<string, unknown> {
    let rows = this.#rows.get(projection);
    if (!rows) this.#rows.set(projection, (rows = new Map()));
    return rows;
  }

  #dirtyOf(projection: AnyProjection): Set<string> {
    let dirty = this.#dirty.get(projection);
    if (!dirty) this.#dirty.set(projection, (dirty = new Set()));
    return dirty;
  }
}

/** Folds events into rows in memory, without a database: the rebuild verifier and the property tests use it. */
export function foldEvents(events: Iterable<DomainEvent>, route: Route, into = new Map<AnyProjection, Map<string, unknown>>()) {
  for (const event of events) {
    for (const projection of route(event)) {
      let rows = into.get(projection);
      if (!rows) into.set(projection, (rows = new Map()));
      for (const key of projection.keysOf(event)) {
        const next = projection.apply(rows.get(key), event, key);
        if (next === undefined) rows.delete(key);
        else rows.set(key, next);
      }
    }
  }
  return into;
}
