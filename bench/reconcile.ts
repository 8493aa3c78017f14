/**
 * bench:reconcile — what reconciliation costs (R12, node/reconcile): a terminal (PGlite) against a central's
 * database (PGlite, role central), both holding one other device's log. The central side is wrapped so that every
 * call's arguments and answer are measured as JSON: `_bytes` is what the two peers exchanged.
 *
 * 1. In sync with 100k events (small: 5k): `in_sync_100k_ms`; then with 1M (small: 50k): `in_sync_ms`,
 *    `in_sync_bytes`. The aim: ≤ 1 s, ≤ 100 KB, and 1M at most 2× 100k (cost follows the divergence, not the history).
 * 2. Then 10, 1,000 and 100,000 (small: 10, 100, 1,000) events the central holds and the terminal misses (the
 *    device's newest tail): `missingN_ms` and `missingN_bytes`, each until both sides are in sync again, replay
 *    through remote apply (projections) included.
 *
 * The history is generated in bulk by SQL (bench/support.ts bulkJournal: synthetic hashes, 3,600 events an hour);
 * the missing tails are sealed events that continue that chain, so remote apply checks and projects them.
 */
import { newId } from '../shared/ids.js';
import type { EventEnvelope } from '../shared/events.js';
import { route } from '../node/domains.js';
import type { ChainHead } from '../node/journal/chain.js';
import { INSERT_EVENTS } from '../node/journal/store.js';
import { applyReceiver, dbPeer, reconcile, type ReconcilePeer, type ReconcileReport } from '../node/reconcile/index.js';
import { openDataDir, type OpenStore } from '../node/runtime/open.js';
import { deviceLog } from '../test/support/eventlog.js';
import { tempDir } from '../test/support/tmp.js';
import { baseMs, bulkJournal, fmt, lastLine, log, median, settle, size, SMALL, timed } from './support.js';

const HISTORY_SMALL = size(100_000, 5_000);
const HISTORY = size(1_000_000, 50_000);
const MISSING = size([10, 1_000, 100_000], [10, 100, 1_000]);
const KEYS = ['missing10', 'missing1000', 'missing100000'];
const IN_SYNC_RUNS = 7;

/** Counts the JSON that crosses the wire to and from a peer. */
function metered(peer: ReconcilePeer): { peer: ReconcilePeer; bytes: () => number; reset: () => void } {
  let bytes = 0;
  const size = (v: unknown) => Buffer.byteLength(JSON.stringify(v ?? null));
  const wrap =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const out = await fn(...args);
      bytes += size(args) + size(out);
      return out;
    };
  return {
    peer: { vector: wrap(peer.vector), buckets: wrap(peer.buckets), ids: wrap(peer.ids), events: wrap(peer.events), receive: wrap(peer.receive) },
    bytes: () => bytes,
    reset: () => (bytes = 0),
  };
}

async function headOf(store: OpenStore, storeId: string, deviceId: string): Promise<ChainHead> {
  const [row] = await store.db.query<ChainHead>('SELECT seq, hash, hlc FROM journal_head WHERE store_id = $1 AND device_id = $2', [storeId, deviceId]);
  if (!row) throw new Error('no head');
  return row;
}

/** Stores a sealed tail on one side only, raw (the central received it; the terminal has not). */
async function storeOnly(store: OpenStore, events: readonly EventEnvelope[]): Promise<void> {
  const last = events.at(-1)!;
  for (let i = 0; i < events.length; i += 5_000) {
    await store.db.write((tx) => tx.query(INSERT_EVENTS, [JSON.stringify(events.slice(i, i + 5_000))]));
  }
  await store.db.query('UPDATE journal_head SET seq = $3, hash = $4, hlc = $5 WHERE store_id = $1 AND device_id = $2', [last.store_id, last.device_id, last.device_seq, last.hash, last.hlc]);
}

async function main() {
  log(`bench:reconcile ${SMALL ? 'small' : 'full'}: in sync at ${HISTORY_SMALL} and ${HISTORY} events, then ${MISSING.join(', ')} missing`);
  const dirs = [tempDir('mostrador-bench-recon-t-'), tempDir('mostrador-bench-recon-c-')];
  const [terminal, central] = await Promise.all([openDataDir(dirs[0]!.dir), openDataDir(dirs[1]!.dir, { role: 'central' })]);
  try {
    const storeId = terminal.identity.storeId;
    const device = newId();
    const local = dbPeer(terminal.db, storeId, applyReceiver(terminal.db, storeId, terminal.identity.deviceId, route));
    const remote = metered(dbPeer(central.db, storeId, applyReceiver(central.db, storeId, central.identity.deviceId, route)));
    const base = baseMs(HISTORY);
    const run = async (): Promise<ReconcileReport> => reconcile(local, remote.peer);
    const inSync = async (label: string) => {
      const samples: number[] = [];
      let bytes = 0;
      for (let i = 0; i < IN_SYNC_RUNS; i++) {
        remote.reset();
        const [ms, report] = await timed(run);
        if (report.outcome !== 'in-sync') throw new Error(`expected in sync at ${label}: ${report.outcome} ${report.reason}`);
        samples.push(ms);
        bytes = remote.bytes();
      }
      log(`in sync at ${label}: median ${fmt(median(samples))} ms over ${IN_SYNC_RUNS} runs, ${bytes} bytes`);
      return { ms: median(samples), bytes };
    };

    const [loadMs] = await timed(async () => {
      for (const side of [terminal, central]) {
        await bulkJournal(side.db, storeId, device, 1, HISTORY_SMALL, base, { results: false });
        await settle(side.db);
      }
    });
    log(`loaded ${HISTORY_SMALL} events on each side in ${fmt(loadMs / 1000, 1)} s (summaries kept by the trigger)`);
    const small = await inSync(`${HISTORY_SMALL}`);
    const [moreMs] = await timed(async () => {
      for (const side of [terminal, central]) {
        await bulkJournal(side.db, storeId, device, HISTORY_SMALL + 1, HISTORY - HISTORY_SMALL, base, { results: false });
        await settle(side.db);
      }
    });
    log(`loaded up to ${HISTORY} events on each side in ${fmt(moreMs / 1000, 1)} s`);
    const big = await inSync(`${HISTORY}`);
    log(`in sync at ${HISTORY} / at ${HISTORY_SMALL}: ${fmt(big.ms / small.ms)}×`);

    const missing: Record<string, string | number> = {};
    let start = base + HISTORY * 1000 + 3_600_000;
    for (const [i, n] of MISSING.entries()) {
      const tail = deviceLog(storeId, device, n, start, await headOf(central, storeId, device), 1000);
      start += n * 1000 + 3_600_000;
      await storeOnly(central, tail);
      remote.reset();
      const [ms, report] = await timed(run);
      if (report.outcome !== 'converged' || report.pulled !== n) throw new Error(`${n} missing: ${report.outcome} pulled ${report.pulled}: ${report.reason}`);
      log(`${n} missing on the terminal: ${fmt(ms)} ms, ${remote.bytes()} bytes, ${report.rounds} rounds`);
      missing[`${KEYS[i]}_ms`] = fmt(ms);
      missing[`${KEYS[i]}_bytes`] = remote.bytes();
    }
    lastLine({ in_sync_ms: fmt(big.ms), in_sync_bytes: big.bytes, in_sync_100k_ms: fmt(small.ms), ...missing });
  } finally {
    await Promise.all([terminal.close(), central.close()]);
    dirs.forEach((d) => d.remove());
  }
}

await main();
