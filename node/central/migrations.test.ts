import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../db/migrate.js';
import { openPostgres, type PostgresDb } from '../db/postgres.js';
import { migrationsDir } from '../runtime/paths.js';
import { createTestDatabase } from '../../test/support/postgres.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let db: PostgresDb;

beforeAll(async () => {
  database = await createTestDatabase('mostrador_central_migrate');
  db = openPostgres(database.url);
}, 60_000);

afterAll(async () => {
  await db?.close();
  await database?.drop();
});

describe('migration 0021 (the per-store order)', () => {
  it('numbers the events a central already held, per store in arrival order, and starts each store counter after them', async () => {
    const all = loadMigrations(migrationsDir(), 'central');
    await migrate(db, all.filter((m) => m.number < 21));
    const store = (n: number) => `0190a0a0-0000-7000-8000-00000000000${n}`;
    await db.query(
      `INSERT INTO events (store_id, event_id, command_id, device_id, device_seq, type, version, payload, actor_id, hlc, created_at, prev_hash, hash, received_at)
       SELECT CASE WHEN i % 2 = 0 THEN $1::uuid ELSE $2::uuid END, gen_random_uuid(), gen_random_uuid(), $3, i, 'ProductCreated', 1, '{}', 'owner', '', now(), '', '',
         now() - make_interval(secs => 100 - i)
       FROM generate_series(1, 7) AS i`,
      [store(1), store(2), store(3)],
    );
    await migrate(db, all);
    const rows = await db.query<{ store_id: string; device_seq: number; store_seq: number }>(
      'SELECT store_id::text AS store_id, device_seq, store_seq FROM events ORDER BY store_id, store_seq',
    );
    expect(rows.filter((r) => r.store_id === store(1)).map((r) => [r.device_seq, r.store_seq])).toEqual([[2, 1], [4, 2], [6, 3]]);
    expect(rows.filter((r) => r.store_id === store(2)).map((r) => [r.device_seq, r.store_seq])).toEqual([[1, 1], [3, 2], [5, 3], [7, 4]]);
    const counters = await db.query<{ store_id: string; seq: number }>('SELECT store_id::text AS store_id, seq FROM store_order ORDER BY store_id');
    expect(counters).toEqual([{ store_id: store(1), seq: 3 }, { store_id: store(2), seq: 4 }]);
  });
});

describe('migration 0030 (the devices\' reported status)', () => {
  it('a central upgraded with enrolled devices lists them as never reported, and can ask one to reconcile', async () => {
    const { askReconcile, deviceOverview } = await import('./device-status.js');
    const fresh = await createTestDatabase('mostrador_central_0030');
    const upgraded = openPostgres(fresh.url);
    try {
      const all = loadMigrations(migrationsDir(), 'central');
      await migrate(upgraded, all.filter((m) => m.number < 30));
      const storeId = '0190a0a0-0000-7000-8000-000000000001';
      const deviceId = '0190a0a0-0000-7000-8000-000000000002';
      await upgraded.query(`INSERT INTO central_stores (store_id, name) VALUES ($1, 'Tienda')`, [storeId]);
      await upgraded.query(`INSERT INTO central_devices (store_id, device_id, name, secret) VALUES ($1, $2, 'Caja', 's')`, [storeId, deviceId]);
      await migrate(upgraded, all);
      const [before] = await deviceOverview(upgraded, storeId);
      expect(before).toMatchObject({ deviceId, online: false, lastContactAt: null, backlog: null, lastReconcile: null, reconcileAskedAt: null, status: null });
      const asked = await askReconcile(upgraded, deviceId);
      expect(asked?.storeId).toBe(storeId);
      expect((await deviceOverview(upgraded, storeId))[0]!.reconcileAskedAt).toBe(asked!.askedAt);
      // Still no contact: asking is not hearing from the device.
      expect((await deviceOverview(upgraded, storeId))[0]).toMatchObject({ online: false, lastContactAt: null });
    } finally {
      await upgraded.close();
      await fresh.drop();
    }
  });
});

describe('migration 0036 (the central computes the reconciliation sums by 32-bit pieces)', () => {
  const summaries = async () => ({
    hours: await db.query(`SELECT store_id::text, device_id::text, hour, events::text, hash_sum::text, min_seq::text, max_seq::text FROM recon_hour ORDER BY 1, 2, 3`),
    devices: await db.query(`SELECT store_id::text, device_id::text, events::text, hash_sum::text, max_seq::text FROM recon_device ORDER BY 1, 2`),
  });
  // The numbers of common 0018, row by row with recon_hash_num: what every terminal computes and compares with.
  const reference = async () => ({
    hours: await db.query(
      `SELECT store_id::text, device_id::text, date_trunc('hour', created_at, 'UTC') AS hour, count(*)::text AS events,
         mod(sum(recon_hash_num(hash)), recon_modulus())::text AS hash_sum, min(device_seq)::text AS min_seq, max(device_seq)::text AS max_seq
       FROM events GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    ),
    devices: await db.query(
      `SELECT store_id::text, device_id::text, count(*)::text AS events, mod(sum(recon_hash_num(hash)), recon_modulus())::text AS hash_sum,
         max(device_seq)::text AS max_seq
       FROM events GROUP BY 1, 2 ORDER BY 1, 2`,
    ),
  });

  it('keeps the same per-hour and per-device sums as every terminal, over hex and non-hex hashes and several batches', async () => {
    await migrate(db, loadMigrations(migrationsDir(), 'central'));
    const insert = (device: string, from: number, to: number) =>
      db.query(
        `INSERT INTO events (store_id, event_id, command_id, device_id, device_seq, type, version, payload, actor_id, hlc, created_at, prev_hash, hash)
         SELECT $1::uuid, gen_random_uuid(), gen_random_uuid(), $2::uuid, i, 'ProductCreated', 1, '{}', 'owner', '',
           timestamptz '2026-11-30 22:10:00+00' + make_interval(mins => i * 17), '',
           CASE WHEN i % 11 = 0 THEN upper(encode(sha256(i::text::bytea), 'hex')) WHEN i % 13 = 0 THEN 'x' || i
             ELSE encode(sha256((i::text || $2::text)::bytea), 'hex') END
         FROM generate_series($3::int, $4::int) AS i`,
        ['0190a0a0-0000-7000-8000-000000000009', device, from, to],
      );
    const [a, b] = ['0190a0a0-0000-7000-8000-0000000000a1', '0190a0a0-0000-7000-8000-0000000000b2'];
    await insert(a, 1, 300);
    await insert(b, 1, 40);
    await insert(a, 301, 700);
    const got = await summaries();
    expect(got.hours.length).toBeGreaterThan(100);
    expect(got).toEqual(await reference());
  });
});

const ginOptions = `SELECT c.relname AS name, c.reloptions AS options FROM pg_class c
  WHERE c.relname IN ('products_search', 'products_by_barcode') ORDER BY c.relname`;

describe('migration 0039 (the central merges new product index entries in bulk)', () => {
  it("turns the products' GIN indexes to fastupdate on the central", async () => {
    await migrate(db, loadMigrations(migrationsDir(), 'central'));
    expect(await db.query(ginOptions)).toEqual([
      { name: 'products_by_barcode', options: ['fastupdate=on'] },
      { name: 'products_search', options: ['fastupdate=on'] },
    ]);
  });
});
