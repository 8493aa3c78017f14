/**
 * bench:db — what durability costs one sale-shaped transaction. Ours: PGlite on SyncingFs through PgliteDb.write
 * (commit, then fsync of every file written = durable). Baseline, same run: bare PGlite on its stock filesystem
 * (never syncs), same schema, same rows, same statements. ratio_p99 = ours p99 / stock p99.
 *
 * The transaction: one SELECT … FOR UPDATE of 5 random rows of a 100k-row table, 8 single-row INSERTs, one
 * set-based UPDATE of the 5 rows — the shape of a sale (lock the items, write lines, move stock).
 */
import { randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { openPglite, type PgliteDb } from '../node/db/pglite.js';
import { tempDir } from '../test/support/tmp.js';
import { fmt, lastLine, log, percentile, prng, size, SMALL } from './support.js';

const ROWS = 100_000;
const N = size(2_000, 200);
// Warm-up: the first transactions fault pages into PGlite's buffer cache and open the relation files.
const WARMUP = size(100, 30);
const LINES = 8;
const LOCKED = 5;

// The table is built with generate_series in one statement (the project's rule: bulk data by SQL, not commands).
const SCHEMA = `
CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, barcode text NOT NULL, price bigint NOT NULL,
  stock bigint NOT NULL, updated_at timestamptz NOT NULL);
CREATE TABLE sale_lines (id bigserial PRIMARY KEY, sale_id uuid NOT NULL, item_id int NOT NULL, qty int NOT NULL,
  price bigint NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
CREATE INDEX sale_lines_by_sale ON sale_lines (sale_id);
INSERT INTO items SELECT i, 'Item ' || i, (7790000000000 + i)::text, 100 + (i * 37) % 100000, 1000000, now()
  FROM generate_series(1, ${ROWS}) AS i;`;

type Query = (sql: string, params?: unknown[]) => Promise<unknown>;

/** One sale: 1 locking SELECT + 8 INSERTs + 1 UPDATE, all parameterised (extended protocol, as the node does). */
async function sale(q: Query, ids: number[]): Promise<void> {
  const saleId = randomUUID();
  await q('SELECT id, price, stock FROM items WHERE id = ANY($1::int[]) FOR UPDATE', [ids]);
  for (let k = 0; k < LINES; k++) {
    await q('INSERT INTO sale_lines (sale_id, item_id, qty, price) VALUES ($1, $2, $3, $4)', [saleId, ids[k % LOCKED], 1 + k, 100 + k]);
  }
  await q('UPDATE items SET stock = stock - 1, updated_at = now() WHERE id = ANY($1::int[])', [ids]);
}

/** The same sequence of 5-id sets for both engines, so neither gets luckier rows. */
function idSets(count: number): number[][] {
  const rand = prng(42);
  return Array.from({ length: count }, () => {
    const set = new Set<number>();
    while (set.size < LOCKED) set.add(1 + Math.floor(rand() * ROWS));
    return [...set];
  });
}

const syncCount = (db: PgliteDb) => db.fs.stats.fileSyncs + db.fs.stats.dirSyncs;

async function main() {
  log(`bench:db ${SMALL ? 'small' : 'full'}: ${N} sale transactions on ${ROWS} rows, warm-up ${WARMUP}`);
  const oursDir = tempDir('mostrador-bench-db-ours-');
  const stockDir = tempDir('mostrador-bench-db-stock-');
  try {
    const ours = await openPglite(oursDir.dir);
    const stock = await PGlite.create(stockDir.dir);
    try {
      await ours.write((tx) => tx.exec(SCHEMA));
      await stock.exec(SCHEMA);
      // Statistics and a checkpoint on both, so the measured loop starts from the same settled state.
      for (const sql of ['VACUUM ANALYZE', 'CHECKPOINT']) {
        await ours.query(sql);
        await stock.query(sql);
      }
      ours.fs.syncNow();

      const runOurs = (ids: number[]) => ours.write((tx) => sale((s, p) => tx.query(s, p), ids));
      const runStock = (ids: number[]) => stock.transaction((tx) => sale((s, p) => tx.query(s, p), ids));

      const warm = idSets(WARMUP);
      for (const ids of warm) {
        await runOurs(ids);
        await runStock(ids);
      }

      const sets = idSets(N);
      const oursMs: number[] = [];
      const stockMs: number[] = [];
      const syncsBefore = syncCount(ours);
      const syncCallsBefore = ours.fs.stats.syncs;
      // Interleaved, alternating which goes first, so a noisy second on the machine hits both sides alike.
      for (let i = 0; i < N; i++) {
        const ids = sets[i]!;
        const order = i % 2 === 0 ? ['ours', 'stock'] : ['stock', 'ours'];
        for (const side of order) {
          const start = performance.now();
          if (side === 'ours') await runOurs(ids);
          else await runStock(ids);
          (side === 'ours' ? oursMs : stockMs).push(performance.now() - start);
        }
      }
      const fsyncs = (syncCount(ours) - syncsBefore) / N;
      const syncCalls = (ours.fs.stats.syncs - syncCallsBefore) / N;

      const [lines] = await ours.query<{ n: number }>('SELECT count(*)::int AS n FROM sale_lines');
      const expected = (WARMUP + N) * LINES;
      if (lines?.n !== expected) throw new Error(`expected ${expected} sale lines, found ${lines?.n}`);

      const p50 = percentile(oursMs, 50);
      const p99 = percentile(oursMs, 99);
      const sp50 = percentile(stockMs, 50);
      const sp99 = percentile(stockMs, 99);
      log(`ours  (SyncingFs, durable): p50 ${fmt(p50)} ms  p99 ${fmt(p99)} ms  max ${fmt(Math.max(...oursMs))} ms`);
      log(`stock (NodeFS, no sync):    p50 ${fmt(sp50)} ms  p99 ${fmt(sp99)} ms  max ${fmt(Math.max(...stockMs))} ms`);
      log(`fsyncs per commit ${fmt(fsyncs)} (file+dir), syncNow calls per commit ${fmt(syncCalls)}`);
      lastLine({
        p50_ms: fmt(p50),
        p99_ms: fmt(p99),
        stock_p50_ms: fmt(sp50),
        stock_p99_ms: fmt(sp99),
        ratio_p99: fmt(p99 / sp99),
        fsyncs_per_commit: fmt(fsyncs),
      });
    } finally {
      await ours.close();
      await stock.close();
    }
  } finally {
    oursDir.remove();
    stockDir.remove();
  }
}

await main();
