/**
 * bench:burst — 2,000 catalog searches (`products.list` with a search, each on its own connection) sent at once to a
 * whole node in this process over 20k products (small: 500 searches over 5k), while a till sends `products.create`
 * every 50 ms until the searches are answered. The client runs in a worker thread (test/support/burst.ts).
 *
 * Baseline in the same run: the same till writing with no burst, before and after it (`idle_*`).
 * ratio_p99 = write p99 under the burst / idle write p99. Also how the searches were answered: 200, 503 busy, other.
 */
import { burst, type BurstOutcome } from '../test/support/burst.js';
import { startTestNode } from '../test/support/node.js';
import { bulkProducts, baseMs, fmt, lastLine, log, percentile, size, SMALL } from './support.js';

const PRODUCTS = size(20_000, 5_000);
const READS = size(2_000, 500);
const IDLE_WRITES = size(40, 20);

async function main() {
  log(`bench:burst ${SMALL ? 'small' : 'full'}: ${READS} searches at once over ${PRODUCTS} products, a write every 50 ms`);
  const t = await startTestNode();
  try {
    const { storeId, deviceId, currency } = t.node.store.identity;
    await bulkProducts(t.node.store.db, storeId, deviceId, currency, 1, PRODUCTS, baseMs(PRODUCTS));
    await t.node.store.db.query('ANALYZE');
    const idle = async (): Promise<BurstOutcome> => burst(t.node, { reads: 0, minWrites: IDLE_WRITES / 2, search: '' });
    const before = await idle();
    const under = await burst(t.node, { reads: READS, minWrites: 20, search: 'producto 4' });
    const after = await idle();

    const idleMs = [...before.writes, ...after.writes].map((w) => w.ms);
    const writeMs = under.writes.map((w) => w.ms);
    const failedWrites = under.writes.filter((w) => w.status !== 200).length;
    const count = (pick: (s: number) => boolean) => under.reads.filter((a) => pick(a.status)).length;
    const readMs = under.reads.map((a) => a.ms);
    log(`writes under the burst: n=${writeMs.length} p50 ${fmt(percentile(writeMs, 50))} ms p99 ${fmt(percentile(writeMs, 99))} ms, ${failedWrites} not 200`);
    log(`idle writes: n=${idleMs.length} p50 ${fmt(percentile(idleMs, 50))} ms p99 ${fmt(percentile(idleMs, 99))} ms`);
    log(`searches: ${count((s) => s === 200)} × 200, ${count((s) => s === 503)} × 503, ${count((s) => s !== 200 && s !== 503)} other; ` +
      `p50 ${fmt(percentile(readMs, 50), 0)} ms p99 ${fmt(percentile(readMs, 99), 0)} ms; wall ${fmt(under.wallMs / 1000, 1)} s`);
    lastLine({
      write_p50_ms: fmt(percentile(writeMs, 50)),
      write_p99_ms: fmt(percentile(writeMs, 99)),
      idle_write_p50_ms: fmt(percentile(idleMs, 50)),
      idle_write_p99_ms: fmt(percentile(idleMs, 99)),
      ratio_p99: fmt(percentile(writeMs, 99) / percentile(idleMs, 99)),
      writes_failed: failedWrites,
      reads_ok: count((s) => s === 200),
      reads_busy: count((s) => s === 503),
      reads_other: count((s) => s !== 200 && s !== 503),
      read_p99_ms: fmt(percentile(readMs, 99), 0),
    });
  } finally {
    await t.stop();
  }
}

await main();
