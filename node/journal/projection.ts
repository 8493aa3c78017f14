import type { DomainEvent } from '../../shared/events.js';
import type { ReadDb, WriteTx } from '../db/types.js';

/**
 * A read model kept from the event log. `apply` is pure (no I/O): the command path, remote apply and the rebuild
 * verifier all fold events through it. `load` and `save` move a set of rows in one statement each.
 */
export interface Projection<Row> {
  readonly name: string;
  /** The push topic a client re-reads when rows of this projection change. */
  readonly topic: string;
  keyOf(event: DomainEvent): string | undefined;
  apply(row: Row | undefined, event: DomainEvent): Row | undefined;
  load(db: ReadDb, storeId: string, keys: readonly string[]): Promise<Map<string, Row>>;
  loadAll(db: ReadDb, storeId: string): Promise<Map<string, Row>>;
  save(tx: WriteTx, storeId: string, rows: readonly Row[]): Promise<void>;
  remove(tx: WriteTx, storeId: string, keys: readonly string[]): Promise<void>;
}

/** A projection of any row type, for lists and routing. */
export type AnyProjection = Projection<any>;

/** Which read models an event changes (node/projections.ts). */
export type Route = (event: DomainEvent) => readonly AnyProjection[];

/**
 * The rows a transaction has read or changed, by projection: a command's decision and its projection share reads,
 * and every changed row is written back in one statement per projection.
 */
export class ProjectionState {
  #rows = new Map<AnyProjection, Map<string, unknown>>();
  #dirty = new Map<AnyProjection, Set<string>>();
  #touched = new Set<AnyProjection>();

  constructor(
    private readonly tx: WriteTx,
    private readonly storeId: string,
  ) {}

  async get<Row>(projection: Projection<Row>, key: string): Promise<Row | undefined> {
    await this.prime(projection, [key]);
    return this.#rows.get(projection)!.get(key) as Row | undefined;
  }

  async prime<Row>(projection: Projection<Row>, keys: readonly string[]): Promise<void> {
    let rows = this.#rows.get(projection);
    if (!rows) this.#rows.set(projection, (rows = new Map()));
    const missing = keys.filter((k) => !rows!.has(k));
    if (missing.length === 0) return;
    const loaded = await projection.load(this.tx, this.storeId, missing);
    for (const key of missing) rows.set(key, loaded.get(key));
  }

  /** A key this transaction just made up (a fresh uuid v7): nothing to load, it cannot exist yet. */
  fresh<Row>(projection: Projection<Row>, key: string): void {
    let rows = this.#rows.get(projection);
    if (!rows) this.#rows.set(projection, (rows = new Map()));
    if (!rows.has(key)) rows.set(key, undefined);
  }

  set<Row>(projection: Projection<Row>, key: string, row: Row | undefined): void {
    this.#rows.get(projection)!.set(key, row);
    let dirty = this.#dirty.get(projection);
    if (!dirty) this.#dirty.set(projection, (dirty = new Set()));
    dirty.add(key);
    this.#touched.add(projection);
  }

  /** Topics of the projections that changed. */
  get topics(): string[] {
    return [...new Set([...this.#touched].map((p) => p.topic))];
  }

  async flush(): Promise<void> {
    for (const [projection, keys] of this.#dirty) {
      const rows = this.#rows.get(projection)!;
      const present = [...keys].map((k) => rows.get(k)).filter((r) => r !== undefined);
      const gone = [...keys].filter((k) => rows.get(k) === undefined);
      if (present.length > 0) await projection.save(this.tx, this.storeId, present);
      if (gone.length > 0) await projection.remove(this.tx, this.storeId, gone);
    }
    this.#dirty.clear();
  }
}

/** Folds events into the state through the projections each event touches; rows are loaded in one go per projection. */
export async function projectEvents(
  state: ProjectionState,
  events: readonly DomainEvent[],
  route: Route,
): Promise<void> {
  const keys = new Map<AnyProjection, string[]>();
  for (const event of events) {
    for (const projection of route(event)) {
      const key = projection.keyOf(event);
      if (key !== undefined) keys.set(projection, [...(keys.get(projection) ?? []), key]);
    }
  }
  for (const [projection, list] of keys) await state.prime(projection, list);
  for (const event of events) {
    for (const projection of route(event)) {
      const key = projection.keyOf(event);
      if (key === undefined) continue;
      state.set(projection, key, projection.apply(await state.get(projection, key), event));
    }
  }
  await state.flush();
}
