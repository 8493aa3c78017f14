import fs from 'node:fs';
import Database from 'better-sqlite3';
import type { EventEnvelope, EventType } from '../../shared/events.js';
import { PGLITE_VERSION } from '../db/pglite.js';
import type { ReadDb } from '../db/types.js';
import type { Identity } from '../runtime/identity.js';
import { verifyChain, type ChainProblem } from '../journal/chain.js';
import { readBase, type SnapshotBase, type SnapshotPairs } from '../journal/horizon.js';
import { storeEvents } from '../journal/store.js';

/**
 * The journal as one SQLite file (better-sqlite3) that any SQLite tool opens: the store's events with their hashes,
 * the commands' first results (so idempotency survives a rebuild) and who the device is. Independent of the PGlite
 * version: this is how an engine upgrade or a damaged folder is survived (DESIGN.md "Durability", rule 5). A node
 * that joined its store from a snapshot (docs/decisions/0012-snapshot.md) exports the snapshot's base too (its
 * horizons and rows; absent in files of other nodes and older builds): its events start above the horizons.
 */
export const FORMAT_VERSION = '1';

const SCHEMA = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE events (
  device_id TEXT NOT NULL, device_seq INTEGER NOT NULL, event_id TEXT NOT NULL UNIQUE, command_id TEXT NOT NULL,
  store_id TEXT NOT NULL, type TEXT NOT NULL, version INTEGER NOT NULL, payload TEXT NOT NULL, actor_id TEXT NOT NULL,
  hlc TEXT NOT NULL, created_at TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL,
  PRIMARY KEY (device_id, device_seq));
CREATE TABLE commands (command_id TEXT PRIMARY KEY, method TEXT NOT NULL, input_hash TEXT NOT NULL, result TEXT NOT NULL,
  actor_id TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE snapshot_horizon (device_id TEXT PRIMARY KEY, seq INTEGER NOT NULL, hash TEXT NOT NULL, hlc TEXT NOT NULL);
CREATE TABLE snapshot_rows (projection TEXT NOT NULL, chunk INTEGER NOT NULL, rows TEXT NOT NULL, PRIMARY KEY (projection, chunk));`;

export async function exportJournal(db: ReadDb, identity: Identity, file: string): Promise<{ events: number; commands: number }> {
  if (fs.existsSync(file)) throw new Error(`${file} already exists; choose a new file name`);
  const temp = `${file}.partial`;
  fs.rmSync(temp, { force: true });
  const out = new Database(temp);
  try {
    out.pragma('journal_mode = DELETE');
    out.exec(SCHEMA);
    const meta = out.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    for (const [k, v] of Object.entries({ format: FORMAT_VERSION, store_id: identity.storeId, device_id: identity.deviceId, role: identity.nodeRole, currency: identity.currency, pglite_version: PGLITE_VERSION, exported_at: new Date().toISOString() })) meta.run(k, v);
    const insert = out.prepare(`INSERT INTO events VALUES (@device_id, @device_seq, @event_id, @command_id, @store_id, @type, @version, @payload, @actor_id, @hlc, @created_at, @prev_hash, @hash)`);
    let events = 0;
    let batch: EventEnvelope[] = [];
    const flush = out.transaction((rows: EventEnvelope[]) => {
      for (const e of rows) insert.run({ ...e, payload: JSON.stringify(e.payload) });
    });
    for await (const event of storeEvents(db, identity.storeId)) {
      batch.push(event);
      if (batch.length === 5000) {
        flush(batch);
        events += batch.length;
        batch = [];
      }
    }
    flush(batch);
    events += batch.length;
    const commands = await db.query<{ command_id: string; method: string; input_hash: string; result: unknown; actor_id: string; created_at: Date }>(
      'SELECT command_id::text AS command_id, method, input_hash, result, actor_id, created_at FROM command_results WHERE store_id = $1',
      [identity.storeId],
    );
    const cmd = out.prepare('INSERT INTO commands VALUES (?, ?, ?, ?, ?, ?)');
    out.transaction(() => {
      for (const c of commands) cmd.run(c.command_id, c.method, c.input_hash, JSON.stringify(c.result), c.actor_id, c.created_at.toISOString());
    })();
    const base = await readBase(db, identity.storeId);
    if (base) {
      const horizon = out.prepare('INSERT INTO snapshot_horizon VALUES (?, ?, ?, ?)');
      const rows = out.prepare('INSERT INTO snapshot_rows VALUES (?, ?, ?)');
      const chunkNo = new Map<string, number>();
      out.transaction(() => {
        for (const h of base.horizons) horizon.run(h.deviceId, h.seq, h.hash, h.hlc);
        for (const c of base.chunks) {
          const n = chunkNo.get(c.projection) ?? 0;
          chunkNo.set(c.projection, n + 1);
          rows.run(c.projection, n, JSON.stringify(c.rows));
        }
      })();
    }
    out.close();
    const fd = fs.openSync(temp, 'r');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(temp, file);
    return { events, commands: commands.length };
  } catch (error) {
    if (out.open) out.close();
    fs.rmSync(temp, { force: true });
    throw error;
  }
}

export interface JournalFile {
  meta: Record<string, string>;
  /** Each device's events in chain order. */
  devices: Map<string, EventEnvelope[]>;
  commands: { command_id: string; method: string; input_hash: string; result: unknown; actor_id: string; created_at: string }[];
  /** The snapshot the node started from, when it did: the events of its devices start above these horizons. */
  base?: SnapshotBase;
}

export function readJournal(file: string): JournalFile {
  if (!fs.existsSync(file)) throw new Error(`${file} does not exist`);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const meta = Object.fromEntries((db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));
    if (meta.format !== FORMAT_VERSION) throw new Error(`${file} is journal format ${meta.format}; this build reads ${FORMAT_VERSION}`);
    const devices = new Map<string, EventEnvelope[]>();
    for (const row of db.prepare('SELECT * FROM events ORDER BY device_id, device_seq').iterate() as Iterable<Record<string, unknown>>) {
      const event = { ...row, type: row.type as EventType, payload: JSON.parse(row.payload as string) } as unknown as EventEnvelope;
      const list = devices.get(event.device_id) ?? [];
      list.push(event);
      devices.set(event.device_id, list);
    }
    const commands = (db.prepare('SELECT * FROM commands').all() as JournalFile['commands'] & { result: string }[]).map((c) => ({ ...c, result: JSON.parse(c.result as unknown as string) }));
    const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name));
    const horizons = tables.has('snapshot_horizon') ? (db.prepare('SELECT device_id AS deviceId, seq, hash, hlc FROM snapshot_horizon').all() as SnapshotBase['horizons']) : [];
    if (horizons.length === 0) return { meta, devices, commands };
    const chunks = (db.prepare('SELECT projection, rows FROM snapshot_rows ORDER BY projection, chunk').all() as { projection: string; rows: string }[]).map((c) => ({
      projection: c.projection,
      rows: JSON.parse(c.rows) as SnapshotPairs,
    }));
    return { meta, devices, commands, base: { horizons, chunks } };
  } finally {
    db.close();
  }
}

/** Re-derives every device's chain in the file; the first problem names its event. */
export function verifyJournalFile(journal: JournalFile): (ChainProblem & { device_id: string }) | undefined {
  for (const [device_id, events] of journal.devices) {
    const horizon = journal.base?.horizons.find((h) => h.deviceId === device_id);
    const problem = verifyChain(events, horizon ? { seq: horizon.seq, hash: horizon.hash, hlc: '' } : undefined);
    if (problem) return { ...problem, device_id };
  }
  return undefined;
}
