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

export const EIO = EMSCRIPTEN_ERRNO.EIO!;
