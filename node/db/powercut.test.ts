import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PowerCut } from './crash.js';
import { openPglite } from './pglite.js';
import { tempDir } from '../../test/support/tmp.js';
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

  for (let seed = 1; seed <= cuts; seed++) {
    it(`keeps every acknowledged write across a cut (seed ${seed})`, async () => {
      const random = seededRandom(seed);
      const dir = path.join(tmp.dir, `seed-${seed}`);
      fs.cpSync(template, dir, { recursive: true });
      const cut = new PowerCut();
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
