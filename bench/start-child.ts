/**
 * One measurement of bench:start, in a process of its own so its RSS holds only what opening costs (the parent
 * has built a 1 GB database and would pollute both time and memory). Prints one JSON line {ms, rss_mb} on stdout.
 *
 *   node --import tsx bench/start-child.ts node <dataDir>   the whole node (startNode: lock, open, migrate, API)
 *   node --import tsx bench/start-child.ts bare <dataDir>   bare PGlite on its stock filesystem, same pgdata folder
 *   node --import tsx bench/start-child.ts syncfs <dataDir> openPglite alone (our filesystem, no migrate/identity/API):
 *                                                          splits the node's extra time between storage and the rest
 *
 * Each mode imports only its own modules (bare must not carry the node's in its RSS), and before the clock starts:
 * both then time opening the database, not loading code from disk.
 */
import { pgDataDir } from '../node/runtime/datadir.js';

const [mode, dataDir] = process.argv.slice(2);
if (!['node', 'bare', 'syncfs'].includes(mode ?? '') || !dataDir) {
  console.error('usage: start-child.ts node|bare|syncfs <dataDir>');
  process.exit(2);
}

const rssMb = () => process.memoryUsage().rss / 2 ** 20;

if (mode === 'node') {
  const { startNode } = await import('../node/app.js');
  const start = performance.now();
  const node = await startNode({ dataDir });
  const ms = performance.now() - start;
  const rss = rssMb();
  await node.close();
  console.log(JSON.stringify({ ms, rss_mb: rss }));
} else if (mode === 'syncfs') {
  const { openPglite } = await import('../node/db/pglite.js');
  const start = performance.now();
  const db = await openPglite(pgDataDir(dataDir));
  const ms = performance.now() - start;
  const rss = rssMb();
  await db.close();
  console.log(JSON.stringify({ ms, rss_mb: rss }));
} else {
  const { PGlite } = await import('@electric-sql/pglite');
  const start = performance.now();
  const pg = await PGlite.create(pgDataDir(dataDir));
  const ms = performance.now() - start;
  const rss = rssMb();
  await pg.close();
  console.log(JSON.stringify({ ms, rss_mb: rss }));
}
