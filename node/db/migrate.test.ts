import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMigrations, migrate, MigrationMismatch } from './migrate.js';
import { openPglite } from './pglite.js';
import { useTempDirs } from '../../test/support/tmp.js';

function writeMigrations(root: string, files: Record<string, string>): string {
  for (const [name, sql] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), sql);
  }
  return root;
}

describe('the migration runner', () => {
  const temp = useTempDirs();

  it('gives each role common plus its own migrations in one numbering', () => {
    const dir = writeMigrations(temp(), {
      'common/0001_a.sql': 'SELECT 1;',
      'terminal/0002_t.sql': 'SELECT 1;',
      'central/0003_c.sql': 'SELECT 1;',
      'common/0004_b.sql': 'SELECT 1;',
    });
    expect(loadMigrations(dir, 'terminal').map((m) => m.number)).toEqual([1, 2, 4]);
    expect(loadMigrations(dir, 'central').map((m) => m.number)).toEqual([1, 3, 4]);
  });

  it('gives a migration the same checksum with CRLF line endings (a Windows checkout) as with LF', () => {
    const sql = 'CREATE TABLE a (\n  id int\n);\n';
    const lf = loadMigrations(writeMigrations(temp(), { 'common/0001_a.sql': sql }), 'terminal');
    const crlf = loadMigrations(writeMigrations(temp(), { 'common/0001_a.sql': sql.replace(/\n/g, '\r\n') }), 'terminal');
    expect(crlf[0]!.checksum).toBe(lf[0]!.checksum);
    expect(crlf[0]!.sql).toBe(sql);
  });

  it('refuses two migrations with the same number in different folders', () => {
    const dir = writeMigrations(temp(), { 'common/0001_a.sql': 'SELECT 1;', 'central/0001_b.sql': 'SELECT 1;' });
    expect(() => loadMigrations(dir, 'central')).toThrow(/share number 1/);
  });

  it('applies pending migrations once and refuses a database whose applied list is not a prefix', async () => {
    const dir = writeMigrations(temp(), {
      'common/0001_a.sql': 'CREATE TABLE a (id int);',
      'terminal/0002_t.sql': 'CREATE TABLE t (id int);',
      'central/0003_c.sql': 'CREATE TABLE c (id int);',
    });
    const db = await openPglite(temp());
    try {
      expect((await migrate(db, loadMigrations(dir, 'terminal'))).applied).toEqual([1, 2]);
      expect((await migrate(db, loadMigrations(dir, 'terminal'))).applied).toEqual([]);
      await expect(migrate(db, loadMigrations(dir, 'central'))).rejects.toThrow(MigrationMismatch);
      await expect(migrate(db, loadMigrations(dir, 'terminal').slice(0, 1))).rejects.toThrow(/does not know/);
      fs.writeFileSync(path.join(dir, 'terminal/0002_t.sql'), 'CREATE TABLE t (id bigint);');
      await expect(migrate(db, loadMigrations(dir, 'terminal'))).rejects.toThrow(/differs/);
    } finally {
      await db.close();
    }
  });

  it('rolls back a failing migration whole', async () => {
    const dir = writeMigrations(temp(), { 'common/0001_bad.sql': 'CREATE TABLE x (id int); SELECT * FROM missing;' });
    const db = await openPglite(temp());
    try {
      await expect(migrate(db, loadMigrations(dir, 'terminal'))).rejects.toThrow(/missing/);
      expect(await db.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'x'")).toEqual([]);
      expect(await db.query('SELECT * FROM schema_migrations')).toEqual([]);
    } finally {
      await db.close();
    }
  });
});
