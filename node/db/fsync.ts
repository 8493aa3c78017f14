import fs from 'node:fs';
import { EXIT_FSYNC_FAILED } from '../../shared/exit-codes.js';
import { createLogger } from '../log.js';

const log = createLogger('storage');

/** What to do when the disk says an fsync failed; it does not return. */
export type SyncFailure = (error: NodeJS.ErrnoException, file: string) => never;

/**
 * A failed fsync is fatal (DESIGN.md "Durability", rule 8): the kernel may already have dropped the dirty pages and
 * report success on a retry, so nothing this process holds in memory can be trusted to be on disk. The node stops
 * at once — before it answers anyone — and is restarted by whoever started it; PostgreSQL recovers from its log.
 */
export const exitOnSyncFailure: SyncFailure = (error, file) => {
  log.fatal({ err: error, file }, 'fsync failed: stopping so the node restarts and recovers from its log');
  process.stderr.write(`\nMostrador: the disk could not save ${file} (${error.code ?? error.message}); restarting.\n`);
  process.exit(EXIT_FSYNC_FAILED);
};

/** A full disk is not a lost write: the write fails, and the disk-space guard makes the node read-only. */
const diskFull = (error: NodeJS.ErrnoException): boolean => error.code === 'ENOSPC' || error.code === 'EDQUOT';

/** fdatasync (a file) or fsync (a folder), with a failure other than a full disk handed to `onFailure`. */
export function syncOrFail(fd: number, file: string, kind: 'data' | 'all', onFailure: SyncFailure): void {
  try {
    if (kind === 'data') fs.fdatasyncSync(fd);
    else fs.fsyncSync(fd);
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (diskFull(e) || typeof e.code !== 'string') throw error;
    onFailure(e, file);
  }
}
