import pg from 'pg';
import { randomBytes } from 'node:crypto';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * A fresh PostgreSQL database for one test file (or benchmark), dropped afterwards. Fails loudly (never skips) when the server is
 * not there, saying how to start it.
 */
export async function createTestDatabase(prefix = 'mostrador_test'): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${TEST_DATABASE_URL} (${(error as Error).message}). Start it with ` +
        '`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` or set TEST_DATABASE_URL.',
    );
  }
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * A copy of the database at `url` as it is now (`CREATE DATABASE … TEMPLATE`, so nobody may be connected to it
 * meanwhile: stop its users first), and how to put it back in place of the live one later (a central restored from
 * an older backup). Both copies are dropped by `drop`.
 */
export async function backupDatabase(url: string): Promise<{ restore: () => Promise<void>; drop: () => Promise<void> }> {
  const live = new URL(url).pathname.slice(1);
  const copy = `${live}_bak_${randomBytes(3).toString('hex')}`;
  const admin = async (sql: string[]) => {
    const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await c.connect();
    try {
      for (const statement of sql) await c.query(statement);
    } finally {
      await c.end();
    }
  };
  await admin([`CREATE DATABASE ${copy} TEMPLATE ${live}`]);
  return {
    restore: () => admin([`DROP DATABASE IF EXISTS ${live} WITH (FORCE)`, `CREATE DATABASE ${live} TEMPLATE ${copy}`]),
    drop: () => admin([`DROP DATABASE IF EXISTS ${copy} WITH (FORCE)`]),
  };
}
