/**
 * bench:command — products.create through the whole command path (productHandlers → CommandRunner: idempotency
 * lookup + head lock, decide, seal, project, one-statement append of event/head/outbox/result, commit, sync) over a
 * terminal data folder holding 100k products and 1M events (small: 10k / 100k).
 *
 * Baselines in the same run, interleaved with it:
 *  A. bare: the same rows (event, head, product, outbox, result) as ONE hand-written transaction through the same
 *     db.write on the same folder — what the path's bookkeeping costs over the writes it has to make anyway;
 *  B. pg: the same command path against native PostgreSQL (central role, synchronous_commit on) with the same volumes.
 * ratio_p99 = command p99 / bare p99. The statement count and per-statement time show where the time goes.
 */
import { randomBytes } from 'node:crypto';
import { contract } from '../shared/contract/index.js';
import { formatHlc } from '../shared/hlc.js';
import { newId } from '../shared/ids.js';
import { wireDomains } from '../node/dispatch.js';
import { loadMigrations, migrate } from '../node/db/migrate.js';
import type { PgliteDb } from '../node/db/pglite.js';
import { openPostgres } from '../node/db/postgres.js';
import type { Db, WriteTx } from '../node/db/types.js';
import { ensureIdentity, type Identity } from '../node/runtime/identity.js';
import { openDataDir } from '../node/runtime/open.js';
import { migrationsDir } from '../node/runtime/paths.js';
import { createTestDatabase } from '../test/support/postgres.js';
import { tempDir } from '../test/support/tmp.js';
import { commandCall } from '../test/support/calls.js';
import { baseMs, bulkJournal, bulkProducts, fmt, lastLine, log, percentile, settle, size, SMALL, timed } from './support.js';

const PRODUCTS = size(100_000, 10_000);
const EVENTS = size(1_000_000, 100_000);
const N = size(1_000, 200);
const WARMUP = size(50, 20);

/** Counts and times every statement a transaction runs, by its first words, to say where a command's time goes. */
class Probe {
  statements = 0;
  byKind = new Map<string, number>();
  wrap(db: Db): Db {
    const probe = this;
    const write: Db['write'] = (fn) =>
      db.write((tx) =>
        fn({
          async query(sql, params) {
            const [ms, rows] = await timed(() => tx.query(sql, params));
            probe.statements++;
            const kind = sql.replace(/\s+/g, ' ').trim().slice(0, 38);
            probe.byKind.set(kind, (probe.byKind.get(kind) ?? 0) + ms);
            return rows;
          },
          exec: (sql: string) => tx.exec(sql),
        } as WriteTx),
      );
    return { engine: db.engine, query: (s, p) => db.query(s, p), write, sizeBytes: () => db.sizeBytes(), close: () => db.close() };
  }
  reset() {
    this.statements = 0;
    this.byKind.clear();
  }
}

function createInput(tag: string, i: number) {
  return contract['products.create'].input.parse({ name: `Bench ${tag} ${i}`, price: 1000 + i, barcodes: [`BENCH${tag}${i}`] });
}

/** A command path (runner + products handlers) over a Db; returns "create product number i". */
async function commandPath(db: Db, identity: Identity, tag: string) {
  const { handlers, own } = wireDomains({ db, identity }, { status: () => Promise.reject(new Error('no status in a benchmark')) });
  return (i: number) => handlers['products.create'](createInput(tag, i), commandCall(own));
}

/**
 * Baseline A: the five rows the command writes, as five plain statements in one transaction. The head moves with
 * UPDATE … FROM itself (old hash in the same statement), so it continues the same chain the command path uses.
 */
function bareTransaction(db: Db, identity: Identity) {
  const { storeId, deviceId, currency } = identity;
  return (i: number) =>
    db.write(async (tx) => {
      const productId = newId();
      const eventId = newId();
      const commandId = newId();
      const now = new Date();
      const hlc = formatHlc({ wall: now.getTime(), counter: 0, node: deviceId });
      const fields = { name: `Bench bare ${i}`, sku: null, barcodes: [`BENCHbare${i}`], price: 1000 + i, currency, cost: null,
        taxRateBp: 0, category: null, unit: 'unit', trackStock: true, minStock: null };
      const fieldHlc = Object.fromEntries(['_last', ...Object.keys(fields)].map((k) => [k, hlc]));
      const [head] = await tx.query<{ seq: number; prev: string }>(
        `UPDATE journal_head h SET seq = o.seq + 1, hash = $3, hlc = $4 FROM journal_head o
         WHERE h.store_id = $1 AND h.device_id = $2 AND o.store_id = h.store_id AND o.device_id = h.device_id
         RETURNING h.seq, o.hash AS prev`,
        [storeId, deviceId, randomBytes(32).toString('hex'), hlc],
      );
      await tx.query(
        `INSERT INTO events (store_id, event_id, command_id, device_id, device_seq, type, version, payload, actor_id, hlc,
           created_at, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, 'ProductCreated', 1, $6, 'owner', $7, $8, $9, $10)`,
        [storeId, eventId, commandId, deviceId, head!.seq, JSON.stringify({ productId, ...fields }), hlc, now, head!.prev, randomBytes(32).toString('hex')],
      );
      await tx.query(
        `INSERT INTO products (store_id, id, name, sku, barcodes, price, currency, cost, tax_rate_bp, category, unit,
           track_stock, min_stock, version, field_hlc, created_at, created_by, updated_at, updated_by)
         VALUES ($1, $2, $3, null, $4, $5, $6, null, 0, null, 'unit', true, null, 1, $7, $8, 'owner', $8, 'owner')`,
        [storeId, productId, fields.name, fields.barcodes, fields.price, currency, JSON.stringify(fieldHlc), now],
      );
      await tx.query('INSERT INTO outbox (store_id, device_seq, event_id) VALUES ($1, $2, $3)', [storeId, head!.seq, eventId]);
      await tx.query(
        `INSERT INTO command_results (store_id, command_id, method, input_hash, result, actor_id)
         VALUES ($1, $2, 'products.create', $3, $4, 'owner')`,
        [storeId, commandId, randomBytes(32).toString('hex'), JSON.stringify({ id: productId, ...fields, version: 1 })],
      );
    });
}

async function fill(db: Db, identity: Identity) {
  const base = baseMs(EVENTS);
  const [ms] = await timed(async () => {
    await bulkProducts(db, identity.storeId, identity.deviceId, identity.currency, 1, PRODUCTS, base);
    await bulkJournal(db, identity.storeId, identity.deviceId, 1, EVENTS, base, { results: true });
    await settle(db);
  });
  log(`${db.engine}: ${PRODUCTS} products, ${EVENTS} events + command_results in ${fmt(ms / 1000, 1)} s, ${fmt((await db.sizeBytes()) / 2 ** 20, 0)} MB`);
}


async function main() {
  log(`bench:command ${SMALL ? 'small' : 'full'}: ${N} products.create after ${WARMUP} warm-up, over ${PRODUCTS} products / ${EVENTS} events`);
  const folder = tempDir('mostrador-bench-command-');
  const central = await createTestDatabase('mostrador_bench');
  const store = await openDataDir(folder.dir, { role: 'terminal' });
  const pgDb = openPostgres(central.url, { max: 2 });
  try {
    await fill(store.db, store.identity);
    await migrate(pgDb, loadMigrations(migrationsDir(), 'central'));
    const pgIdentity = await ensureIdentity(pgDb, 'central', 'ARS');
    await fill(pgDb, pgIdentity);

    const probe = new Probe();
    const bareProbe = new Probe();
    const pglite = store.db as PgliteDb;
    // Time spent in the fsyncs that make each commit durable (SyncingFs.syncNow), apart from the statements.
    let syncMs = 0;
    const syncNow = pglite.fs.syncNow.bind(pglite.fs);
    pglite.fs.syncNow = () => {
      const start = performance.now();
      syncNow();
      syncMs += performance.now() - start;
    };
    const steps: Record<'command' | 'bare' | 'pg', (i: number) => Promise<unknown>> = {
      command: await commandPath(probe.wrap(store.db), store.identity, 'cmd'),
      bare: bareTransaction(bareProbe.wrap(store.db), store.identity),
      pg: await commandPath(pgDb, pgIdentity, 'pg'),
    };
    for (let i = 0; i < WARMUP; i++) for (const step of Object.values(steps)) await step(-1 - i);

    probe.reset();
    bareProbe.reset();
    const names = Object.keys(steps) as (keyof typeof steps)[];
    const samples = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<keyof typeof steps, number[]>;
    const syncs = { command: { ms: 0, fsyncs: 0 }, bare: { ms: 0, fsyncs: 0 } };
    const fsyncCount = () => pglite.fs.stats.fileSyncs + pglite.fs.stats.dirSyncs;
    let commandTotal = 0;
    // Interleaved, rotating who goes first, so machine noise lands on all three alike.
    for (let i = 0; i < N; i++) {
      for (let k = 0; k < names.length; k++) {
        const name = names[(i + k) % names.length]!;
        const [syncBefore, fsyncsBefore] = [syncMs, fsyncCount()];
        const [ms] = await timed(() => steps[name](i));
        samples[name].push(ms);
        if (name === 'pg') continue;
        syncs[name].ms += syncMs - syncBefore;
        syncs[name].fsyncs += fsyncCount() - fsyncsBefore;
        if (name === 'command') commandTotal += ms;
      }
    }

    const [count] = await store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
    const expected = EVENTS + 2 * (WARMUP + N);
    if (count?.n !== expected) throw new Error(`expected ${expected} events, found ${count?.n}`);

    const p = (name: keyof typeof steps, q: number) => percentile(samples[name], q);
    log(`command: p50 ${fmt(p('command', 50))} ms  p99 ${fmt(p('command', 99))} ms  (mean ${fmt(commandTotal / N)} ms)`);
    log(`bare:    p50 ${fmt(p('bare', 50))} ms  p99 ${fmt(p('bare', 99))} ms`);
    log(`pg:      p50 ${fmt(p('pg', 50))} ms  p99 ${fmt(p('pg', 99))} ms`);
    log(`command path: ${fmt(probe.statements / N, 1)} statements per command inside the transaction (+ BEGIN/COMMIT); bare: 5`);
    for (const [kind, ms] of probe.byKind) log(`  ${fmt(ms / N, 3)} ms/command  ${kind}…`);
    const inStatements = [...probe.byKind.values()].reduce((a, b) => a + b, 0) / N;
    log(`  ${fmt(syncs.command.ms / N, 3)} ms/command  fsync (SyncingFs.syncNow), ${fmt(syncs.command.fsyncs / N)} fsyncs per commit`);
    log(`  ${fmt(commandTotal / N - inStatements - syncs.command.ms / N, 3)} ms/command  the rest (JS: hashing, sealing, projection; BEGIN/COMMIT)`);
    const bareStatements = [...bareProbe.byKind.values()].reduce((a, b) => a + b, 0) / N;
    log(`bare: ${fmt(bareStatements, 3)} ms/commit in its ${fmt(bareProbe.statements / N, 1)} statements, ${fmt(syncs.bare.ms / N, 3)} ms in fsync (${fmt(syncs.bare.fsyncs / N)} per commit)`);
    log(`command: ${fmt(inStatements, 3)} ms/command in its statements`);
    lastLine({
      p50_ms: fmt(p('command', 50)),
      p99_ms: fmt(p('command', 99)),
      bare_p99_ms: fmt(p('bare', 99)),
      pg_p99_ms: fmt(p('pg', 99)),
      ratio_p99: fmt(p('command', 99) / p('bare', 99)),
      bare_p50_ms: fmt(p('bare', 50)),
      pg_p50_ms: fmt(p('pg', 50)),
      statements_per_command: fmt(probe.statements / N, 1),
    });
  } finally {
    await store.close();
    await pgDb.close();
    await central.drop();
    folder.remove();
  }
}

await main();
