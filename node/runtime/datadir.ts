import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import envPaths from 'env-paths';
import { exitOnSyncFailure, syncOrFail } from '../db/fsync.js';

/**
 * The data folder: `--data-dir`, else MOSTRADOR_DATA_DIR, else the folder Electron calls userData for the app
 * "Mostrador", so browser mode and the desktop app share one: ~/.config/Mostrador (XDG_CONFIG_HOME respected) on
 * Linux, ~/Library/Application Support/Mostrador on macOS, %APPDATA%\Mostrador on Windows.
 */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (flag) return path.resolve(flag);
  if (env.MOSTRADOR_DATA_DIR) return path.resolve(env.MOSTRADOR_DATA_DIR);
  return userDataDir(platform);
}

function userDataDir(platform: NodeJS.Platform): string {
  // env-paths appends a role folder on Windows (…\Mostrador\Config) and uses Preferences on macOS; Electron does not.
  const config = envPaths('Mostrador', { suffix: '' }).config;
  if (platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', 'Mostrador');
  if (platform === 'win32') return path.dirname(config);
  return config;
}

export const pgDataDir = (dataDir: string): string => path.join(dataDir, 'pgdata');
export const readyMarker = (dataDir: string): string => path.join(dataDir, 'pgdata.ready.json');

export interface ReadyMarker {
  engine: string;
  engineVersion: string;
  createdAt: string;
}

export function readMarker(dataDir: string): ReadyMarker | undefined {
  try {
    return JSON.parse(fs.readFileSync(readyMarker(dataDir), 'utf8')) as ReadyMarker;
  } catch {
    return undefined;
  }
}

/** Written, synced, once the database is created, migrated and has its identity. */
export function writeMarker(dataDir: string, marker: ReadyMarker): void {
  const file = readyMarker(dataDir);
  const temp = `${file}.tmp`;
  const fd = fs.openSync(temp, 'w');
  try {
    fs.writeSync(fd, JSON.stringify(marker, null, 2));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, file);
  syncDir(dataDir);
}

export function syncDir(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = fs.openSync(dir, 'r');
  try {
    syncOrFail(fd, dir, 'all', exitOnSyncFailure);
  } finally {
    fs.closeSync(fd);
  }
}

/** Every file and folder under `dir` synced (what PostgreSQL's SyncDataDirectory does at startup with fsync on). */
export function syncTree(dir: string, counts = { files: 0, dirs: 0 }): { files: number; dirs: number } {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) syncTree(full, counts);
    else if (entry.isFile() && syncFile(full)) counts.files++;
  }
  syncDir(dir);
  counts.dirs++;
  return counts;
}

function syncFile(file: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r+');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  try {
    syncOrFail(fd, file, 'data', exitOnSyncFailure);
    return true;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Written (synced) when the node closes its database cleanly, removed (synced) when it opens it: a folder opened
 * without it was stopped uncleanly — killed, a power cut, a failed fsync — and pages it wrote may still be only in
 * the page cache (DESIGN.md "Durability", rule 7).
 */
const cleanShutdownFile = (dataDir: string): string => path.join(dataDir, 'clean-shutdown');

export function markCleanShutdown(dataDir: string): void {
  const fd = fs.openSync(cleanShutdownFile(dataDir), 'w');
  try {
    syncOrFail(fd, cleanShutdownFile(dataDir), 'all', exitOnSyncFailure);
  } finally {
    fs.closeSync(fd);
  }
  syncDir(dataDir);
}

/** True when the last stop was clean; either way the next stop must write the marker again to count as clean. */
export function takeCleanShutdown(dataDir: string): boolean {
  try {
    fs.unlinkSync(cleanShutdownFile(dataDir));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  syncDir(dataDir);
  return true;
}

/**
 * A database folder without the ready marker was cut off while being created. It is moved aside, never deleted:
 * whatever it holds may still matter to someone.
 */
export function quarantineIfHalfInitialised(dataDir: string): string | undefined {
  const pgdata = pgDataDir(dataDir);
  if (readMarker(dataDir) || !fs.existsSync(pgdata)) return undefined;
  if (fs.readdirSync(pgdata).length === 0) return undefined;
  const target = path.join(dataDir, 'quarantine', `pgdata-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.renameSync(pgdata, target);
  syncDir(dataDir);
  return target;
}
