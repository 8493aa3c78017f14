#!/usr/bin/env node
// `npm run demo [-- --dir DIR]`: a demo store on this machine (issue 14 item 12): a central on PGlite and two terminals
// enrolled to it, each with its own data folder and port, in one process. Open both terminals' links, create a
// product on one and watch it appear on the other. `npm start` stays a standalone terminal. Ctrl+C stops all three.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write('Usage: npm run demo [-- --dir DIR]   (default DIR: ./demo-data; delete it to start over)\n');
  process.exit(0);
}
const dirArg = args.indexOf('--dir');
const demoDir = path.resolve(dirArg >= 0 ? args[dirArg + 1] ?? 'demo-data' : 'demo-data');
const needed = ['dist/node/app.js', 'dist/node/central/app.js', 'dist/renderer/index.html', 'dist/pgdata-template'];
if (needed.some((file) => !fs.existsSync(path.join(root, file)))) {
  const built = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (built.status !== 0) process.exit(built.status ?? 2);
}
const load = (file) => import(pathToFileURL(path.join(root, 'dist', file)).href);
const { startNode } = await load('node/app.js');
const { startCentral } = await load('node/central/app.js');
const { createEnrollmentCode } = await load('node/central/enrollment.js');
const { logToDataDir } = await load('node/log.js');
const { rendererDir } = await load('node/runtime/paths.js');

fs.mkdirSync(demoDir, { recursive: true });
await logToDataDir(demoDir, false);
const say = (line = '') => process.stdout.write(`${line}\n`);

const central = await startCentral({ dataDir: path.join(demoDir, 'central'), host: '127.0.0.1', port: 0 });
const terminals = [];
for (const name of ['terminal-1', 'terminal-2']) {
  terminals.push(await startNode({ dataDir: path.join(demoDir, name), port: 0, rendererDir: rendererDir(), federation: { pollMs: 10_000 } }));
}
// The first terminal brings its store to the central; the second joins that store. A second run finds both enrolled.
for (const [i, node] of terminals.entries()) {
  if ((await node.federation.status()).enrolled) continue;
  const storeId = i === 0 ? undefined : terminals[0].own.storeId;
  const { code } = await createEnrollmentCode(central.central.db, { storeId, storeName: 'Almacén de demostración' });
  await node.federation.enroll({ centralUrl: central.url, code, deviceName: `Caja ${i + 1}` });
}

say('\nMostrador demo: a central and two terminals of one store, on this machine.\n');
say(`  Central (operator):  ${central.signInUrl()}`);
for (const [i, node] of terminals.entries()) say(`  Terminal ${i + 1}:          ${node.signInUrl()}`);
say(`\nEach link works once, within 10 minutes. Data in ${demoDir} (delete it to start over) · logs in ${path.join(demoDir, 'logs')}`);
say('Create a product on one terminal (Productos) and it appears on the other within seconds. Stop: Ctrl+C\n');

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  for (const node of terminals) await node.close();
  await central.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
