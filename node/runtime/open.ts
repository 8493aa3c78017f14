import fs from 'node:fs';
import { AppError } from '../../shared/errors.js';
import { DiskGuard, diskGuardOptionsFromEnv, type DiskGuardOptions } from '../db/diskguard.js';
import path from 'node:path';
import { FolderLock } from '../db/lock.js';
import { loadMigrations, migrate, type NodeRole } from '../db/migrate.js';
import { openPglite, PGLITE_VERSION } from '../db/pglite.js';
import type { SyncingFsOptions } from '../db/syncfs.js';
import type { Db } from '../db/types.js';
import { createLogger } from '../log.js';
import { ensureIdentity, type Identity } from './identity.js';
import { markCleanShutdown, pgDataDir, quarantineIfHalfInitialised, readMarker, syncTree, takeCleanShutdown, writeMarker } from './datadir.js';
import { latestExport } from './exports.js';
import { describeFormat, ENGINE_FORMAT, readFolderFormat, sameFormat } from './format.js';
import { migrationsDir } from './paths.js';
import { copyTemplate } from './template.js';

const log = createLogger('storage');

export interface OpenStore {
  db: Db;
  /** Free space of the data folder's disk; refuses writes before it is full. */
  disk: DiskGuard;
  identity: Identity;
  dataDir: string;
  /** Files and folders synced at open because the last stop was not clean (undefined after a clean stop). */
  syncedAtOpen: { files: number; dirs: number; ms: number } | undefined;
  close(): Promise<void>;
}

export interface OpenOptions {
  role?: NodeRole;
  currency?: string;
  purpose?: string;
  /** Tests only: watches the filesystem to simulate a power cut (`observer`), or a failing disk. */
  fs?: SyncingFsOptions;
  /** Rebuild only: the identity a new folder takes (the device and store of the exported journal). */
  identity?: Identity;
  /** The template a new terminal folder starts from (default: the build's); false to run initdb instead. */
  template?: string | false;
  /** Tests that already hold the lock (in-process reopen after a simulated cut). */
  skipLock?: boolean;
  /** Reserve sizes and free-space source (tests); by default from the environment (`diskGuardOptionsFromEnv`). */
  disk?: Partial<DiskGuardOptions>;
}

/** Locks the data folder, opens (or creates) its database, migrates it and loads the node's identity. */
export async function openDataDir(dataDir: string, options: OpenOptions = {}): Promise<OpenStore> {
  const role = options.role ?? 'terminal';
  // Before anything is written (the lock file, the template copy): on a full disk those fail with a bare ENOSPC.
  fs.mkdirSync(dataDir, { recursive: true });
  const disk = openDiskGuard(dataDir, options.disk ?? diskGuardOptionsFromEnv());
  const lock = options.skipLock ? undefined : FolderLock.acquire(dataDir, options.purpose ?? 'node');
  try {
    const quarantined = quarantineIfHalfInitialised(dataDir);
    if (quarantined) log.warn({ quarantined }, 'a half-created database was moved aside; starting a fresh one');
    const marker = readMarker(dataDir);
    const pgdata = pgDataDir(dataDir);
    if (marker) refuseOtherFormat(dataDir);
    const syncedAtOpen = takeCleanShutdown(dataDir) || !marker ? undefined : syncAfterUncleanStop(dataDir);
    if (!marker && role === 'terminal' && options.template !== false && isEmpty(pgdata)) {
      if (copyTemplate(pgdata, options.template)) log.info('new database copied from the build template');
    }
    const db = await openPglite(pgdata, { ...options.fs, disk });
    try {
      await migrate(db, loadMigrations(migrationsDir(), role));
      const identity = await ensureIdentity(db, role, options.currency ?? 'ARS', options.identity);
      if (!marker) writeMarker(dataDir, { engine: 'pglite', engineVersion: PGLITE_VERSION, createdAt: new Date().toISOString() });
      disk.watch();
      return {
        db,
        disk,
        identity,
        dataDir,
        syncedAtOpen,
        async close() {
          disk.stop();
          await db.close();
          markCleanShutdown(dataDir);
          lock?.release();
        },
      };
    } catch (error) {
      await db.close().catch(() => undefined);
      throw error;
    }
  } catch (error) {
    lock?.release();
    throw error;
  }
}

const MB = 1024 * 1024;

/** Opening on a full disk would end in PGlite's "failed to initialize properly", or a hang: say why instead. */
function openDiskGuard(dataDir: string, options: Partial<DiskGuardOptions>): DiskGuard {
  const disk = new DiskGuard({ ...options, dir: dataDir });
  const { state, freeBytes, reserveBytes } = disk.refresh();
  if (state === 'full') {
    const mb = (n: number) => `${Math.floor(n / MB)} MB`;
    throw AppError.t('DiskFull', 'diskFullAtStart', { free: mb(freeBytes), needed: mb(reserveBytes), dir: dataDir });
  }
  return disk;
}

/**
 * Nothing served may be only in the page cache (DESIGN.md "Durability", rule 7): after a kill or a power cut what the
 * dead process wrote is synced before PostgreSQL recovers from it and before the node answers.
 */
function syncAfterUncleanStop(dataDir: string): { files: number; dirs: number; ms: number } {
  const started = performance.now();
  const counts = syncTree(dataDir);
  const ms = Math.round(performance.now() - started);
  log.warn({ ...counts, ms }, 'the last stop was not clean: the data folder was synced before opening it');
  return { ...counts, ms };
}

/** A folder of another database format cannot be opened by this engine; it is rebuilt from its journal export. */
export class FolderFormatMismatch extends Error {}

function refuseOtherFormat(dataDir: string): void {
  const found = readFolderFormat(pgDataDir(dataDir));
  if (!found || sameFormat(found, ENGINE_FORMAT)) return;
  const latest = latestExport(dataDir);
  const what = `The data folder ${dataDir} holds a ${describeFormat(found)} database; this version of Mostrador runs ${describeFormat(ENGINE_FORMAT)}.`;
  throw new FolderFormatMismatch(
    latest
      ? `${what} Rebuild it from its latest journal export (${latest}) with:\n  mostrador rebuild --from "${latest}" --data-dir "${dataDir}"`
      : `${what} No journal export was found in ${path.join(dataDir, 'exports')}: run the version that wrote this folder, ` +
          `export with \`mostrador journal export --out FILE --data-dir "${dataDir}"\`, then run this one's \`mostrador rebuild --from FILE --data-dir "${dataDir}"\`.`,
  );
}

const isEmpty = (dir: string): boolean => !fs.existsSync(dir) || fs.readdirSync(dir).length === 0;
