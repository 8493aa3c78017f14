import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { currentBoot, FolderLock, LOCK_FILE } from './lock.js';
import { useTempDirs } from '../../test/support/tmp.js';

describe('the data folder lock', () => {
  const folder = useTempDirs();

  it('refuses a second holder with a message naming the first', () => {
    const dir = folder();
    const lock = FolderLock.acquire(dir, 'node');
    expect(() => FolderLock.acquire(dir, 'cli')).toThrow(/in use by another Mostrador \(node, pid \d+/);
    lock.release();
    FolderLock.acquire(dir, 'cli').release();
  });

  it('takes over a lock left by a process that died', () => {
    const dir = folder();
    // A real process that existed and is gone: its pid is not alive any more.
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const deadPid = Number(child.stdout.toString());
    fs.writeFileSync(
      path.join(dir, LOCK_FILE),
      JSON.stringify({ pid: deadPid, started: '1', host: os.hostname(), purpose: 'node', since: new Date().toISOString() }),
    );
    const lock = FolderLock.acquire(dir, 'node');
    expect(JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('treats a live pid with another start time as a reused pid, not the holder', () => {
    const dir = folder();
    fs.writeFileSync(
      path.join(dir, LOCK_FILE),
      JSON.stringify({ pid: process.ppid, started: 'not-its-start-time', host: os.hostname(), purpose: 'node', since: 'x' }),
    );
    FolderLock.acquire(dir, 'node').release();
  });

  it('recognises a lock from before a reboot even when its pid and start time now belong to a live process', () => {
    const dir = folder();
    // The parent is alive and its start time matches: only the boot tells the holder is gone.
    const started = fs.readFileSync(`/proc/${process.ppid}/stat`, 'utf8').split(') ')[1]!.split(' ')[19];
    const holder = { pid: process.ppid, started, boot: 'boot-before', host: os.hostname(), purpose: 'node', since: 'x' };
    fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify(holder));
    expect(() => FolderLock.acquire(dir, 'node', { boot: 'boot-before' })).toThrow(/in use by another Mostrador/);
    const lock = FolderLock.acquire(dir, 'node', { boot: 'boot-after' });
    expect(JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid, boot: 'boot-after' });
    lock.release();
  });

  it('records the boot: Linux boot_id, elsewhere the boot time', () => {
    const boot = currentBoot();
    if (fs.existsSync('/proc/sys/kernel/random/boot_id')) expect(boot).toMatch(/^[0-9a-f-]{36}$/);
    else expect(boot).toMatch(/^booted-at:\d+$/);
  });

  it('compares boot times with slack for a clock that was set, not exactly', () => {
    const dir = folder();
    const started = fs.readFileSync(`/proc/${process.ppid}/stat`, 'utf8').split(') ')[1]!.split(' ')[19];
    const holder = { pid: process.ppid, started, boot: 'booted-at:1000000000', host: os.hostname(), purpose: 'node', since: 'x' };
    fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify(holder));
    expect(() => FolderLock.acquire(dir, 'node', { boot: 'booted-at:1000060000' })).toThrow(/in use/);
    FolderLock.acquire(dir, 'node', { boot: 'booted-at:1086400000' }).release();
  });

  it('treats an empty or torn lock file as stale', () => {
    const dir = folder();
    fs.writeFileSync(path.join(dir, LOCK_FILE), '{"pid": 12');
    FolderLock.acquire(dir, 'node').release();
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  });
});
