import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import envPaths from 'env-paths';

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
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
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
