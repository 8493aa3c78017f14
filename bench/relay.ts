/**
 * bench:relay — events per second from ONE terminal to a central on PostgreSQL over loopback: a real PGlite node
 * (openDataDir) enrolled with a central process (bench/central-process.ts), its Federation relay pushing the outbox in
 * signed batches capped by bytes, the central verifying (signature, hash, chain link, device and store) and storing
 * every event in its store's order, and the terminal acknowledging (checkpoint moved, outbox pruned).
 * Baseline, same run, same PostgreSQL: plain batched INSERTs (1,000 rows of VALUES per statement, each its own
 * transaction) of the same rows into a table like the central's `events` (same indexes), from this process; timed in
 * two halves, one before and one after the relay, so a noisy moment of the machine lands on both.
 *
 * The terminal's log is made in bulk: sealed events continuing its chain (test/support/eventlog.ts deviceLog: valid
 * hashes, device_seq, HLC) stored by one INSERT per 5,000 (the journal's INSERT_EVENTS) with their outbox rows and the
 * head in the same transaction, never through commands.
 * Last line: `events_per_s plain_per_s ratio events` (ratio = events_per_s / plain_per_s).
 */
import pg from 'pg';
import type { EventEnvelope } from '../shared/events.js';
import { allProjections, route } from '../node/domains.js';
import type { ChainHead } from '../node/journal/chain.js';
import { INSERT_EVENTS } from '../node/journal/store.js';
import { Federation } from '../node/federation/index.js';
import { openDataDir } from '../node/runtime/open.js';
import { deviceLog } from '../test/support/eventlog.js';
import { createTestDatabase } from '../test/support/postgres.js';
import { tempDir } from '../test/support/tmp.js';
import { enrollmentCode, startCentralProcess } from './central-process.js';
import { fmt, lastLine, log, size, SMALL, timed } from './support.js';

const EVENTS = size(200_000, 20_000);
const LOAD_CHUNK = 5_000;
const PLAIN_ROWS = 1_000;
const COLUMNS = ['store_id', 'event_id', 'command_id', 'device_id', 'device_seq', 'type', 'version', 'payload', 'actor_id', 'hlc', 'created_at', 'prev_hash', 'hash'] as const;

/** The terminal's log: `count` sealed events after its head, one second apart, stored with their outbox rows. */
async function loadTerminal(db: Awaited<ReturnType<typeof openDataDir>>['db'], storeId: string, deviceId: string, count: number): Promise<EventEnvelope[][]> {
  const [row] = await db.query<ChainHead>('SELECT seq, hash, hlc FROM journal_head WHERE store_id = $1 AND device_id = $2', [storeId, deviceId]);
  let head: ChainHead = { seq: Number(row!.seq), hash: row!.hash, hlc: row!.hlc };
  const start = Date.now() - count * 1000 - 3_600_000;
  const chunks: EventEnvelope[][] = [];
  for (let done = 0; done < count; done += LOAD_CHUNK) {
    const events = deviceLog(storeId, deviceId, Math.min(LOAD_CHUNK, count - done), start + done * 1000, head, 1000);
    const last = events.at(-1)!;
    await db.write(async (tx) => {
      await tx.query(INSERT_EVENTS, [JSON.stringify(events)]);
      await tx.query('INSERT INTO outbox (store_id, device_seq, event_id) SELECT store_id, device_seq, event_id FROM events WHERE store_id = $1 AND device_id = $2 AND device_seq > $3', [storeId, deviceId, head.seq]);
      await tx.query('UPDATE journal_head SET seq = $3, hash = $4, hlc = $5 WHERE store_id = $1 AND device_id = $2', [storeId, deviceId, last.device_seq, last.hash, last.hlc]);
    });
    head = { seq: last.device_seq, hash: last.hash, hlc: last.hlc };
    chunks.push(events);
  }
  return chunks;
}

/** Plain batched INSERTs: `PLAIN_ROWS` rows of VALUES per statement, each statement its own transaction. */
async function plainInserts(pool: pg.Pool, events: readonly EventEnvelope[]): Promise<number> {
  const statements: { sql: string; params: unknown[] }[] = [];
  for (let i = 0; i < events.length; i += PLAIN_ROWS) {
    const rows = events.slice(i, i + PLAIN_ROWS);
    const values = rows.map((_, r) => `(${COLUMNS.map((_, c) => `$${r * COLUMNS.length + c + 1}`).join(', ')})`).join(', ');
    const params = rows.flatMap((e) => COLUMNS.map((c) => (c === 'payload' ? JSON.stringify(e.payload) : e[c])));
    statements.push({ sql: `INSERT INTO plain_events (${COLUMNS.join(', ')}) VALUES ${values}`, params });
  }
  const [ms] = await timed(async () => {
    for (const s of statements) await pool.query(s.sql, s.params);
  });
  return ms;
}

async function main() {
  log(`bench:relay ${SMALL ? 'small' : 'full'}: ${EVENTS} events from one terminal`);
  const database = await createTestDatabase('mostrador_bench_relay');
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  const central = await startCentralProcess(database.url);
  const folder = tempDir('mostrador-bench-relay-');
  const terminal = await openDataDir(folder.dir, { role: 'terminal' });
  const { identity } = terminal;
  const federation = await Federation.start({ db: terminal.db, route, projections: allProjections, identity, onTopics: () => undefined, onStoreChanged: () => undefined, realtime: false, pollMs: 3_600_000 });
  try {
    await federation.enroll({ centralUrl: central.url, code: await enrollmentCode(pool, identity.storeId) });
    await federation.syncNow();
    await federation.reconciled();
    const [loadMs, chunks] = await timed(() => loadTerminal(terminal.db, identity.storeId, identity.deviceId, EVENTS));
    const events = chunks.flat();
    log(`loaded ${events.length} sealed events with their outbox rows in ${fmt(loadMs / 1000, 1)} s`);
    await pool.query('CREATE TABLE plain_events (LIKE events INCLUDING ALL)');
    const half = Math.floor(events.length / 2);
    const plainA = await plainInserts(pool, events.slice(0, half));
    const [relayMs, status] = await timed(() => federation.syncNow());
    const plainB = await plainInserts(pool, events.slice(half));
    const [held] = (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE store_id = $1 AND device_id = $2', [identity.storeId, identity.deviceId])).rows;
    if (status.backlog !== 0 || held?.n !== events.length || status.lastError) throw new Error(`relay left backlog ${status.backlog}, central holds ${held?.n} of ${events.length}: ${status.lastError}`);
    const plainMs = plainA + plainB;
    const eventsPerS = events.length / (relayMs / 1000);
    const plainPerS = events.length / (plainMs / 1000);
    log(`relay ${fmt(relayMs, 0)} ms (push, verify, store-ordered insert, acknowledge); plain INSERTs ${fmt(plainA, 0)} + ${fmt(plainB, 0)} ms`);
    lastLine({ events_per_s: fmt(eventsPerS, 0), plain_per_s: fmt(plainPerS, 0), ratio: fmt(eventsPerS / plainPerS, 3), events: events.length });
  } finally {
    await federation.stop();
    await terminal.close();
    folder.remove();
    await central.stop();
    await pool.end();
    await database.drop();
  }
}

await main();
