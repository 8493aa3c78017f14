import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors.js';
import { createLogger } from '../log.js';

const log = createLogger('disk');
const MB = 1024 * 1024;

export type DiskState = 'ok' | 'low' | 'full';

export interface DiskStatus {
  /** Bytes the operating system says are free for us on the data folder's disk (the ballast not counted). */
  freeBytes: number;
  /** Writes are refused while fewer bytes than this are free. */
  reserveBytes: number;
  state: DiskState;
}

/** Free bytes on the filesystem holding `dir`; injectable so tests can set the disk's fill level. */
export type FreeSpace = (dir: string) => number;

export const statfsFree: FreeSpace = (dir) => {
  const s = fs.statfsSync(dir);
  return Number(s.bavail) * Number(s.bsize);
};

export interface DiskGuardOptions {
  /** The data folder: its filesystem is watched and the ballast file lives in it. */
  dir: string;
  /** Free space kept untouched for the engine: below it, new writes are refused (default 64 MB). */
  reserveBytes?: number;
  /** Preallocated space given back to the engine when a write meets a full disk (default two 16 MB WAL segments). */
  ballastBytes?: number;
  /** Free space under which the screens warn that the disk is getting full (default 512 MB). */
  lowBytes?: number;
  /** Before a write, the cached free space is trusted for this long… (default 1 s) */
  recheckMs?: number;
  /** …and for this many bytes written by the engine since (default 8 MB, well inside the reserve). */
  recheckBytes?: number;
  /** How often the timer looks, to notice space coming back without any write (default 5 s). */
  watchMs?: number;
  freeSpace?: FreeSpace;
  now?: () => number;
}

export const BALLAST_FILE = 'disk-reserve.bin';

/**
 * Keeps PGlite away from a full disk (DESIGN.md "Durability" rule 9). Measured on 0.5.16: a WAL segment switch with
 * less than 16 MB free leaves the engine spinning for good (no answer, SIGTERM ignored, freeing space does not help).
 * So the node refuses new writes while free space is below a reserve, keeps a ballast file it deletes when a write
 * still meets ENOSPC (the transaction in flight then has room to finish), and puts the ballast back and accepts
 * writes again by itself once space returns. Reads are never refused.
 */
export class DiskGuard {
  readonly dir: string;
  readonly #reserve: number;
  readonly #ballast: number;
  readonly #low: number;
  readonly #recheckMs: number;
  readonly #recheckBytes: number;
  readonly #watchMs: number;
  readonly #freeSpace: FreeSpace;
  readonly #now: () => number;
  #written: () => number = () => 0;
  #status: DiskStatus = { freeBytes: 0, reserveBytes: 0, state: 'ok' };
  #checkedAt = Number.NEGATIVE_INFINITY;
  #writtenAtCheck = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: DiskGuardOptions) {
    this.dir = options.dir;
    this.#reserve = options.reserveBytes ?? 64 * MB;
    this.#ballast = options.ballastBytes ?? 32 * MB;
    this.#low = options.lowBytes ?? 512 * MB;
    this.#recheckMs = options.recheckMs ?? 1000;
    this.#recheckBytes = options.recheckBytes ?? 8 * MB;
    this.#watchMs = options.watchMs ?? 5000;
    this.#freeSpace = options.freeSpace ?? statfsFree;
    this.#now = options.now ?? Date.now;
  }

  get ballastPath(): string {
    return path.join(this.dir, BALLAST_FILE);
  }

  /** Where to read how many bytes the engine has written so far (the syncing filesystem counts them). */
  countWrites(written: () => number): void {
    this.#written = written;
  }

  status(): DiskStatus {
    return { ...this.#status };
  }

  /** Looks at the disk now; puts the ballast back when there is room for it and the reserve. */
  refresh(): DiskStatus {
    let free = this.#freeSpace(this.dir);
    if (!this.#hasBallast() && free >= this.#reserve + this.#ballast) {
      this.#writeBallast();
      free = this.#freeSpace(this.dir);
    }
    const reserveBytes = this.#reserve + (this.#hasBallast() ? 0 : this.#ballast);
    const state: DiskState = free < reserveBytes ? 'full' : free < Math.max(this.#low, reserveBytes) ? 'low' : 'ok';
    if (state !== this.#status.state) log[state === 'ok' ? 'info' : 'warn']({ state, free, reserveBytes }, 'disk space');
    this.#status = { freeBytes: free, reserveBytes, state };
    this.#checkedAt = this.#now();
    this.#writtenAtCheck = this.#written();
    return this.status();
  }

  /** Before a write: cheap (a cached answer unless it is old or much was written since), throws when full. */
  assertWritable(): void {
    const stale = this.#now() - this.#checkedAt >= this.#recheckMs || this.#written() - this.#writtenAtCheck >= this.#recheckBytes;
    if (stale) this.refresh();
    if (this.#status.state === 'full') throw AppError.t('DiskFull', 'diskFull');
  }

  /**
   * A write met a full disk after all: give the ballast's space back so the engine can finish what it is doing
   * (an ENOSPC inside a WAL write is the hang above), and refuse new writes from now on. True if space was freed.
   */
  releaseBallast(): boolean {
    if (!this.#hasBallast()) return false;
    fs.rmSync(this.ballastPath, { force: true });
    log.warn({ ballast: this.#ballast }, 'the disk filled up: the ballast was released so the engine can finish');
    this.#status = { ...this.#status, state: 'full', reserveBytes: this.#reserve + this.#ballast };
    this.#checkedAt = this.#now();
    return true;
  }

  /** Watches the disk on a timer, so the state changes (and writes resume) without anyone writing. */
  watch(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      try {
        this.refresh();
      } catch (error) {
        log.warn({ err: error }, 'could not look at the free disk space');
      }
    }, this.#watchMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #hasBallast(): boolean {
    try {
      return fs.statSync(this.ballastPath).size >= this.#ballast;
    } catch {
      return false;
    }
  }

  /** Real zeros, written and synced: a sparse file (truncate) would reserve nothing. */
  #writeBallast(): void {
    const temp = `${this.ballastPath}.tmp`;
    const fd = fs.openSync(temp, 'w');
    try {
      const chunk = Buffer.alloc(MB);
      for (let at = 0; at < this.#ballast; at += chunk.length) fs.writeSync(fd, chunk, 0, Math.min(chunk.length, this.#ballast - at), at);
      fs.fsyncSync(fd);
    } catch (error) {
      fs.closeSync(fd);
      fs.rmSync(temp, { force: true });
      log.warn({ err: error }, 'could not put the disk ballast back');
      return;
    }
    fs.closeSync(fd);
    fs.renameSync(temp, this.ballastPath);
  }
}

/** The reserve sizes from the environment (MOSTRADOR_DISK_RESERVE_MB, _LOW_MB, _CHECK_MS), for small disks and tests. */
export function diskGuardOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<DiskGuardOptions> {
  const number = (name: string): number | undefined => {
    const value = env[name];
    if (value === undefined || value === '') return undefined;
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a number of ${name.endsWith('_MS') ? 'milliseconds' : 'megabytes'}, not "${value}"`);
    return n;
  };
  const reserve = number('MOSTRADOR_DISK_RESERVE_MB');
  const low = number('MOSTRADOR_DISK_LOW_MB');
  const check = number('MOSTRADOR_DISK_CHECK_MS');
  return {
    ...(reserve !== undefined ? { reserveBytes: reserve * MB } : {}),
    ...(low !== undefined ? { lowBytes: low * MB } : {}),
    ...(check !== undefined ? { watchMs: check, recheckMs: check } : {}),
  };
}
