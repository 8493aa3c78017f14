import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMigrations, migrate, type NodeRole } from './migrate.js';
import { openPglite } from './pglite.js';
import { openPostgres } from './postgres.js';
import { describeSchema } from './schema.js';
import { migrationsDir } from '../runtime/paths.js';
import { createTestDatabase } from '../../test/support/postgres.js';
import { tempDir } from '../../test/support/tmp.js';

describe.each<NodeRole>(['terminal', 'central'])('the %s migrations', (role) => {
  let pgSchema: string[];
  let liteSchema: string[];
  const cleanups: (() => Promise<void> | void)[] = [];

  beforeAll(async () => {
    const migrations = loadMigrations(migrationsDir(), role);
    const server = await createTestDatabase();
    cleanups.push(server.drop);
    const pgDb = openPostgres(server.url);
    await migrate(pgDb, migrations);
    pgSchema = await describeSchema(pgDb);
    await pgDb.close();

    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const lite = await openPglite(tmp.dir);
    await migrate(lite, migrations);
    liteSchema = await describeSchema(lite);
    await lite.close();
  });

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('produce the same schema on PGlite and on the PostgreSQL server', () => {
    expect(liteSchema.length).toBeGreaterThan(20);
    expect(liteSchema).toEqual(pgSchema);
  });
});
