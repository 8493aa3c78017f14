import type { SyncFailure } from './fsync.js';
import type { SyncingFs } from './syncfs.js';

/**
 * Watches what PGlite writes so a crash can be simulated (see crash.ts). Called before each change reaches the
 * real file, and when a file becomes durable.
 */
export interface WriteObserver {
  /** `bytes` is a view of what is about to be written (PGlite's heap: copy it to keep it). */
  beforeWrite(file: string, fd: number, position: number, bytes: Uint8Array): void;
  beforeTruncate(file: string, length: number): void;
  /** A whole file was (re)written with `data` (after `beforeTruncate(file, 0)` or `created(file)`). */
  wroteFile(file: string, data: Uint8Array): void;
  created(file: string): void;
  renamed(from: string, to: string): void;
  removed(file: string): void;
  /** Before a file or folder is synced. */
  beforeSync(file: string): void;
  synced(file: string): void;
  dirSynced(dir: string): void;
  /** Given the filesystem it watches, so a simulated cut can stop it. */
  attach?(target: SyncingFs): void;
}

export interface SyncingFsOptions {
  observer?: WriteObserver;
  /** Tests only: what a failed fsync does instead of stopping the process. */
  onSyncFailure?: SyncFailure;
  /** A write met ENOSPC: return true once space was made (the disk guard's ballast) to do it again. */
  onNoSpace?: () => boolean;
}

export interface SyncStats {
  syncs: number;
  fileSyncs: number;
  dirSyncs: number;
  /** WAL syncs forced by a data-file write that followed unsynced WAL (log before data). */
  walFirstSyncs: number;
  /** Bytes handed to the disk, so the disk guard knows when to look at the free space again. */
  bytesWritten: number;
}
