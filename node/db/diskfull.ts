import { AppError } from '../../shared/errors.js';
import type { DiskGuard } from './diskguard.js';

/** PostgreSQL's SQLSTATE for "could not extend file …: No space left on device" (errcode_for_file_access). */
const DISK_FULL = '53100';

/**
 * An ENOSPC that still reaches the engine (the guard looks at the disk only every few MB) ends the statement with
 * SQLSTATE 53100: the caller gets the same words as a write refused up front, not a 500, and the guard looks again.
 */
export const asDiskFull =
  (disk: DiskGuard | undefined) =>
  (error: unknown): never => {
    const e = error as { code?: string; message?: string };
    if (e?.code === DISK_FULL || /No space left on device/i.test(e?.message ?? '')) {
      disk?.refresh();
      throw AppError.t('DiskFull', 'diskFull');
    }
    throw error;
  };
