import fs from 'node:fs';
import path from 'node:path';
import { BaseFilesystem, type FsStats } from '@electric-sql/pglite/basefs';
import { FsErrno, toErrno, toStats } from './errno.js';
import { exitOnSyncFailure, syncOrFail, type SyncFailure } from './fsync.js';
import { WalOrder } from './wal.js';
import type { SyncingFsOptions, SyncStats, WriteObserver } from './syncfs-types.js';

export type { SyncingFsOptions, SyncStats, WriteObserver } from './syncfs-types.js';

/**
 * PGlite's filesystem over node:fs that makes acknowledged writes durable (DESIGN.md "Durability"). PGlite runs
 * PostgreSQL with fsync off, so this layer remembers every file written since the last sync and fsyncs them in
 * `syncToFs`. It keeps the orderings PostgreSQL relies on, which its own fsyncs would give it: every written file
 * is synced before `global/pg_control` is overwritten (a checkpoint must not point past data that is not on disk);
 * the WAL a change needs is synced before any other file is changed (log before data: a data page must not reach
 * the disk before the WAL that describes it, see WalOrder); after a rename, the renamed file and its folder are
 * synced (the write-temp-then-rename pattern). A failed fsync stops the process (`exitOnSyncFailure`).
 */
export class SyncingFs extends BaseFilesystem {
  readonly root: string;
  readonly stats: SyncStats = { syncs: 0, fileSyncs: 0, dirSyncs: 0, walFirstSyncs: 0, bytesWritten: 0 };
  #dirtyFiles = new Set<string>();
  #dirtyDirs = new Set<string>();
  #fdPath = new Map<number, string>();
  #observer: WriteObserver | undefined;
  #detached = false;
  readonly #onSyncFailure: SyncFailure;
  readonly #onNoSpace: (() => boolean) | undefined;
  readonly #controlFile: string;
  readonly #wal: WalOrder;

  constructor(root: string, options: SyncingFsOptions = {}) {
    super(root);
    this.root = path.resolve(root);
    this.#observer = options.observer;
    this.#onSyncFailure = options.onSyncFailure ?? exitOnSyncFailure;
    this.#onNoSpace = options.onNoSpace;
    this.#controlFile = path.join(this.root, 'global', 'pg_control');
    this.#wal = new WalOrder(this.root);
    this.#observer?.attach?.(this);
    fs.mkdirSync(this.root, { recursive: true });
  }

  /**
   * After a simulated power cut nothing reaches the disk any more. The engine is not told (an error thrown into
   * PostgreSQL makes it report and retry, where a real cut just stops it): from here on changes are dropped while
   * they appear to succeed, and whoever drives the test treats everything that finishes after the cut as never
   * acknowledged, since the process would be gone.
   */
  detach(): void {
    this.#detached = true;
  }

  override async syncToFs(): Promise<void> {
    this.syncNow();
  }

  /** Synchronous, so no other write can slip in between the last write and the fsyncs. */
  syncNow(): void {
    if (this.#detached) return;
    this.stats.syncs++;
    for (const file of this.#dirtyFiles) {
      this.#syncFile(file);
      if (this.#detached) return;
    }
    this.#dirtyFiles.clear();
    this.#wal.clear();
    for (const dir of this.#dirtyDirs) this.#syncDir(dir);
    this.#dirtyDirs.clear();
  }

  override async closeFs(): Promise<void> {
    this.syncNow();
    for (const fd of this.#fdPath.keys()) fs.closeSync(fd);
    this.#fdPath.clear();
  }

  chmod(p: string, mode: number): void {
    if (this.#detached) return;
    this.#run(() => fs.chmodSync(this.#abs(p), mode));
  }

  close(fd: number): void {
    this.#run(() => {
      // A closed file stays in the dirty set and is synced by path at the next sync.
      this.#fdPath.delete(fd);
      fs.closeSync(fd);
    });
  }

  fstat(fd: number): FsStats {
    return this.#run(() => toStats(fs.fstatSync(fd)));
  }

  lstat(p: string): FsStats {
    return this.#run(() => toStats(fs.lstatSync(this.#abs(p))));
  }

  mkdir(p: string, options?: { recursive?: boolean; mode?: number }): void {
    if (this.#detached) return;
    this.#run(() => {
      const dir = this.#abs(p);
      fs.mkdirSync(dir, options);
      this.#dirtyDirs.add(path.dirname(dir));
    });
  }

  open(p: string, _flags?: string, mode?: number): number {
    return this.#run(() => {
      const file = this.#abs(p);
      const fd = fs.openSync(file, 'r+', mode);
      this.#fdPath.set(fd, file);
      return fd;
    });
  }

  readdir(p: string): string[] {
    return this.#run(() => fs.readdirSync(this.#abs(p)));
  }

  read(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number {
    return this.#run(() => fs.readSync(fd, buffer, offset, length, position));
  }

  rename(oldPath: string, newPath: string): void {
    if (this.#detached) return;
    this.#run(() => {
      const from = this.#abs(oldPath);
      const to = this.#abs(newPath);
      if (this.#dirtyFiles.has(from)) this.#syncPath(from);
      this.#observer?.renamed(from, to);
      fs.renameSync(from, to);
      this.#dirtyFiles.delete(to);
      this.#wal.synced(to);
      for (const [fd, file] of this.#fdPath) if (file === from) this.#fdPath.set(fd, to);
      this.#syncDir(path.dirname(to));
      if (path.dirname(from) !== path.dirname(to)) this.#syncDir(path.dirname(from));
    });
  }

  rmdir(p: string): void {
    if (this.#detached) return;
    this.#run(() => {
      const dir = this.#abs(p);
      fs.rmdirSync(dir);
      this.#dirtyDirs.delete(dir);
      this.#dirtyDirs.add(path.dirname(dir));
    });
  }

  truncate(p: string, len: number): void {
    if (this.#detached) return;
    this.#run(() => {
      const file = this.#abs(p);
      this.#beforeChange(file);
      this.#observer?.beforeTruncate(file, len);
      if (this.#detached) return;
      fs.truncateSync(file, len);
      this.#dirtyFiles.add(file);
    });
  }

  unlink(p: string): void {
    if (this.#detached) return;
    this.#run(() => {
      const file = this.#abs(p);
      this.#observer?.removed(file);
      fs.unlinkSync(file);
      this.#dirtyFiles.delete(file);
      this.#wal.synced(file);
      this.#dirtyDirs.add(path.dirname(file));
    });
  }

  utimes(p: string, atime: number, mtime: number): void {
    if (this.#detached) return;
    this.#run(() => fs.utimesSync(this.#abs(p), new Date(atime), new Date(mtime)));
  }

  writeFile(p: string, data: string | Uint8Array, options?: { encoding?: string; mode?: number; flag?: string }): void {
    if (this.#detached) return;
    this.#run(() => {
      const file = this.#abs(p);
      const existed = fs.existsSync(file);
      this.#beforeChange(file);
      if (existed) this.#observer?.beforeTruncate(file, 0);
      if (this.#detached) return;
      const bytes = typeof data === 'string' ? Buffer.from(data) : data;
      fs.writeFileSync(file, bytes, { mode: options?.mode, flag: options?.flag ?? 'w' });
      if (!existed) {
        this.#observer?.created(file);
        this.#dirtyDirs.add(path.dirname(file));
      }
      this.#observer?.wroteFile(file, bytes);
      if (bytes.length > 0) this.#dirtyFiles.add(file);
    });
  }

  write(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number {
    if (this.#detached) return length;
    return this.#run(() => {
      const file = this.#fdPath.get(fd);
      if (!file) throw new FsErrno(8, `write to unknown descriptor ${fd}`);
      // PGlite's bridge hands over the whole WASM heap (an ArrayBuffer) with an absolute offset.
      const bytes = ArrayBuffer.isView(buffer)
        ? new Uint8Array(buffer.buffer, buffer.byteOffset + offset, length)
        : new Uint8Array(buffer as ArrayBufferLike, offset, length);
      this.#beforeChange(file, bytes, position);
      if (this.#detached) return length;
      this.#observer?.beforeWrite(file, fd, position, bytes);
      if (this.#detached) return length;
      // A short write is how a filling disk first shows; PostgreSQL would take it for ENOSPC without an errno.
      let written = 0;
      while (written < length) written += fs.writeSync(fd, bytes, written, length - written, position + written);
      this.stats.bytesWritten += length;
      if (file === this.#controlFile) this.#syncFd(fd, file);
      else this.#dirtyFiles.add(file);
      if (this.#wal.isWal(file)) this.#wal.wrote(file, position);
      return written;
    });
  }

  /**
   * The checkpoint record in pg_control may only reach the disk after everything it covers; any other file only
   * after the WAL it needs (see WalOrder). With fsync off PostgreSQL still writes, not syncs, the WAL up to a
   * page's LSN before writing the page, so the sync here is the flush it would have done.
   */
  #beforeChange(file: string, bytes?: Uint8Array, position?: number): void {
    if (file === this.#controlFile) {
      for (const dirty of this.#dirtyFiles) if (dirty !== file) this.#syncFile(dirty);
      for (const dir of this.#dirtyDirs) this.#syncDir(dir);
      this.#dirtyDirs.clear();
    } else {
      const wal = this.#wal.mustSyncBefore(file, bytes, position);
      if (wal.length > 0) this.stats.walFirstSyncs++;
      for (const walFile of wal) this.#syncFile(walFile);
    }
  }

  #syncFile(file: string): void {
    for (const [fd, open] of this.#fdPath) {
      if (open === file) return this.#syncFd(fd, file);
    }
    this.#syncPath(file);
  }

  #syncPath(file: string): void {
    let fd: number;
    try {
      fd = fs.openSync(file, 'r+');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return void this.#dirtyFiles.delete(file);
      throw error;
    }
    try {
      this.#syncFd(fd, file);
    } finally {
      fs.closeSync(fd);
    }
  }

  #syncFd(fd: number, file: string): void {
    this.#observer?.beforeSync(file);
    if (this.#detached) return;
    syncOrFail(fd, file, 'data', this.#onSyncFailure);
    this.stats.fileSyncs++;
    this.#dirtyFiles.delete(file);
    this.#wal.synced(file);
    this.#observer?.synced(file);
  }

  #syncDir(dir: string): void {
    // Windows cannot open a folder for syncing; NTFS journals its metadata itself.
    if (process.platform === 'win32' || this.#detached) return;
    this.#observer?.beforeSync(dir);
    if (this.#detached) return;
    const fd = fs.openSync(dir, 'r');
    try {
      syncOrFail(fd, dir, 'all', this.#onSyncFailure);
      this.stats.dirSyncs++;
    } finally {
      fs.closeSync(fd);
    }
    this.#observer?.dirSynced(dir);
  }

  #abs(p: string): string {
    return path.join(this.root, p);
  }

  #run<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      if (error instanceof FsErrno) throw error;
      // Every change here is idempotent (positioned writes, whole-file writes), so it can simply be done again.
      if ((error as NodeJS.ErrnoException).code === 'ENOSPC' && this.#onNoSpace?.()) return this.#run(fn);
      return toErrno(error);
    }
  }
}
