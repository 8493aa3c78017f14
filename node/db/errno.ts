import type fs from 'node:fs';
import type { FsStats } from '@electric-sql/pglite/basefs';
/** Emscripten's errno numbers for the Node error codes a filesystem can raise (PGlite's FS expects numbers). */
const EMSCRIPTEN_ERRNO: Record<string, number> = {
  EACCES: 2,
  EBADF: 8,
  EBUSY: 10,
  EEXIST: 20,
  EINVAL: 28,
  EIO: 29,
  EISDIR: 31,
  EMFILE: 33,
  ENOENT: 44,
  ENOSPC: 51,
  ENOTDIR: 54,
  ENOTEMPTY: 55,
  EPERM: 63,
  EROFS: 69,
  EXDEV: 75,
};

export class FsErrno extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** Re-throws a Node fs error with the numeric code PGlite's filesystem bridge turns into an ErrnoError. */
export function toErrno(error: unknown): never {
  const nodeCode = (error as NodeJS.ErrnoException)?.code;
  if (typeof nodeCode === 'string') {
    throw new FsErrno(EMSCRIPTEN_ERRNO[nodeCode] ?? EMSCRIPTEN_ERRNO.EIO!, (error as Error).message);
  }
  throw error;
}


/** node:fs stats in the shape PGlite's filesystem bridge expects (times in ms). */
export function toStats(s: fs.Stats): FsStats {
  return {
    dev: s.dev,
    ino: s.ino,
    mode: s.mode,
    nlink: s.nlink,
    uid: s.uid,
    gid: s.gid,
    rdev: s.rdev,
    size: s.size,
    blksize: s.blksize,
    blocks: s.blocks,
    atime: s.atimeMs,
    mtime: s.mtimeMs,
    ctime: s.ctimeMs,
  };
}
