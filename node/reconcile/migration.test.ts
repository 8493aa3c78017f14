import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids.js';
import { loadMigrations, migrate } from '../db/migrate.js';
import { openPostgres, type PostgresDb } from '../db/postgres.js';
import { migrationsDir } from '../runtime/paths.js';
import { createTestDatabase } from '../../test/support/postgres.js';
import { deviceLog } from '../../test/support/eventlog.js';
import { INSERT_EVENTS } from '../journal/store.js';
import { combineHashes, sumToHex } from './combine.js';

describe('migration 0018 (reconciliation summaries)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: PostgresDb;
  beforeAll(async () => {
    database = await createTestDatabase('mostrador_recon_migrate');
    db = openPostgres(database.url);
  }, 60_000);
  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  it('summarises the events already held, then keeps the summaries with every insert, even of a hand-made hash', async () => {
    const all = loadMigrations(migrationsDir(), 'terminal');
    await migrate(db, all.filter((m) => m.number < 18));
    const store = newId();
    const device = newId();
    const log = deviceLog(store, device, 50);
    await db.write((tx) => tx.query(INSERT_EVENTS, [JSON.stringify(log.slice(0, 30))]));
    await migrate(db, all);
    const summary = async () =>
      (await db.query<{ events: number; hash_sum: string; max_seq: number }>('SELECT events, hash_sum::text AS hash_sum, max_seq FROM recon_device WHERE store_id = $1 AND device_id = $2', [store, device]))
        .map((r) => ({ ...r, hash_sum: sumToHex(r.hash_sum) }));
    expect(await summary()).toEqual([{ events: 30, hash_sum: combineHashes(log.slice(0, 30).map((e) => e.hash)), max_seq: 30 }]);

    await db.write((tx) => tx.query(INSERT_EVENTS, [JSON.stringify(log.slice(30))]));
    // A transaction that rolls back takes its summary change with it: the summary moves with the events, never apart.
    const more = deviceLog(store, device, 1, Date.parse(log.at(-1)!.created_at) + 60_000, { seq: 50, hash: log.at(-1)!.hash, hlc: log.at(-1)!.hlc });
    await expect(
      db.write(async (tx) => {
        await tx.query(INSERT_EVENTS, [JSON.stringify(more)]);
        throw new Error('cut');
      }),
    ).rejects.toThrow('cut');
    const odd = { ...log[0]!, event_id: newId(), device_id: newId(), device_seq: 1, hash: '' };
    await db.write((tx) => tx.query(INSERT_EVENTS, [JSON.stringify([odd])]));
    expect(await summary()).toEqual([{ events: 50, hash_sum: combineHashes(log.map((e) => e.hash)), max_seq: 50 }]);
    const hours = await db.query<{ n: number; h: string }>(
      'SELECT sum(events)::int8 AS n, mod(sum(hash_sum), recon_modulus())::text AS h FROM recon_hour WHERE store_id = $1 AND device_id = $2',
      [store, device],
    );
    expect({ n: hours[0]!.n, h: sumToHex(hours[0]!.h) }).toEqual({ n: 50, h: combineHashes(log.map((e) => e.hash)) });
    const [oddSum] = await db.query<{ hash_sum: string }>('SELECT hash_sum::text AS hash_sum FROM recon_device WHERE device_id = $1', [odd.device_id]);
    expect(sumToHex(oddSum!.hash_sum)).toBe(combineHashes(['']));
  });
});
