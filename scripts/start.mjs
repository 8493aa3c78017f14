#!/usr/bin/env node
// `npm start [-- --browser] [--data-dir DIR] [--port N] [--verbose]`: builds what is stale, then runs Electron when its binary is
// on this machine, otherwise the node in browser mode (it prints a loopback URL to open). See DESIGN.md.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { supervise } from './supervise.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sourceDirs = ['shared', 'node', 'electron', 'renderer', 'migrations'];
const sourceFiles = ['package.json', 'tsconfig.json', 'tsconfig.build.json'];
const outputs = ['dist/node/main.js', 'dist/electron/main.js', 'dist/renderer/index.html'];

const usage = `Usage: npm start [-- [--browser] [--data-dir DIR] [--port N] [--verbose]]

  --browser        run the node alone and open the app in a browser (the default when Electron is not installed)
  --data-dir DIR   the data folder (default: MOSTRADOR_DATA_DIR, else Electron's userData folder for "Mostrador")
  --port N         the API port (default: the one kept for the data folder, chosen free at its first start);
                   a port given here is kept for the folder from then on
  --verbose        log lines on the terminal too (they always go to the data folder's logs/)

Builds first (npm run build) when dist/ is missing or older than the sources.
`;

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(usage);
  process.exit(0);
}
const forceBrowser = args.includes('--browser');
const passThrough = args.filter((arg) => arg !== '--browser');

if (isStale()) build();

const electron = electronBinary();
if (electron && !forceBrowser) {
  run(electron, ['.', ...passThrough], withoutRunAsNode(process.env));
} else {
  runNode([path.join(root, 'dist/node/main.js'), ...passThrough]);
}

/** The newest mtime under the sources against the oldest output: a cheap walk, no hashing. */
function isStale() {
  const built = outputs.map((file) => mtimeOf(path.join(root, file)));
  if (built.some((t) => t === undefined)) return true;
  const oldestOutput = Math.min(...built);
  const newer = (file) => (mtimeOf(file) ?? 0) > oldestOutput;
  return sourceFiles.some((file) => newer(path.join(root, file))) || sourceDirs.some((dir) => anyNewer(path.join(root, dir), oldestOutput));
}

function anyNewer(dir, than) {
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && anyNewer(full, than)) return true;
    } else if ((mtimeOf(full) ?? 0) > than) {
      return true;
    }
  }
  return false;
}

function mtimeOf(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

function build() {
  process.stderr.write('Building Mostrador (npm run build)…\n');
  const steps = [
    [path.join(root, 'node_modules/typescript/bin/tsc'), ['-p', 'tsconfig.build.json']],
    [path.join(root, 'node_modules/vite/bin/vite.js'), ['build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn']],
  ];
  for (const [bin, binArgs] of steps) {
    if (!fs.existsSync(bin)) fail(`${path.relative(root, bin)} is missing: run npm ci first.`);
    const result = spawnSync(process.execPath, [bin, ...binArgs], { cwd: root, stdio: 'inherit' });
    if (result.status !== 0) fail(`The build failed (${path.basename(bin)}); fix the errors above and run npm start again.`);
  }
}

/**
 * Electron's binary, only if it is already on disk. `require('electron')` would try to download it, which a shop
 * machine without internet (or CI) cannot do.
 */
function electronBinary() {
  const pathFile = path.join(root, 'node_modules/electron/path.txt');
  if (!fs.existsSync(pathFile)) return undefined;
  const binary = path.join(root, 'node_modules/electron/dist', fs.readFileSync(pathFile, 'utf8').trim());
  return fs.existsSync(binary) ? binary : undefined;
}

function withoutRunAsNode(env) {
  const copy = { ...env };
  delete copy.ELECTRON_RUN_AS_NODE;
  return copy;
}

function run(command, commandArgs, env) {
  const child = spawn(command, commandArgs, { cwd: root, env, stdio: 'inherit' });
  const forward = (signal) => () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  child.on('error', (error) => fail(`Could not start ${path.basename(command)}: ${error.message}`));
  child.on('exit', (code, signal) => {
    if (code !== null) process.exit(code);
    process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
  });
}

/** Browser mode: the node alone, restarted after a failed fsync (Electron main does that for the desktop app). */
function runNode(nodeArgs) {
  const node = supervise(process.execPath, nodeArgs, { cwd: root, env: process.env });
  process.on('SIGINT', () => node.stop('SIGINT'));
  process.on('SIGTERM', () => node.stop('SIGTERM'));
  node.exited.then(
    ({ code, signal }) => process.exit(code ?? 128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1)),
    (error) => fail(`Could not start node: ${error.message}`),
  );
}

function fail(message) {
  process.stderr.write(`\n${message}\n`);
  process.exit(1);
}
