import fs from 'node:fs';
import Database from 'better-sqlite3';
import type { EventEnvelope, EventType } from '../../shared/events.js';
import { PGLITE_VERSION } from '../db/pglite.js';
import type { ReadDb } from '../db/types.js';
import type { Identity } from '../runtime/identity.js';
import { verifyChain, type ChainProblem } from '../journal/chain.js';
import { storeEvents } from '../journal/store.js';

/**
 * The journal as one SQLite file (better-sqlite3) that any SQLite tool opens: the store's events with their hashes,
 * the commands' first results (so idempotency survives a rebuild) and who the device is. Independent of the PGlite
 * version: this is how an engine upgrade or a damaged folder is survived (DESIGN.md "Durability", rule 5).
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
  actor_id TEXT NOT NULL, created_at TEXT NOT NULL);`;

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
    return { meta, devices, commands };
  } finally {
    db.close();
  }
}

/** Re-derives every device's chain in the file; the first problem names its event. */
export function verifyJournalFile(journal: JournalFile): (ChainProblem & { device_id: string }) | undefined {
  for (const [device_id, events] of journal.devices) {
    const problem = verifyChain(events);
    if (problem) return { ...problem, device_id };
  }
  return undefined;
}
