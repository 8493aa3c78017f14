import type { EventEnvelope, EventType } from '../../shared/events.js';
import type { ReadDb, WriteTx } from '../db/types.js';
import type { NodeRole } from '../db/migrate.js';
import { emptyHead, type ChainHead } from './chain.js';

export const EVENT_COLUMNS = `event_id::text AS event_id, command_id::text AS command_id, store_id::text AS store_id,
  device_id::text AS device_id, device_seq, type, version, payload, actor_id, hlc, created_at, prev_hash, hash`;

export type EventRow = Omit<EventEnvelope, 'created_at'> & { created_at: Date };

export const toEnvelope = (row: EventRow): EventEnvelope => ({ ...row, type: row.type as EventType, created_at: row.created_at.toISOString() });

/** Makes sure the device has a head row to lock (its chain starts at the genesis hash). */
export async function ensureHead(tx: WriteTx, storeId: string, deviceId: string): Promise<void> {
  const head = emptyHead(deviceId);
  await tx.query('INSERT INTO journal_head (store_id, device_id, seq, hash, hlc) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING', [
    storeId,
    deviceId,
    head.seq,
    head.hash,
    head.hlc,
  ]);
}

export interface PriorResult {
  method: string;
  inputHash: string;
  result: unknown;
}

/**
 * At the start of a command: lock the device's chain head (a device's commands are serialised on it), then look up
 * what a command with this id already answered. Two statements on purpose: under READ COMMITTED a statement that
 * waited for the lock still sees the snapshot it started with, so a concurrent duplicate would miss the result the
 * lock holder just committed; the second statement takes a fresh snapshot.
 */
export async function lockHead(tx: WriteTx, storeId: string, deviceId: string, commandId: string): Promise<{ head: ChainHead; prior?: PriorResult }> {
  const lock = () => tx.query<ChainHead>('SELECT seq, hash, hlc FROM journal_head WHERE store_id = $1 AND device_id = $2 FOR UPDATE', [storeId, deviceId]);
  let [head] = await lock();
  if (!head) {
    // The first command of this device in this store (the central writes to many stores): its chain starts here.
    await ensureHead(tx, storeId, deviceId);
    [head] = await lock();
  }
  if (!head) throw new Error(`no journal head for device ${deviceId}`);
  const [prior] = await tx.query<{ method: string; input_hash: string; result: unknown }>(
    'SELECT method, input_hash, result FROM command_results WHERE store_id = $1 AND command_id = $2',
    [storeId, commandId],
  );
  return prior ? { head, prior: { method: prior.method, inputHash: prior.input_hash, result: prior.result } } : { head };
}

/** Inserts the events given as a JSON array in $1, set-based: the one way events enter the log. */
export const INSERT_EVENTS = `
  INSERT INTO events (store_id, event_id, command_id, device_id, device_seq, type, version, payload, actor_id, hlc,
    created_at, prev_hash, hash)
  SELECT e.store_id, e.event_id, e.command_id, e.device_id, e.device_seq, e.type, e.version, e.payload, e.actor_id,
    e.hlc, e.created_at, e.prev_hash, e.hash
  FROM jsonb_to_recordset($1::jsonb) AS e(store_id uuid, event_id uuid, command_id uuid, device_id uuid,
    device_seq bigint, type text, version integer, payload jsonb, actor_id text, hlc text, created_at timestamptz,
    prev_hash text, hash text)`;

const appendSql = (nodeRole: NodeRole) => `
WITH ev AS (${INSERT_EVENTS}
  RETURNING store_id, device_seq, event_id
), head AS (
  UPDATE journal_head SET seq = $4, hash = $5, hlc = $6 WHERE store_id = $2 AND device_id = $3 AND seq = $7 RETURNING 1
), result AS (
  INSERT INTO command_results (store_id, command_id, method, input_hash, result, actor_id)
  VALUES ($2, $8, $9, $10, $11::jsonb, $12)
)${
  nodeRole === 'terminal'
    ? `, outbox_rows AS (
  INSERT INTO outbox (store_id, device_seq, event_id) SELECT store_id, device_seq, event_id FROM ev
)`
    : ''
}
SELECT (SELECT count(*) FROM head) AS head_moved, (SELECT count(*) FROM ev) AS appended`;

const APPEND = { terminal: appendSql('terminal'), central: appendSql('central') };

export interface AppendArgs {
  nodeRole: NodeRole;
  storeId: string;
  deviceId: string;
  events: readonly EventEnvelope[];
  from: ChainHead;
  to: ChainHead;
  commandId: string;
  method: string;
  inputHash: string;
  result: unknown;
  actorId: string;
}

/** One statement: the events, the new chain head, the outbox entries and the command's result. */
export async function append(tx: WriteTx, a: AppendArgs): Promise<void> {
  const [row] = await tx.query<{ head_moved: number; appended: number }>(APPEND[a.nodeRole], [
    JSON.stringify(a.events),
    a.storeId,
    a.deviceId,
    a.to.seq,
    a.to.hash,
    a.to.hlc,
    a.from.seq,
    a.commandId,
    a.method,
    a.inputHash,
    JSON.stringify(a.result ?? null),
    a.actorId,
  ]);
  if (Number(row?.head_moved) !== 1 || Number(row?.appended) !== a.events.length) {
    throw new Error('the journal head moved under this command; it was not applied');
  }
}

/** A device's events in chain order, a page at a time (for verify and export). */
export async function* deviceEvents(db: ReadDb, storeId: string, deviceId: string, pageSize = 5000): AsyncGenerator<EventEnvelope> {
  let after = 0;
  for (;;) {
    const rows = await db.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE store_id = $1 AND device_id = $2 AND device_seq > $3 ORDER BY device_seq LIMIT $4`,
      [storeId, deviceId, after, pageSize],
    );
    for (const row of rows) yield toEnvelope(row);
    if (rows.length < pageSize) return;
    after = rows[rows.length - 1]!.device_seq;
  }
}

/** The devices whose events this node holds for a store (each has a head row: its own, or what it applied). */
export async function storeDevices(db: ReadDb, storeId: string): Promise<string[]> {
  const rows = await db.query<{ device_id: string }>('SELECT device_id::text AS device_id FROM journal_head WHERE store_id = $1 ORDER BY device_id', [storeId]);
  return rows.map((r) => r.device_id);
}

/**
 * Every event of the store, device by device in device_seq order, a page at a time, through the (store, device,
 * seq) index: linear in the log. Projections give the same rows in any interleaving that keeps each device's
 * order, so this order rebuilds exactly what live apply built.
 */
export async function* storeEvents(db: ReadDb, storeId: string, pageSize = 5000): AsyncGenerator<EventEnvelope> {
  for (const deviceId of await storeDevices(db, storeId)) yield* deviceEvents(db, storeId, deviceId, pageSize);
}
