import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { AppError } from '../../shared/errors.js';

/**
 * One process per data folder (R27). The lock file names its holder (pid and the process's start time, as
 * PostgreSQL's postmaster.pid does, and the boot it ran in), so a lock left by a dead process — SIGKILL, power cut,
 * reboot — is recognised as stale and taken over at once, while a live holder is refused with a message a person
 * can act on.
 */
export interface LockHolder {
  pid: number;
  started: string | null;
  /** The machine's boot (see `currentBoot`); absent in locks written before it was recorded. */
  boot?: string;
  host: string;
  purpose: string;
  since: string;
}

export const LOCK_FILE = 'mostrador.lock';
const heldHere = new Set<string>();

export class FolderLock {
  private constructor(
    readonly file: string,
    readonly holder: LockHolder,
  ) {}

  /** `boot` is this machine's current boot; tests inject one to play a reboot. */
  static acquire(dataDir: string, purpose: string, { boot = currentBoot() }: { boot?: string } = {}): FolderLock {
    fs.mkdirSync(dataDir, { recursive: true });
    const file = path.join(path.resolve(dataDir), LOCK_FILE);
    const holder = me(purpose, boot);
    if (heldHere.has(file)) throw inUse(dataDir, readHolder(file) ?? holder);
    const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    fs.writeFileSync(temp, JSON.stringify(holder));
    try {
      for (let attempt = 0; attempt < 5; attempt++) {
        try {
          fs.linkSync(temp, file);
          heldHere.add(file);
          return new FolderLock(file, holder);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        }
        const current = readHolder(file);
        if (current && isAlive(current, boot)) throw inUse(dataDir, current);
        // Stale: move it aside atomically; of two processes racing here only one rename succeeds.
        try {
          fs.renameSync(file, `${file}.stale.${randomBytes(4).toString('hex')}`);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        }
        removeStaleCopies(file);
      }
      throw new AppError('Unavailable', `Could not take the lock on ${dataDir}; try again.`);
    } finally {
      fs.rmSync(temp, { force: true });
    }
  }

  release(): void {
    heldHere.delete(this.file);
    const current = readHolder(this.file);
    if (current && current.pid === this.holder.pid && current.since === this.holder.since) {
      fs.rmSync(this.file, { force: true });
    }
  }
}

function me(purpose: string, boot: string): LockHolder {
  return { pid: process.pid, started: startTimeOf(process.pid), boot, host: os.hostname(), purpose, since: new Date().toISOString() };
}

/**
 * Which boot of this machine we run in. Linux names each boot; elsewhere the boot's wall-clock time (now minus
 * uptime) stands in for it.
 */
export function currentBoot(): string {
  try {
    return fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return `booted-at:${Date.now() - Math.round(os.uptime() * 1000)}`;
  }
}

// A boot time computed from the wall clock moves when the clock is set (NTP, a dead CMOS battery fixed by hand).
const BOOT_TIME_SLACK_MS = 5 * 60 * 1000;

function sameBoot(a: string, b: string): boolean {
  if (a === b) return true;
  const [ta, tb] = [a, b].map((boot) => (boot.startsWith('booted-at:') ? Number(boot.slice('booted-at:'.length)) : NaN));
  return Math.abs(ta! - tb!) < BOOT_TIME_SLACK_MS;
}

function inUse(dataDir: string, holder: LockHolder): AppError {
  return new AppError(
    'Conflict',
    `The data folder ${dataDir} is in use by another Mostrador (${holder.purpose}, pid ${holder.pid}, since ${holder.since}). ` +
      'Close it first, or use another folder with --data-dir.',
  );
}

function readHolder(file: string): LockHolder | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as LockHolder;
  } catch {
    // Unreadable or half-written: its writer died before finishing, so nobody holds it.
    return undefined;
  }
}

function isAlive(holder: LockHolder, boot: string): boolean {
  if (holder.host !== os.hostname()) return true; // a folder on a shared disk: never steal across machines
  // After a reboot every process of the old boot is gone, whatever now runs under its pid and start time.
  if (holder.boot !== undefined && !sameBoot(holder.boot, boot)) return false;
  if (holder.pid === process.pid) return true;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // The pid is in use; it is our holder only if it started when the holder did (pids are reused after a reboot).
  const started = startTimeOf(holder.pid);
  return started === null || holder.started === null || started === holder.started;
}

/** The kernel's start time of a process (Linux: field 22 of /proc/PID/stat); null where the OS does not say. */
function startTimeOf(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

function removeStaleCopies(file: string): void {
  const dir = path.dirname(file);
  const prefix = `${path.basename(file)}.stale.`;
  for (const name of fs.readdirSync(dir)) if (name.startsWith(prefix)) fs.rmSync(path.join(dir, name), { force: true });
}
