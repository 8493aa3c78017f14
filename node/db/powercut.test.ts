import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PowerCut } from './crash.js';
import { openPglite } from './pglite.js';
import { SyncingFs } from './syncfs.js';
import { tempDir } from '../../test/support/tmp.js';
import { cutModeFor } from '../../test/support/powercut.js';
import { seededRandom } from '../../test/support/random.js';

/**
 * The storage rule itself (R27), below the journal: a write is acknowledged once `Db.write` resolves, and a power cut
 * at any write or sync after that loses nothing acknowledged and leaves a folder that opens.
 */
describe('PGlite on the syncing filesystem under simulated power cuts', () => {
  const tmp = tempDir('mostrador-cut-');
  const template = path.join(tmp.dir, 'template');
  const cuts = Number(process.env.POWERCUT_DB_SEEDS ?? 8);

  beforeAll(async () => {
    const db = await openPglite(template);
    await db.write((tx) => tx.exec('CREATE TABLE acked (id int PRIMARY KEY, body text NOT NULL)'));
    await db.close();
  });
  afterAll(() => tmp.remove());

  it('drops unsynced bytes at the cut', async () => {
    const dir = path.join(tmp.dir, 'bytes');
    fs.cpSync(template, dir, { recursive: true });
    const cut = new PowerCut();
    const db = await openPglite(dir, { observer: cut });
    await db.write((tx) => tx.query("INSERT INTO acked VALUES (1, 'synced')"));
    // Past PGlite: bytes written straight through the filesystem and never synced.
    const file = path.join(dir, 'loose');
    db.fs.writeFile('/loose', new Uint8Array([1, 2, 3]));
    cut.cut();
    expect(fs.statSync(file).size).toBe(0);
  });

  it('keeps a random subset of unsynced writes, in their order, when asked', async () => {
    const dir = path.join(tmp.dir, 'some');
    fs.mkdirSync(dir);
    const cut = new PowerCut({ keepSomeUnsynced: seededRandom(3) });
    const syncing = new SyncingFs(dir, { observer: cut });
    syncing.writeFile('/f', new Uint8Array(16));
    syncing.syncNow();
    const fd = syncing.open('/f');
    for (let i = 0; i < 16; i++) syncing.write(fd, new Uint8Array([i + 1]), 0, 1, i);
    cut.cut();
    syncing.close(fd);
    const bytes = [...fs.readFileSync(path.join(dir, 'f'))];
    const kept = bytes.filter((b, i) => b === i + 1).length;
    expect(bytes.every((b, i) => b === 0 || b === i + 1)).toBe(true);
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(16);
  });

  it('drops files created or renamed in a folder that was not synced, when asked', () => {
    const dir = path.join(tmp.dir, 'entries');
    fs.mkdirSync(dir);
    const cut = new PowerCut({ dropUnsyncedEntries: true });
    const syncing = new SyncingFs(dir, { observer: cut });
    syncing.writeFile('/kept', new Uint8Array([1]));
    syncing.writeFile('/old', new Uint8Array([2]));
    syncing.syncNow();
    syncing.writeFile('/new', new Uint8Array([3]));
    // The rename syncs the file, then its folder: the cut falls between the two.
    cut.arm(1);
    syncing.rename('/old', '/renamed');
    expect(cut.happened).toBe(true);
    expect(fs.readdirSync(dir).sort()).toEqual(['kept', 'old']);
    expect([...fs.readFileSync(path.join(dir, 'old'))]).toEqual([2]);
  });

  for (const mode of [1, 2, 3, 4].map(cutModeFor)) {
    it(`keeps a write acknowledged right before the cut (${mode.label})`, async () => {
      const dir = path.join(tmp.dir, `acked-${mode.label.replace(/\W+/g, '-')}`);
      fs.cpSync(template, dir, { recursive: true });
      const cut = new PowerCut(mode);
      const db = await openPglite(dir, { observer: cut });
      await db.write((tx) => tx.query("INSERT INTO acked VALUES (1, 'before')"));
      await db.write((tx) => tx.query("INSERT INTO acked VALUES (2, 'acknowledged')"));
      cut.cut();
      await db.fs.closeFs();
      const reopened = await openPglite(dir);
      try {
        expect(await reopened.query('SELECT id, body FROM acked ORDER BY id')).toEqual([
          { id: 1, body: 'before' },
          { id: 2, body: 'acknowledged' },
        ]);
      } finally {
        await reopened.close();
      }
    });
  }

  for (let seed = 1; seed <= cuts; seed++) {
    it(`keeps every acknowledged write across a cut (seed ${seed}, ${cutModeFor(seed).label})`, async () => {
      const random = seededRandom(seed);
      const dir = path.join(tmp.dir, `seed-${seed}`);
      fs.cpSync(template, dir, { recursive: true });
      const cut = new PowerCut(cutModeFor(seed));
      const db = await openPglite(dir, { observer: cut });
      cut.arm(1 + Math.floor(random() * 400));
      const acked: number[] = [];
      let inFlight: Promise<unknown> = Promise.resolve();
      for (let id = 1; !cut.happened && id < 10_000; id++) {
        const call = db.write((tx) => tx.query('INSERT INTO acked VALUES ($1, $2)', [id, 'x'.repeat(1 + Math.floor(random() * 3000))]));
        inFlight = call.catch(() => undefined);
        try {
          await cut.race(call);
          acked.push(id);
        } catch {
          break;
        }
      }
      expect(cut.happened, `seed ${seed}: the cut fired`).toBe(true);
      // A dead process's files close with it: once the abandoned instance is idle, give its descriptors back.
      await Promise.race([inFlight, new Promise((resolve) => setTimeout(resolve, 5000))]);
      await db.fs.closeFs();
      const reopened = await openPglite(dir);
      try {
        const rows = await reopened.query<{ id: number }>('SELECT id FROM acked ORDER BY id');
        const present = new Set(rows.map((r) => r.id));
        const lost = acked.filter((id) => !present.has(id));
        expect(lost, `seed ${seed}: acknowledged rows lost`).toEqual([]);
      } finally {
        await reopened.close();
      }
    });
  }
});
