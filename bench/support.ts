/**
 * What the benchmarks share: the size switch, percentiles, the `key=value` last line, and the bulk SQL that fills a
 * journal/catalog quickly. Data is generated inside the database with generate_series (one statement per batch):
 * going through commands would take hours at 1M events and would measure the generator, not the path under test.
 */
import type { Db, WriteTx } from '../node/db/types.js';

/** Full sizes by default; BENCH_SMALL=1 or --small for CI (each bench < 60 s). */
export const SMALL = process.env.BENCH_SMALL === '1' || process.argv.includes('--small');
export const size = <T>(full: T, small: T): T => (SMALL ? small : full);

/** Nearest-rank percentile: with 200 samples p99 is the 2nd worst, not an interpolation between two outliers. */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? NaN;
}

export const median = (samples: readonly number[]): number => percentile(samples, 50);

export const fmt = (n: number, digits = 2): string => (Number.isFinite(n) ? n.toFixed(digits) : 'NaN');

/** The line CI and the closing note parse: always the last thing a bench prints. */
export function lastLine(pairs: Record<string, string | number>): void {
  console.log(Object.entries(pairs).map(([k, v]) => `${k}=${v}`).join(' '));
}

export const log = (message: string): void => console.log(`# ${message}`);

export async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const value = await fn();
  return [performance.now() - start, value];
}

/** Deterministic PRNG so both sides of a comparison get the same "random" rows. */
export { seededRandom as prng } from '../test/support/random.js';

// ---------------------------------------------------------------------------------------------------------------
// Bulk generation. Ids are uuid v7-shaped and time-ordered (like newId), so the primary-key indexes grow at their
// right edge as they do in production; random uuids would give a fragmented index that new v7 ids never touch.
// Row i happens at BASE_MS + i s: in the past, so the commands measured afterwards tick the clock forward.

const BATCH = 100_000;
const STEP_MS = 1000;
export const baseMs = (count: number): number => Date.now() - count * STEP_MS - 86_400_000;

/** SQL for a v7-shaped uuid from a millisecond expression and a seed text. */
const v7 = (msExpr: string, seed: string) =>
  `(lpad(to_hex(${msExpr}), 12, '0') || '7' || substr(md5(${seed}), 1, 3) || '8' || substr(md5(${seed}), 4, 15))::uuid`;
const hashOf = (i: string) => `(md5('h' || ${i}) || md5('H' || ${i}))`;
const hlcOf = (msExpr: string) => `(lpad((${msExpr})::text, 15, '0') || '-000000-' || $2::uuid::text)`;

async function batches(db: Db, from: number, count: number, run: (tx: WriteTx, lo: number, hi: number) => Promise<void>) {
  for (let lo = from; lo < from + count; lo += BATCH) {
    const hi = Math.min(from + count - 1, lo + BATCH - 1);
    await db.write((tx) => run(tx, lo, hi));
  }
}

/**
 * Products i = from..from+count-1, barcode 779… + i (the bench's own creates use BENCH… barcodes, never clashing).
 * `nameSql` is an SQL expression of i for the name (bench:lookup wants names that look like a shop's).
 */
export async function bulkProducts(db: Db, storeId: string, deviceId: string, currency: string, from: number, count: number, base: number, nameSql = `'Producto ' || i`) {
  await batches(db, from, count, (tx, lo, hi) =>
    tx.query(
      `INSERT INTO products (store_id, id, name, sku, barcodes, price, currency, cost, tax_rate_bp, category, unit,
         track_stock, min_stock, version, field_hlc, created_at, created_by, updated_at, updated_by)
       SELECT $1::uuid, ${v7(`$4::bigint + i * ${STEP_MS}`, `'p' || i`)}, ${nameSql}, 'SKU-' || i,
         ARRAY[(7790000000000 + i)::text], 100 + (i * 37) % 100000, $3, 50 + (i * 17) % 50000, 2100,
         'Categoria ' || (i % 40), 'unit', true, null, 1,
         jsonb_build_object('_last', h, 'name', h, 'sku', h, 'barcodes', h, 'price', h, 'cost', h, 'taxRateBp', h,
           'category', h, 'unit', h, 'trackStock', h, 'minStock', h),
         to_timestamp(($4::bigint + i * ${STEP_MS}) / 1000.0), 'owner', to_timestamp(($4::bigint + i * ${STEP_MS}) / 1000.0), 'owner'
       FROM generate_series($5::bigint, $6::bigint) AS i, LATERAL (SELECT ${hlcOf(`$4::bigint + i * ${STEP_MS}`)} AS h) AS c`,
      [storeId, deviceId, currency, base, lo, hi],
    ).then(() => undefined),
  );
}

/**
 * Events device_seq = from..from+count-1 of one device, chained loosely (prev_hash = the synthetic hash of seq - 1),
 * with ProductCreated/PriceChanged payloads of realistic size. Also its command_results row, and moves the
 * device's journal_head to the last one so the next command continues the chain.
 */
export async function bulkJournal(db: Db, storeId: string, deviceId: string, from: number, count: number, base: number, opts: { results: boolean }) {
  const ms = `$3::bigint + i * ${STEP_MS}`;
  await batches(db, from, count, async (tx, lo, hi) => {
    await tx.query(
      `INSERT INTO events (store_id, event_id, command_id, device_id, device_seq, type, version, payload, actor_id, hlc,
         created_at, prev_hash, hash)
       SELECT $1::uuid, ${v7(ms, `'e' || i`)}, ${v7(ms, `'c' || i`)}, $2::uuid, i,
         CASE WHEN i % 4 = 0 THEN 'PriceChanged' ELSE 'ProductCreated' END, 1,
         CASE WHEN i % 4 = 0
           THEN jsonb_build_object('productId', ${v7(ms, `'p' || i`)}, 'price', 100 + i % 9000, 'previousPrice', 90 + i % 9000,
             'currency', 'ARS', 'reason', null)
           ELSE jsonb_build_object('productId', ${v7(ms, `'p' || i`)}, 'name', 'Producto ' || i, 'sku', 'SKU-' || i,
             'barcodes', jsonb_build_array((7790000000000 + i)::text), 'price', 100 + (i * 37) % 100000, 'currency', 'ARS',
             'cost', 50 + (i * 17) % 50000, 'taxRateBp', 2100, 'category', 'Categoria ' || (i % 40), 'unit', 'unit',
             'trackStock', true, 'minStock', null)
         END, 'owner', ${hlcOf(ms)}, to_timestamp((${ms}) / 1000.0),
         CASE WHEN i = 1 THEN repeat('0', 64) ELSE ${hashOf('(i - 1)')} END, ${hashOf('i')}
       FROM generate_series($4::bigint, $5::bigint) AS i`,
      [storeId, deviceId, base, lo, hi],
    );
    if (opts.results) {
      // No device id in this statement: PostgreSQL refuses a parameter it cannot type.
      const msR = `$2::bigint + i * ${STEP_MS}`;
      await tx.query(
        `INSERT INTO command_results (store_id, command_id, method, input_hash, result, actor_id, created_at)
         SELECT $1::uuid, ${v7(msR, `'c' || i`)}, CASE WHEN i % 4 = 0 THEN 'products.changePrice' ELSE 'products.create' END,
           ${hashOf(`'i' || i`)}, jsonb_build_object('id', ${v7(msR, `'p' || i`)}, 'name', 'Producto ' || i, 'sku', 'SKU-' || i,
             'barcodes', jsonb_build_array((7790000000000 + i)::text), 'price', 100 + (i * 37) % 100000, 'currency', 'ARS',
             'cost', null, 'taxRateBp', 2100, 'category', null, 'unit', 'unit', 'trackStock', true, 'minStock', null,
             'version', 1, 'createdBy', 'owner', 'updatedBy', 'owner'),
           'owner', to_timestamp((${msR}) / 1000.0)
         FROM generate_series($3::bigint, $4::bigint) AS i`,
        [storeId, base, lo, hi],
      );
    }
    const last = `$3::bigint + $4::bigint * ${STEP_MS}`;
    await tx.query(
      `INSERT INTO journal_head (store_id, device_id, seq, hash, hlc)
       VALUES ($1::uuid, $2::uuid, $4::bigint, ${hashOf('$4::bigint')}, (lpad((${last})::text, 15, '0') || '-000000-' || $2::uuid::text))
       ON CONFLICT (store_id, device_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, hlc = excluded.hlc`,
      [storeId, deviceId, base, hi],
    );
  });
}

/**
 * After a bulk load: statistics for the planner and a checkpoint, so the measured commands neither plan against an
 * empty table nor pay for writing back the load's dirty pages. Then one write, which on PGlite syncs the files.
 */
export async function settle(db: Db): Promise<void> {
  await db.query('VACUUM ANALYZE');
  await db.query('CHECKPOINT');
  await db.write(async () => undefined);
}
