/**
 * bench:start — how long until the node is ready, and what it holds in memory.
 *  (a) first_start_ms: startNode on an empty folder (the build's database template copied and synced — initdb when
 *      dist/pgdata-template is missing — then migrations, identity, API) until it resolves.
 *  (b) reopen_ms / rss_mb: startNode on a folder of about 1 GB (small: 50 MB), against bare PGlite opening the same
 *      pgdata on its stock filesystem in the same run (bare_reopen_ms / bare_rss_mb). ratio = reopen / bare.
 * Every measurement runs in a child process (start-child.ts) so its RSS is clean, and each is repeated, alternating
 * node and bare, reporting the median: one open is one sample, and the page cache or a neighbour can skew it.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { openDataDir } from '../node/runtime/open.js';
import { packageRoot } from '../node/runtime/paths.js';
import { tempDir } from '../test/support/tmp.js';
import { baseMs, bulkJournal, bulkProducts, fmt, lastLine, log, median, settle, size, SMALL, timed } from './support.js';

const TARGET_BYTES = size(1024, 50) * 2 ** 20;
const PRODUCTS = size(100_000, 10_000);
// Events go in in chunks until the database reaches the target; a chunk is a few transactions of bulkJournal.
const CHUNK = size(100_000, 20_000);
const RUNS = size(5, 3);
// A first start is ~1 s from the template, ~3–5 s with initdb; small runs it once to stay under a minute.
const FIRST_RUNS = size(5, 1);

const run = promisify(execFile);

interface Sample {
  ms: number;
  rss_mb: number;
}

async function child(mode: 'node' | 'bare' | 'syncfs', dataDir: string): Promise<Sample> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', path.join('bench', 'start-child.ts'), mode, dataDir], {
    cwd: packageRoot(),
    env: { ...process.env, MOSTRADOR_LOG_LEVEL: 'warn' },
    maxBuffer: 16 * 2 ** 20,
  });
  const line = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as Sample;
}

/** Size of a folder on disk (what the shop's disk holds), next to pg_database_size (what PostgreSQL counts). */
function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += fs.statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return total;
}

async function build(dataDir: string): Promise<void> {
  const store = await openDataDir(dataDir, { role: 'terminal' });
  try {
    const { db, identity } = store;
    // Far enough back that every chunk's events stay in the past, whatever the target needs.
    const base = baseMs(50 * CHUNK);
    await bulkProducts(db, identity.storeId, identity.deviceId, identity.currency, 1, PRODUCTS, base);
    let next = 1;
    while ((await db.sizeBytes()) < TARGET_BYTES) {
      const [ms] = await timed(() => bulkJournal(db, identity.storeId, identity.deviceId, next, CHUNK, base, { results: true }));
      next += CHUNK;
      log(`  ${next - 1} events, ${fmt((await db.sizeBytes()) / 2 ** 20, 0)} MB (chunk ${fmt(ms / 1000, 1)} s)`);
    }
    await settle(db);
    log(`built: ${PRODUCTS} products, ${next - 1} events + command_results, pg_database_size ${fmt((await db.sizeBytes()) / 2 ** 20, 0)} MB`);
  } finally {
    await store.close();
  }
}

async function main() {
  log(`bench:start ${SMALL ? 'small' : 'full'}: target ${fmt(TARGET_BYTES / 2 ** 20, 0)} MB, ${RUNS} runs each`);
  const dirs: { dir: string; remove: () => void }[] = [];
  try {
    const firsts: Sample[] = [];
    for (let i = 0; i < FIRST_RUNS; i++) {
      const empty = tempDir('mostrador-bench-first-');
      dirs.push(empty);
      firsts.push(await child('node', empty.dir));
    }
    log(`first start: ${firsts.map((s) => fmt(s.ms, 0)).join(', ')} ms; rss ${firsts.map((s) => fmt(s.rss_mb, 0)).join(', ')} MB`);

    const big = tempDir('mostrador-bench-start-');
    dirs.push(big);
    const [buildMs] = await timed(() => build(big.dir));
    log(`build took ${fmt(buildMs / 1000, 1)} s; folder ${fmt(folderBytes(big.dir) / 2 ** 20, 0)} MB on disk`);

    const node: Sample[] = [];
    const bare: Sample[] = [];
    const syncfs: Sample[] = [];
    // Alternating, bare first: the build just left the files in the page cache, so neither side gets a cold disk.
    for (let i = 0; i < RUNS; i++) {
      bare.push(await child('bare', big.dir));
      node.push(await child('node', big.dir));
      syncfs.push(await child('syncfs', big.dir));
    }
    log(`reopen node: ${node.map((s) => fmt(s.ms, 0)).join(', ')} ms; rss ${node.map((s) => fmt(s.rss_mb, 0)).join(', ')} MB`);
    log(`reopen bare: ${bare.map((s) => fmt(s.ms, 0)).join(', ')} ms; rss ${bare.map((s) => fmt(s.rss_mb, 0)).join(', ')} MB`);
    log(`openPglite alone (SyncingFs, no migrate/identity/API): ${syncfs.map((s) => fmt(s.ms, 0)).join(', ')} ms; rss ${syncfs.map((s) => fmt(s.rss_mb, 0)).join(', ')} MB`);

    const reopen = median(node.map((s) => s.ms));
    const bareReopen = median(bare.map((s) => s.ms));
    lastLine({
      first_start_ms: fmt(median(firsts.map((s) => s.ms)), 0),
      reopen_ms: fmt(reopen, 0),
      bare_reopen_ms: fmt(bareReopen, 0),
      rss_mb: fmt(median(node.map((s) => s.rss_mb)), 0),
      bare_rss_mb: fmt(median(bare.map((s) => s.rss_mb)), 0),
      ratio: fmt(reopen / bareReopen),
      syncfs_reopen_ms: fmt(median(syncfs.map((s) => s.ms)), 0),
    });
  } finally {
    for (const d of dirs) d.remove();
  }
}

await main();
