import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import { useTempDirs } from '../../test/support/tmp.js';
import { asDiskFull } from './diskfull.js';
import { BALLAST_FILE, DiskGuard, diskGuardOptionsFromEnv } from './diskguard.js';
import { SyncingFs } from './syncfs.js';

const MB = 1024 * 1024;

/** A guard over a disk whose free space the test sets; the ballast file is real (and small). */
function guardWith(dir: string, free: { bytes: number }, clock = { now: 0 }, written = { bytes: 0 }) {
  const guard = new DiskGuard({
    dir,
    reserveBytes: 64 * MB,
    ballastBytes: 2 * MB,
    lowBytes: 256 * MB,
    recheckMs: 1000,
    recheckBytes: 8 * MB,
    // Writing the ballast uses the space it reserves, as on a real disk.
    freeSpace: () => free.bytes - (fs.existsSync(path.join(dir, BALLAST_FILE)) ? 2 * MB : 0),
    now: () => clock.now,
  });
  guard.countWrites(() => written.bytes);
  return guard;
}

const refusal = (fn: () => void): AppError | undefined => {
  try {
    fn();
  } catch (error) {
    return error as AppError;
  }
  return undefined;
};

describe('DiskGuard', () => {
  const temp = useTempDirs('mostrador-disk-');

  it('is ok with room, low under the warning line, full under the reserve', () => {
    const free = { bytes: 1024 * MB };
    const guard = guardWith(temp(), free);
    expect(guard.refresh()).toEqual({ freeBytes: 1022 * MB, reserveBytes: 64 * MB, state: 'ok' });
    free.bytes = 200 * MB;
    expect(guard.refresh().state).toBe('low');
    free.bytes = 60 * MB;
    expect(guard.refresh().state).toBe('full');
  });

  it('refuses writes in words once full, and accepts them again when space returns', () => {
    const free = { bytes: 1024 * MB };
    const clock = { now: 0 };
    const guard = guardWith(temp(), free, clock);
    guard.refresh();
    expect(refusal(() => guard.assertWritable())).toBeUndefined();
    free.bytes = 10 * MB;
    clock.now = 1000;
    const error = refusal(() => guard.assertWritable());
    expect(error).toBeInstanceOf(AppError);
    expect(error!.code).toBe('DiskFull');
    expect(error!.status).toBe(507);
    expect(error!.messageIn('es')).toBe('Disco lleno: liberá espacio en el disco para seguir vendiendo. Se puede consultar, pero no guardar cambios.');
    expect(error!.messageIn('en')).toMatch(/^Disk full: free some space to keep selling/);
    free.bytes = 1024 * MB;
    clock.now = 2000;
    expect(refusal(() => guard.assertWritable())).toBeUndefined();
  });

  it('trusts its last look for a while, but looks again after many bytes written', () => {
    const free = { bytes: 1024 * MB };
    const clock = { now: 0 };
    const written = { bytes: 0 };
    const guard = guardWith(temp(), free, clock, written);
    guard.refresh();
    free.bytes = 10 * MB;
    clock.now = 500;
    expect(refusal(() => guard.assertWritable())).toBeUndefined();
    written.bytes = 8 * MB;
    expect(refusal(() => guard.assertWritable())?.code).toBe('DiskFull');
  });

  it('keeps a ballast, gives it up at ENOSPC, and puts it back only when reserve and ballast fit again', () => {
    const dir = temp();
    const free = { bytes: 1024 * MB };
    const guard = guardWith(dir, free);
    guard.refresh();
    const ballast = path.join(dir, BALLAST_FILE);
    expect(fs.statSync(ballast).size).toBe(2 * MB);

    expect(guard.releaseBallast()).toBe(true);
    expect(fs.existsSync(ballast)).toBe(false);
    expect(guard.status()).toMatchObject({ state: 'full', reserveBytes: 66 * MB });
    expect(guard.releaseBallast()).toBe(false);

    free.bytes = 65 * MB;
    expect(guard.refresh().state).toBe('full');
    expect(fs.existsSync(ballast)).toBe(false);
    free.bytes = 300 * MB;
    expect(guard.refresh()).toMatchObject({ state: 'ok', reserveBytes: 64 * MB });
    expect(fs.statSync(ballast).size).toBe(2 * MB);
  });

  it('notices space coming back on its timer, without any write', async () => {
    const free = { bytes: 10 * MB };
    const guard = new DiskGuard({ dir: temp(), reserveBytes: 64 * MB, ballastBytes: MB, watchMs: 20, freeSpace: () => free.bytes });
    expect(guard.refresh().state).toBe('full');
    guard.watch();
    free.bytes = 2048 * MB;
    await expect.poll(() => guard.status().state, { timeout: 2000 }).toBe('ok');
    guard.stop();
  });

  it('turns an ENOSPC that reached the engine (SQLSTATE 53100) into the same refusal, and leaves other errors alone', () => {
    const guard = guardWith(temp(), { bytes: 1024 * MB });
    const enospc = Object.assign(new Error('could not extend file "base/5/16384": No space left on device'), { code: '53100' });
    expect(refusal(() => asDiskFull(guard)(enospc))?.code).toBe('DiskFull');
    const other = Object.assign(new Error('duplicate key'), { code: '23505' });
    expect(refusal(() => asDiskFull(guard)(other))).toBe(other);
  });

  it('reads its sizes from the environment and refuses nonsense there', () => {
    expect(diskGuardOptionsFromEnv({ MOSTRADOR_DISK_RESERVE_MB: '32', MOSTRADOR_DISK_CHECK_MS: '200' })).toEqual({
      reserveBytes: 32 * MB,
      watchMs: 200,
      recheckMs: 200,
    });
    expect(() => diskGuardOptionsFromEnv({ MOSTRADOR_DISK_LOW_MB: 'lots' })).toThrow(/MOSTRADOR_DISK_LOW_MB must be a number of megabytes/);
  });
});

describe('SyncingFs at ENOSPC', () => {
  const temp = useTempDirs('mostrador-enospc-');

  it('asks for space once and retries the write; without space the engine gets ENOSPC (errno 51)', () => {
    const dir = temp();
    fs.writeFileSync(path.join(dir, 'wal'), '');
    let asked = 0;
    let spaceMade = true;
    const sfs = new SyncingFs(dir, {
      onNoSpace: () => {
        asked++;
        return spaceMade && asked === 1;
      },
    });
    const fd = sfs.open('wal');
    const realWrite = fs.writeSync;
    let failures = 1;
    const failing = ((...args: Parameters<typeof fs.writeSync>) => {
      if (failures-- > 0) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      return (realWrite as (...a: unknown[]) => number)(...args);
    }) as typeof fs.writeSync;
    fs.writeSync = failing;
    try {
      expect(sfs.write(fd, new Uint8Array([1, 2, 3]), 0, 3, 0)).toBe(3);
      expect(asked).toBe(1);
      expect(sfs.stats.bytesWritten).toBe(3);
      spaceMade = false;
      failures = 5;
      expect(() => sfs.write(fd, new Uint8Array([4]), 0, 1, 3)).toThrow(expect.objectContaining({ code: 51 }));
    } finally {
      fs.writeSync = realWrite;
    }
    sfs.close(fd);
    expect([...fs.readFileSync(path.join(dir, 'wal'))]).toEqual([1, 2, 3]);
  });
});
