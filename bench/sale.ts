/**
 * bench:sale — sales.complete (5 lines, card + cash with change) through the whole command path (salesHandlers →
 * CommandRunner: idempotency + head lock, settings, till session, products, stock levels, fiscal range, decide,
 * seal, project sale + stock movements + fiscal range, one-statement append of event/head/outbox/result, commit,
 * sync) over a terminal data folder holding 100k products and 1M events (small: 10k / 100k).
 *
 * Baselines in the same run, interleaved with it:
 *  A. bare: the same rows (event, head, sale, 5 stock movements, stock levels, fiscal range, outbox, result) as ONE
 *     hand-written transaction with one statement per table, through the same synced db.write on the same folder;
 *  B. pg: the same command path against native PostgreSQL 15 (central role) with the same volumes.
 * ratio_p99 = command p99 / bare p99.
 */
import { randomBytes } from 'node:crypto';
import { contract } from '../shared/contract/index.js';
import { formatHlc } from '../shared/hlc.js';
import { newId } from '../shared/ids.js';
import { lineGross } from '../shared/sale-math.js';
import { wireDomains } from '../node/dispatch.js';
import { loadMigrations, migrate } from '../node/db/migrate.js';
import { openPostgres } from '../node/db/postgres.js';
import type { Db, WriteTx } from '../node/db/types.js';
import { ensureIdentity, type Identity } from '../node/runtime/identity.js';
import { openDataDir } from '../node/runtime/open.js';
import { migrationsDir } from '../node/runtime/paths.js';
import { createTestDatabase } from '../test/support/postgres.js';
import { tempDir } from '../test/support/tmp.js';
import { commandCall, queryCall } from '../test/support/calls.js';
import { baseMs, bulkJournal, bulkProducts, fmt, lastLine, log, percentile, prng, settle, size, SMALL, timed } from './support.js';

const PRODUCTS = size(100_000, 10_000);
const EVENTS = size(1_000_000, 100_000);
const N = size(1_000, 200);
const WARMUP = size(50, 20);
const LINES = 5;

/** Counts every statement a transaction runs, by its first words. */
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
            const kind = sql.replace(/\s+/g, ' ').trim().slice(0, 48);
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

type Catalog = { id: string; price: number }[];

async function catalogSample(db: Db, storeId: string): Promise<Catalog> {
  return db.query<{ id: string; price: number }>('SELECT id::text AS id, price FROM products WHERE store_id = $1 ORDER BY id LIMIT 5000', [storeId]);
}

/** The i-th sale: 5 products picked by a seeded generator, card pays a part, cash the rest with change. */
function saleInput(catalog: Catalog, tillSessionId: string, random: () => number) {
  const lines = Array.from({ length: LINES }, () => {
    const p = catalog[Math.floor(random() * catalog.length)]!;
    return { productId: p.id, quantity: 1000 + Math.floor(random() * 3) * 1000, price: p.price };
  });
  const total = lines.reduce((s, l) => s + lineGross(l.quantity, l.price), 0);
  const card = Math.floor(total / 2);
  return contract['sales.complete'].input.parse({
    tillSessionId,
    lines: lines.map(({ productId, quantity }) => ({ productId, quantity })),
    tenders: [{ kind: 'card', amount: card, reference: 'VISA' }, { kind: 'cash', received: total - card + 5000 }],
  });
}

async function commandPath(db: Db, identity: Identity) {
  const { handlers, own } = wireDomains({ db, identity }, { status: () => Promise.reject(new Error('no status in a benchmark')) });
  const { denominations } = await handlers['cash.settings']({}, queryCall(own));
  const till = await handlers['cash.open'](contract['cash.open'].input.parse({ float: [{ denomination: denominations[0]!, count: 1 }] }), commandCall(own));
  const catalog = await catalogSample(db, identity.storeId);
  const random = prng(7);
  return (_i: number) => handlers['sales.complete'](saleInput(catalog, till.id, random), commandCall(own, 'cashier'));
}

/** Baseline A: the rows a sale writes, one plain statement per table, in one synced transaction. */
async function bareTransaction(db: Db, identity: Identity) {
  const { storeId, deviceId, currency } = identity;
  const catalog = await catalogSample(db, storeId);
  const random = prng(11);
  const rangeId = newId();
  await db.write((tx) =>
    tx.query(`INSERT INTO fiscal_ranges VALUES ($1, $2, $3, 'BARE', 'ticket', 1, 1000000000, 1, 'self', null, true)`, [storeId, rangeId, deviceId]),
  );
  return (i: number) =>
    db.write(async (tx) => {
      const saleId = newId();
      const eventId = newId();
      const commandId = newId();
      const now = new Date();
      const hlc = formatHlc({ wall: now.getTime(), counter: 0, node: deviceId });
      const lines = Array.from({ length: LINES }, () => catalog[Math.floor(random() * catalog.length)]!).map((p) => ({
        lineId: newId(), productId: p.id, name: 'Producto', barcode: null, quantity: 1000, unit: 'unit', unitPrice: p.price, listPrice: p.price,
        discount: 0, total: p.price, taxRateBp: 2100, location: 'store',
      }));
      const payload = { saleId, tillSessionId: newId(), ticketId: null, fiscal: { series: 'BARE', docType: 'ticket', number: i + 1, rangeId }, currency, lines,
        ticketDiscount: 0, total: 0, rounding: 0, taxes: [], tenders: [], change: 0, cashierId: 'cashier', approvals: [] };
      const [head] = await tx.query<{ seq: number; prev: string }>(
        `UPDATE journal_head h SET seq = o.seq + 1, hash = $3, hlc = $4 FROM journal_head o
         WHERE h.store_id = $1 AND h.device_id = $2 AND o.store_id = h.store_id AND o.device_id = h.device_id
         RETURNING h.seq, o.hash AS prev`,
        [storeId, deviceId, randomBytes(32).toString('hex'), hlc],
      );
      await tx.query(
        `INSERT INTO events (store_id, event_id, command_id, device_id, device_seq, type, version, payload, actor_id, hlc,
           created_at, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, 'SaleCreated', 1, $6, 'cashier', $7, $8, $9, $10)`,
        [storeId, eventId, commandId, deviceId, head!.seq, JSON.stringify(payload), hlc, now, head!.prev, randomBytes(32).toString('hex')],
      );
      await tx.query(
        `INSERT INTO sales (store_id, id, device_id, till_session_id, fiscal_series, fiscal_number, row) VALUES ($1, $2, $3, $4, 'BARE', $5, $6)`,
        [storeId, saleId, deviceId, payload.tillSessionId, i + 1, JSON.stringify({ saleId, sale: payload, refunds: [], voided: null })],
      );
      const moves = JSON.stringify(lines.map((l, pos) => ({ pos, productId: l.productId, quantity: -l.quantity })));
      await tx.query(
        `INSERT INTO stock_movements (store_id, source_id, pos, product_id, location, quantity, kind, event_id)
         SELECT $1::uuid, $2::uuid, r.pos, r."productId", 'store', r.quantity, 'sale', $3::uuid FROM jsonb_to_recordset($4::jsonb) AS r(pos int, "productId" uuid, quantity bigint)`,
        [storeId, saleId, eventId, moves],
      );
      await tx.query(
        `INSERT INTO stock_levels (store_id, product_id, location, quantity)
         SELECT $1::uuid, r."productId", 'store', sum(r.quantity) FROM jsonb_to_recordset($2::jsonb) AS r("productId" uuid, quantity bigint) GROUP BY 1, 2, 3
         ON CONFLICT (store_id, product_id, location) DO UPDATE SET quantity = stock_levels.quantity + excluded.quantity`,
        [storeId, moves],
      );
      await tx.query('UPDATE fiscal_ranges SET next = next + 1 WHERE store_id = $1 AND id = $2', [storeId, rangeId]);
      await tx.query('INSERT INTO outbox (store_id, device_seq, event_id) VALUES ($1, $2, $3)', [storeId, head!.seq, eventId]);
      await tx.query(
        `INSERT INTO command_results (store_id, command_id, method, input_hash, result, actor_id) VALUES ($1, $2, 'sales.complete', $3, $4, 'cashier')`,
        [storeId, commandId, randomBytes(32).toString('hex'), JSON.stringify({ saleId, receipt: payload })],
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
  log(`${db.engine}: ${PRODUCTS} products, ${EVENTS} events + command_results in ${fmt(ms / 1000, 1)} s`);
}

async function main() {
  log(`bench:sale ${SMALL ? 'small' : 'full'}: ${N} sales.complete (${LINES} lines, 2 tenders) after ${WARMUP} warm-up, over ${PRODUCTS} products / ${EVENTS} events`);
  const folder = tempDir('mostrador-bench-sale-');
  const central = await createTestDatabase('mostrador_bench_sale');
  const store = await openDataDir(folder.dir, { role: 'terminal' });
  const pgDb = openPostgres(central.url, { max: 2 });
  try {
    await fill(store.db, store.identity);
    await migrate(pgDb, loadMigrations(migrationsDir(), 'central'));
    const pgIdentity = await ensureIdentity(pgDb, 'central', 'ARS');
    await fill(pgDb, pgIdentity);

    const probe = new Probe();
    const bareProbe = new Probe();
    const steps: Record<'command' | 'bare' | 'pg', (i: number) => Promise<unknown>> = {
      command: await commandPath(probe.wrap(store.db), store.identity),
      bare: await bareTransaction(bareProbe.wrap(store.db), store.identity),
      pg: await commandPath(pgDb, pgIdentity),
    };
    for (let i = 0; i < WARMUP; i++) for (const step of Object.values(steps)) await step(1_000_000 + i);

    probe.reset();
    bareProbe.reset();
    const names = Object.keys(steps) as (keyof typeof steps)[];
    const samples = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<keyof typeof steps, number[]>;
    for (let i = 0; i < N; i++) {
      for (let k = 0; k < names.length; k++) {
        const name = names[(i + k) % names.length]!;
        const [ms] = await timed(() => steps[name](i));
        samples[name].push(ms);
      }
    }
    const [count] = await store.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM sales WHERE fiscal_series <> 'BARE'`);
    if (count?.n !== WARMUP + N) throw new Error(`expected ${WARMUP + N} sales, found ${count?.n}`);

    const p = (name: keyof typeof steps, q: number) => percentile(samples[name], q);
    log(`command: p50 ${fmt(p('command', 50))} ms  p99 ${fmt(p('command', 99))} ms`);
    log(`bare:    p50 ${fmt(p('bare', 50))} ms  p99 ${fmt(p('bare', 99))} ms  (${fmt(bareProbe.statements / N, 1)} statements)`);
    log(`pg:      p50 ${fmt(p('pg', 50))} ms  p99 ${fmt(p('pg', 99))} ms`);
    log(`command path: ${fmt(probe.statements / N, 1)} statements per sale inside the transaction (+ BEGIN/COMMIT)`);
    for (const [kind, ms] of probe.byKind) log(`  ${fmt(ms / N, 3)} ms/sale  ${kind}…`);
    lastLine({
      p50_ms: fmt(p('command', 50)),
      p99_ms: fmt(p('command', 99)),
      bare_p99_ms: fmt(p('bare', 99)),
      pg_p99_ms: fmt(p('pg', 99)),
      ratio_p99: fmt(p('command', 99) / p('bare', 99)),
      statements_per_sale: fmt(probe.statements / N, 1),
    });
  } finally {
    await store.close();
    await pgDb.close();
    await central.drop();
    folder.remove();
  }
}

await main();
