import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDataDir } from './open.js';
import { pgDataDir, resolveDataDir } from './datadir.js';
import { tempDir } from '../../test/support/tmp.js';

describe('the data folder', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));

  it('is --data-dir, else MOSTRADOR_DATA_DIR, else Electron’s userData for Mostrador', () => {
    expect(resolveDataDir('rel/dir', {})).toBe(path.resolve('rel/dir'));
    expect(resolveDataDir(undefined, { MOSTRADOR_DATA_DIR: '/srv/m' })).toBe('/srv/m');
    expect(resolveDataDir(undefined, {}, 'linux')).toMatch(/Mostrador$/);
    expect(resolveDataDir(undefined, {}, 'darwin')).toBe(path.join(os.homedir(), 'Library', 'Application Support', 'Mostrador'));
  });

  it('moves a half-created database aside instead of deleting it, and starts fresh', async () => {
    const t = tempDir();
    cleanups.push(t.remove);
    // A database folder whose creation was cut off: files but no ready marker.
    fs.mkdirSync(pgDataDir(t.dir), { recursive: true });
    fs.writeFileSync(path.join(pgDataDir(t.dir), 'PG_VERSION'), '18');
    const store = await openDataDir(t.dir);
    try {
      const quarantined = fs.readdirSync(path.join(t.dir, 'quarantine'));
      expect(quarantined).toHaveLength(1);
      expect(fs.readFileSync(path.join(t.dir, 'quarantine', quarantined[0]!, 'PG_VERSION'), 'utf8')).toBe('18');
      expect(store.identity.deviceId).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await store.close();
    }
  });

  it('keeps its identity across restarts', async () => {
    const t = tempDir();
    cleanups.push(t.remove);
    const first = await openDataDir(t.dir);
    const identity = first.identity;
    await first.close();
    const second = await openDataDir(t.dir);
    expect(second.identity).toEqual(identity);
    await second.close();
    expect(fs.existsSync(path.join(t.dir, 'quarantine'))).toBe(false);
  });
});
