import fs from 'node:fs';
import { AppError } from '../../shared/errors.js';
import { DiskGuard, diskGuardOptionsFromEnv, type DiskGuardOptions } from '../db/diskguard.js';
import { FolderLock } from '../db/lock.js';
import { loadMigrations, migrate, type NodeRole } from '../db/migrate.js';
import { openPglite, PGLITE_VERSION } from '../db/pglite.js';
import type { WriteObserver } from '../db/syncfs.js';
import type { Db } from '../db/types.js';
import { createLogger } from '../log.js';
import { ensureIdentity, type Identity } from './identity.js';
import { pgDataDir, quarantineIfHalfInitialised, readMarker, writeMarker } from './datadir.js';
import { migrationsDir } from './paths.js';
import { copyTemplate } from './template.js';

const log = createLogger('storage');

export interface OpenStore {
  db: Db;
  /** Free space of the data folder's disk; refuses writes before it is full. */
  disk: DiskGuard;
  identity: Identity;
  dataDir: string;
  close(): Promise<void>;
}

export interface OpenOptions {
  role?: NodeRole;
  currency?: string;
  purpose?: string;
  /** Tests only: watches the filesystem to simulate a power cut. */
  observer?: WriteObserver;
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
    if (marker && marker.engineVersion !== PGLITE_VERSION) {
      throw new Error(
        `This data folder was written by PGlite ${marker.engineVersion}; this build embeds ${PGLITE_VERSION}. ` +
          'Export the journal with the older version (`mostrador journal export`) and rebuild with this one.',
      );
    }
    const pgdata = pgDataDir(dataDir);
    if (!marker && role === 'terminal' && options.template !== false && isEmpty(pgdata)) {
      if (copyTemplate(pgdata, options.template)) log.info('new database copied from the build template');
    }
    const db = await openPglite(pgdata, { observer: options.observer, disk });
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
        async close() {
          disk.stop();
          await db.close();
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

const isEmpty = (dir: string): boolean => !fs.existsSync(dir) || fs.readdirSync(dir).length === 0;
