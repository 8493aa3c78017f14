import fs from 'node:fs';
import path from 'node:path';
import { BaseFilesystem, type FsStats } from '@electric-sql/pglite/basefs';
import { FsErrno, toErrno, toStats } from './errno.js';

/**
 * Watches what PGlite writes so a crash can be simulated (see crash.ts). Called before each change reaches the
 * real file, and when a file becomes durable.
 */
export interface WriteObserver {
  beforeWrite(file: string, fd: number, position: number, length: number): void;
  beforeTruncate(file: string, length: number): void;
  created(file: string): void;
  renamed(from: string, to: string): void;
  removed(file: string): void;
  beforeSync(file: string): void;
  synced(file: string): void;
}

export interface SyncStats {
  syncs: number;
  fileSyncs: number;
  dirSyncs: number;
  /** Bytes handed to the disk, so the disk guard knows when to look at the free space again. */
  bytesWritten: number;
}

/**
 * PGlite's filesystem over node:fs that makes acknowledged writes durable (DESIGN.md "Durability"). PGlite runs
 * PostgreSQL with fsync off, so this layer remembers every file written since the last sync and fsyncs them in
 * `syncToFs`. It keeps the two orderings PostgreSQL relies on: every written file is synced before `global/pg_control`
 * is overwritten (a checkpoint must not point past data that is not on disk) and, after a rename, the renamed file
 * and its folder are synced (the write-temp-then-rename pattern).
 */
export class SyncingFs extends BaseFilesystem {
  readonly root: string;
  readonly stats: SyncStats = { syncs: 0, fileSyncs: 0, dirSyncs: 0, bytesWritten: 0 };
  #dirtyFiles = new Set<string>();
  #dirtyDirs = new Set<string>();
  #fdPath = new Map<number, string>();
  #observer: WriteObserver | undefined;
  #onNoSpace: (() => boolean) | undefined;
  #detached = false;
  readonly #controlFile: string;

  /** `onNoSpace`: a write met ENOSPC; return true once space was made (the disk guard's ballast) to retry it. */
  constructor(root: string, options: { observer?: WriteObserver; onNoSpace?: () => boolean } = {}) {
    super(root);
    this.root = path.resolve(root);
    this.#observer = options.observer;
    this.#onNoSpace = options.onNoSpace;
    this.#controlFile = path.join(this.root, 'global', 'pg_control');
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
      fs.writeFileSync(file, data, { mode: options?.mode, flag: options?.flag ?? 'w' });
      if (!existed) {
        this.#observer?.created(file);
        this.#dirtyDirs.add(path.dirname(file));
      }
      if (data.length > 0) this.#dirtyFiles.add(file);
    });
  }

  write(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number {
    if (this.#detached) return length;
    return this.#run(() => {
      const file = this.#fdPath.get(fd);
      if (!file) throw new FsErrno(8, `write to unknown descriptor ${fd}`);
      this.#beforeChange(file);
      this.#observer?.beforeWrite(file, fd, position, length);
      if (this.#detached) return length;
      // PGlite's bridge hands over the whole WASM heap (an ArrayBuffer) with an absolute offset.
      const bytes = ArrayBuffer.isView(buffer)
        ? new Uint8Array(buffer.buffer, buffer.byteOffset + offset, length)
        : new Uint8Array(buffer as ArrayBufferLike, offset, length);
      // A short write is how a filling disk first shows; PostgreSQL would take it for ENOSPC without an errno.
      let written = 0;
      while (written < length) written += fs.writeSync(fd, bytes, written, length - written, position + written);
      this.stats.bytesWritten += length;
      if (file === this.#controlFile) this.#syncFd(fd, file);
      else this.#dirtyFiles.add(file);
      return written;
    });
  }

  /** The checkpoint record in pg_control may only reach the disk after everything it covers. */
  #beforeChange(file: string): void {
    if (file === this.#controlFile) {
      for (const dirty of this.#dirtyFiles) if (dirty !== file) this.#syncPath(dirty);
      for (const dir of this.#dirtyDirs) this.#syncDir(dir);
      this.#dirtyDirs.clear();
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
    fs.fdatasyncSync(fd);
    this.stats.fileSyncs++;
    this.#dirtyFiles.delete(file);
    this.#observer?.synced(file);
  }

  #syncDir(dir: string): void {
    // Windows cannot open a folder for syncing; NTFS journals its metadata itself.
    if (process.platform === 'win32') return;
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
      this.stats.dirSyncs++;
    } finally {
      fs.closeSync(fd);
    }
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
