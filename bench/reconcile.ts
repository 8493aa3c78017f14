/**
 * bench:reconcile — what reconciliation costs (R12, node/reconcile): a terminal (PGlite) against a central's
 * database (PGlite, role central), both holding one other device's log. The central side is wrapped so that every
 * call's arguments and answer are measured as JSON: `_bytes` is what the two peers exchanged.
 *
 * 1. In sync: a store whose device has 100k events (small: 2k), `in_sync_100k_ms`, and one with 1M (small: 20k),
 *    `in_sync_ms`, `in_sync_bytes`, measured alternately (ABBA, median of 15 each). The aim: ≤ 1 s, ≤ 100 KB, and
 *    1M at most 2× 100k (cost follows the divergence, not the history).
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
import { applyReceiver, dbPeer, reconcile, type ReconcilePeer } from '../node/reconcile/index.js';
import { openDataDir, type OpenStore } from '../node/runtime/open.js';
import { deviceLog } from '../test/support/eventlog.js';
import { tempDir } from '../test/support/tmp.js';
import { baseMs, bulkJournal, fmt, lastLine, log, median, settle, size, SMALL, timed } from './support.js';

const HISTORY_SMALL = size(100_000, 2_000);
const HISTORY = size(1_000_000, 20_000);
const MISSING = size([10, 1_000, 100_000], [10, 100, 1_000]);
const KEYS = ['missing10', 'missing1000', 'missing100000'];
const IN_SYNC_RUNS = 15;

/** Counts the JSON that crosses the wire to and from a peer. */
function metered(peer: ReconcilePeer): { peer: ReconcilePeer; bytes: () => number; reset: () => void } {
  let bytes = 0;
  const jsonBytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v ?? null));
  const wrap =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const out = await fn(...args);
      bytes += jsonBytes(args) + jsonBytes(out);
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
    // Two stores on both databases: the 100k one and the 1M one, measured alternately so that a noisy moment of the
    // machine lands on both (the aim is a ratio between them).
    const storeId = terminal.identity.storeId;
    const smallStore = newId();
    const device = newId();
    const base = baseMs(HISTORY);
    const sides = (store: string) => ({
      local: dbPeer(terminal.db, store, applyReceiver(terminal.db, store, terminal.identity.deviceId, route)),
      remote: metered(dbPeer(central.db, store, applyReceiver(central.db, store, central.identity.deviceId, route))),
    });
    const big = sides(storeId);
    const little = sides(smallStore);
    const [loadMs] = await timed(async () => {
      for (const side of [terminal, central]) {
        await bulkJournal(side.db, smallStore, device, 1, HISTORY_SMALL, base, { results: false });
        await bulkJournal(side.db, storeId, device, 1, HISTORY, base, { results: false });
        await settle(side.db);
      }
    });
    log(`loaded ${HISTORY_SMALL} + ${HISTORY} events on each side in ${fmt(loadMs / 1000, 1)} s (summaries kept by the trigger)`);
    const samples = { small: [] as number[], big: [] as number[] };
    let inSyncBytes = 0;
    for (let i = 0; i < IN_SYNC_RUNS * 2; i++) {
      const which = (i % 4 < 2) === (i % 2 === 0) ? 'small' : 'big';
      const side = which === 'small' ? little : big;
      side.remote.reset();
      const [ms, report] = await timed(() => reconcile(side.local, side.remote.peer));
      if (report.outcome !== 'in-sync') throw new Error(`expected in sync (${which}): ${report.outcome} ${report.reason}`);
      samples[which].push(ms);
      if (which === 'big') inSyncBytes = side.remote.bytes();
    }
    const smallMs = median(samples.small);
    const bigMs = median(samples.big);
    log(`in sync: ${HISTORY_SMALL} events ${fmt(smallMs)} ms, ${HISTORY} events ${fmt(bigMs)} ms (median of ${IN_SYNC_RUNS} each, alternated), ${inSyncBytes} bytes`);
    log(`in sync at ${HISTORY} / at ${HISTORY_SMALL}: ${fmt(bigMs / smallMs)}×`);
    const remote = big.remote;
    const run = () => reconcile(big.local, remote.peer);

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
    lastLine({ in_sync_ms: fmt(bigMs), in_sync_bytes: inSyncBytes, in_sync_100k_ms: fmt(smallMs), ...missing });
  } finally {
    await Promise.all([terminal.close(), central.close()]);
    dirs.forEach((d) => d.remove());
  }
}

await main();
