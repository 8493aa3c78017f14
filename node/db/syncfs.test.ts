import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EXIT_FSYNC_FAILED } from '../../shared/exit-codes.js';
import { PgliteDb } from './pglite.js';
import { SyncingFs, type WriteObserver } from './syncfs.js';
import { pagesLsn, walLsn, WAL_SEGMENT_BYTES } from './wal.js';
import { useTempDirs } from '../../test/support/tmp.js';

/** Watches the order of writes and syncs: a relation page written while WAL below its LSN was unsynced is a breach. */
class LogBeforeData implements WriteObserver {
  readonly breaches: string[] = [];
  relationPageWrites = 0;
  #unsyncedWal = new Map<string, number>();

  beforeWrite(file: string, _fd: number, position: number, bytes: Uint8Array): void {
    if (file.includes(`${path.sep}pg_wal${path.sep}`)) {
      const lsn = walLsn(file, position);
      this.#unsyncedWal.set(file, Math.min(lsn, this.#unsyncedWal.get(file) ?? lsn));
      return;
    }
    if (!/[/\\]base[/\\]\d+[/\\]\d+$/.test(file)) return;
    this.relationPageWrites++;
    const needs = pagesLsn(bytes, position);
    for (const [wal, lowest] of this.#unsyncedWal) {
      if (lowest < needs) this.breaches.push(`${path.basename(file)} @${position} (LSN ${needs}) before ${path.basename(wal)} from ${lowest}`);
    }
  }
  synced(file: string): void {
    this.#unsyncedWal.delete(file);
  }
  renamed(from: string, to: string): void {
    this.#unsyncedWal.delete(from);
    this.#unsyncedWal.delete(to);
  }
  removed(file: string): void {
    this.#unsyncedWal.delete(file);
  }
  beforeTruncate(): void {}
  wroteFile(): void {}
  created(): void {}
  beforeSync(): void {}
  dirSynced(): void {}
}

describe('the syncing filesystem', () => {
  const temp = useTempDirs('mostrador-syncfs-');
  afterEach(() => vi.restoreAllMocks());

  it('writes no relation page before the WAL up to its LSN is synced, also when buffers are evicted mid-transaction', async () => {
    const order = new LogBeforeData();
    const syncing = new SyncingFs(temp(), { observer: order });
    // A tiny buffer pool, so the transaction below evicts dirty pages whose WAL is written but not yet synced.
    const startParams = [
      ...['--single', '-F', '-O', '-j', '-c', 'search_path=public', '-c', 'exit_on_error=false', '-c', 'log_checkpoints=false'],
      ...['-c', 'max_worker_processes=0', '-c', 'max_parallel_workers=0', '-c', 'max_parallel_workers_per_gather=0'],
      ...['-c', 'io_method=sync', '-c', 'max_parallel_maintenance_workers=0', '-c', 'shared_buffers=1MB'],
    ];
    const db = new PgliteDb(await PGlite.create({ fs: syncing, startParams }), syncing);
    try {
      const [segment] = await db.query<{ wal_segment_size: string }>('SHOW wal_segment_size');
      expect(segment!.wal_segment_size).toBe(`${WAL_SEGMENT_BYTES / 1024 / 1024}MB`);
      await db.write((tx) => tx.exec('CREATE TABLE t (id int PRIMARY KEY, body text NOT NULL)'));
      await db.write((tx) => tx.exec("INSERT INTO t SELECT i, repeat('x', 200) FROM generate_series(1, 20000) AS i"));
      await db.write((tx) => tx.exec("UPDATE t SET body = repeat('y', 200) WHERE id % 3 = 0"));
      await db.query('CHECKPOINT');
      expect(order.relationPageWrites).toBeGreaterThan(100);
      expect(order.breaches.slice(0, 3)).toEqual([]);
      expect(syncing.stats.walFirstSyncs).toBeGreaterThan(0);
    } finally {
      await db.close();
    }
  });

  it('hands a failed fsync to its failure handler before anything else happens', () => {
    const failures: string[] = [];
    const syncing = new SyncingFs(temp(), {
      onSyncFailure: (error, file) => {
        failures.push(`${error.code} ${path.basename(file)}`);
        throw new Error('stopped');
      },
    });
    syncing.writeFile('/a', new Uint8Array([1]));
    vi.spyOn(fs, 'fdatasyncSync').mockImplementation(() => {
      throw Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
    });
    expect(() => syncing.syncNow()).toThrow('stopped');
    expect(failures).toEqual(['EIO a']);
  });

  it('does not treat a full disk as a failed fsync: the error goes back to the caller', () => {
    const onSyncFailure = vi.fn<() => never>();
    const syncing = new SyncingFs(temp(), { onSyncFailure });
    syncing.writeFile('/a', new Uint8Array([1]));
    vi.spyOn(fs, 'fdatasyncSync').mockImplementation(() => {
      throw Object.assign(new Error('ENOSPC: no space left on device, fdatasync'), { code: 'ENOSPC' });
    });
    expect(() => syncing.syncNow()).toThrow(/ENOSPC/);
    expect(onSyncFailure).not.toHaveBeenCalled();
  });

  it('stops the process with its own exit code when an fsync fails', () => {
    const dir = temp();
    const script = path.join(dir, 'fail.ts');
    fs.writeFileSync(
      script,
      `import fs from 'node:fs';
       import { SyncingFs } from ${JSON.stringify(path.resolve('node/db/syncfs.ts'))};
       const syncing = new SyncingFs(${JSON.stringify(path.join(dir, 'data'))});
       syncing.writeFile('/a', new Uint8Array([1]));
       fs.fdatasyncSync = () => { throw Object.assign(new Error('EIO'), { code: 'EIO' }); };
       syncing.syncNow();
       process.stdout.write('still running');`,
    );
    const child = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', env: { ...process.env, MOSTRADOR_LOG_LEVEL: 'silent' } });
    expect(child.stdout).toBe('');
    expect(child.stderr).toMatch(/could not save .*a \(EIO\)/);
    expect(child.status).toBe(EXIT_FSYNC_FAILED);
  });
});
