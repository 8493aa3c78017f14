import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { openPostgres, type PostgresDb } from './postgres.js';
import { loadMigrations, migrate } from './migrate.js';
import { migrationsDir } from '../runtime/paths.js';
import { createTestDatabase, TEST_DATABASE_URL } from '../../test/support/postgres.js';

describe('the PostgreSQL adapter', () => {
  let db: PostgresDb;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const server = await createTestDatabase();
    drop = server.drop;
    db = openPostgres(server.url);
  });
  afterAll(async () => {
    await db.close();
    await drop();
  });

  it('survives the server closing an idle connection, and the next query works', async () => {
    await db.query('SELECT 1');
    const [{ pid }] = (await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')) as [{ pid: number }];
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    await admin.end();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await db.query('SELECT 2 AS two')).toEqual([{ two: 2 }]);
  });

  it('rolls a failed transaction back whole', async () => {
    await db.write((tx) => tx.exec('CREATE TABLE t (id int PRIMARY KEY)'));
    await expect(
      db.write(async (tx) => {
        await tx.query('INSERT INTO t VALUES (1)');
        await tx.query('INSERT INTO t VALUES (1)');
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect(await db.query('SELECT count(*)::int8 AS n FROM t')).toEqual([{ n: 0 }]);
  });

  it('several processes migrating one fresh database at once all start, each migration applied once', async () => {
    const fresh = await createTestDatabase('mostrador_migrate_race');
    const dbs = [0, 1, 2, 3].map(() => openPostgres(fresh.url));
    try {
      const all = loadMigrations(migrationsDir(), 'central');
      const results = await Promise.all(dbs.map((d) => migrate(d, all)));
      expect(results.flatMap((r) => r.applied).sort((a, b) => a - b)).toEqual(all.map((m) => m.number));
    } finally {
      for (const d of dbs) await d.close();
      await fresh.drop();
    }
  });
});
