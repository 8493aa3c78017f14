import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../cli/main.js';
import { pgDataDir, readyMarker } from './datadir.js';
import { exportDue, exportJournalNow, exportsDir, KEEP_EXPORTS, latestExport } from './exports.js';
import { ENGINE_FORMAT, readFolderFormat } from './format.js';
import { FolderFormatMismatch, openDataDir } from './open.js';
import { buildTemplate } from './template.js';
import { tempDir } from '../../test/support/tmp.js';

const countFiles = (dir: string): number =>
  fs.readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? countFiles(path.join(dir, e.name)) : 1), 0);

describe('durability of the data folder', () => {
  const tmp = tempDir('mostrador-durable-');
  const template = path.join(tmp.dir, 'template');
  let n = 0;
  const open = (dir: string) => openDataDir(dir, { template });
  const fresh = () => path.join(tmp.dir, `folder-${++n}`);

  beforeAll(() => buildTemplate(template));
  afterAll(() => tmp.remove());

  it('knows the database format this engine writes, read from the folder itself', async () => {
    const dir = fresh();
    const store = await open(dir);
    try {
      const [row] = await store.db.query<{ catalog: number }>('SELECT catalog_version_no AS catalog FROM pg_control_system()');
      const [version] = await store.db.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
      expect(ENGINE_FORMAT).toEqual({ pgVersion: String(Math.floor(Number(version!.v) / 10000)), catalogVersion: row!.catalog });
      expect(readFolderFormat(pgDataDir(dir))).toEqual(ENGINE_FORMAT);
    } finally {
      await store.close();
    }
  });

  it('syncs every file and folder once at open after an unclean stop, and not after a clean one', async () => {
    const dir = fresh();
    await (await open(dir)).close();
    const clean = await open(dir);
    expect(clean.syncedAtOpen).toBeUndefined();
    await clean.close();
    // What a kill or a power cut leaves: no clean-shutdown record.
    fs.rmSync(path.join(dir, 'clean-shutdown'));
    const files = countFiles(dir);
    const datasyncs = vi.spyOn(fs, 'fdatasyncSync');
    try {
      const store = await open(dir);
      // Every file there was, plus the lock taken just before.
      expect(store.syncedAtOpen?.files).toBe(files + 1);
      expect(store.syncedAtOpen?.dirs).toBeGreaterThan(5);
      expect(datasyncs.mock.calls.length).toBeGreaterThanOrEqual(files);
      await store.close();
    } finally {
      datasyncs.mockRestore();
    }
    const after = await open(dir);
    expect(after.syncedAtOpen).toBeUndefined();
    await after.close();
  });

  it('keeps the newest few journal exports and says when the daily one is due', async () => {
    const dir = fresh();
    const store = await open(dir);
    try {
      const day = Date.parse('2026-11-01T12:00:00Z');
      for (let i = 0; i < KEEP_EXPORTS + 2; i++) await exportJournalNow(store, new Date(day + i * 86_400_000));
      const kept = fs.readdirSync(exportsDir(dir)).sort();
      expect(kept).toEqual(['20261103', '20261104', '20261105'].map((d) => `journal-${d}T120000000Z.sqlite`));
      expect(latestExport(dir)).toBe(path.join(exportsDir(dir), kept[2]!));
      expect(exportDue(dir, day + 4 * 86_400_000 + 3_600_000)).toBe(false);
      expect(exportDue(dir, day + 5 * 86_400_000)).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('refuses a folder of another database format with the one command that rebuilds it from the latest export', async () => {
    const dir = fresh();
    const store = await open(dir);
    const identity = store.identity;
    const file = await exportJournalNow(store);
    await store.close();
    // The npm version in the ready marker is not the format: a marker naming another PGlite still opens.
    fs.writeFileSync(readyMarker(dir), JSON.stringify({ engine: 'pglite', engineVersion: '0.0.1', createdAt: 'x' }));
    await (await open(dir)).close();

    fs.writeFileSync(path.join(pgDataDir(dir), 'PG_VERSION'), '17\n');
    const refusal = await open(dir).then(() => 'opened', (error: Error) => error);
    expect(refusal).toBeInstanceOf(FolderFormatMismatch);
    expect((refusal as Error).message).toContain(`mostrador rebuild --from "${file}" --data-dir "${dir}"`);

    const output = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await runCli(['rebuild', '--from', file, '--data-dir', dir])).toBe(0);
    } finally {
      output.mockRestore();
    }
    const [aside] = fs.readdirSync(path.join(dir, 'quarantine'));
    expect(fs.readFileSync(path.join(dir, 'quarantine', aside!, 'pgdata', 'PG_VERSION'), 'utf8')).toBe('17\n');
    const rebuilt = await open(dir);
    expect(rebuilt.identity).toEqual(identity);
    await rebuilt.close();
  });

  it('says how to get an export when the folder of another format has none', async () => {
    const dir = fresh();
    await (await open(dir)).close();
    fs.writeFileSync(path.join(pgDataDir(dir), 'PG_VERSION'), '17\n');
    await expect(open(dir)).rejects.toThrow(/No journal export was found .*mostrador journal export/);
  });
});
