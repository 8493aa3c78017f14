import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDataDir } from './open.js';
import { pgDataDir, resolveDataDir } from './datadir.js';
import { buildTemplate } from './template.js';
import { openPglite } from '../db/pglite.js';
import { useTempDirs } from '../../test/support/tmp.js';

describe('the data folder', () => {
  const temp = useTempDirs();

  it('is --data-dir, else MOSTRADOR_DATA_DIR, else Electron’s userData for Mostrador', () => {
    expect(resolveDataDir('rel/dir', {})).toBe(path.resolve('rel/dir'));
    expect(resolveDataDir(undefined, { MOSTRADOR_DATA_DIR: '/srv/m' })).toBe('/srv/m');
    expect(resolveDataDir(undefined, {}, 'linux')).toMatch(/Mostrador$/);
    expect(resolveDataDir(undefined, {}, 'darwin')).toBe(path.join(os.homedir(), 'Library', 'Application Support', 'Mostrador'));
  });

  it('moves a half-created database aside instead of deleting it, and starts fresh', async () => {
    const dir = temp();
    // A database folder whose creation was cut off: files but no ready marker.
    fs.mkdirSync(pgDataDir(dir), { recursive: true });
    fs.writeFileSync(path.join(pgDataDir(dir), 'PG_VERSION'), '18');
    const store = await openDataDir(dir);
    try {
      const quarantined = fs.readdirSync(path.join(dir, 'quarantine'));
      expect(quarantined).toHaveLength(1);
      expect(fs.readFileSync(path.join(dir, 'quarantine', quarantined[0]!, 'PG_VERSION'), 'utf8')).toBe('18');
      expect(store.identity.deviceId).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await store.close();
    }
  });

  it('keeps its identity across restarts', async () => {
    const dir = temp();
    const first = await openDataDir(dir);
    const identity = first.identity;
    await first.close();
    const second = await openDataDir(dir);
    expect(second.identity).toEqual(identity);
    await second.close();
    expect(fs.existsSync(path.join(dir, 'quarantine'))).toBe(false);
  });
});

describe('a new terminal folder', () => {
  const temp = useTempDirs();
  const systemId = async (dir: string, template?: string | false) => {
    const store = await openDataDir(dir, { template });
    try {
      const [row] = await store.db.query<{ id: string }>('SELECT system_identifier::text AS id FROM pg_control_system()');
      return { id: row!.id, identity: store.identity };
    } finally {
      await store.close();
    }
  };

  it('starts from the build template (a copy, with its own identity) and falls back to initdb without one', async () => {
    const template = path.join(temp(), 'template');
    await buildTemplate(template);
    const [templateDb] = await (async () => {
      const db = await openPglite(template);
      try {
        return await db.query<{ id: string }>('SELECT system_identifier::text AS id FROM pg_control_system()');
      } finally {
        await db.close();
      }
    })();
    const a = await systemId(temp(), template);
    const b = await systemId(temp(), template);
    expect(a.id).toBe(templateDb!.id);
    expect(b.id).toBe(templateDb!.id);
    expect(a.identity.deviceId).not.toBe(b.identity.deviceId);

    // A template from another engine format is not used, whatever its manifest says.
    fs.writeFileSync(path.join(template, 'PG_VERSION'), '17\n');
    const c = await systemId(temp(), template);
    expect(c.id).not.toBe(templateDb!.id);
  }, 180_000);
});
