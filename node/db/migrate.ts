import fs from 'node:fs';
import path from 'node:path';
import { sha256Hex } from '../../shared/canonical.js';
import type { Db } from './types.js';

export type NodeRole = 'terminal' | 'central';

export interface Migration {
  number: number;
  name: string;
  folder: 'common' | NodeRole;
  sql: string;
  checksum: string;
}

const FILE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/**
 * Migrations are numbered in one sequence across common/, terminal/ and central/; a role applies common plus its
 * own, in number order.
 */
export function loadMigrations(dir: string, role: NodeRole): Migration[] {
  const all: Migration[] = [];
  for (const folder of ['common', 'terminal', 'central'] as const) {
    const sub = path.join(dir, folder);
    if (!fs.existsSync(sub)) continue;
    for (const file of fs.readdirSync(sub).sort()) {
      const match = FILE.exec(file);
      if (!match) throw new Error(`migration file ${folder}/${file} is not named NNNN_name.sql`);
      // A Windows checkout (git autocrlf) has CRLF: the same migration must keep the same checksum there.
      const sql = fs.readFileSync(path.join(sub, file), 'utf8').replace(/\r\n/g, '\n');
      all.push({ number: Number(match[1]), name: match[2]!, folder, sql, checksum: sha256Hex(sql) });
    }
  }
  all.sort((a, b) => a.number - b.number);
  for (let i = 1; i < all.length; i++) {
    if (all[i]!.number === all[i - 1]!.number) {
      throw new Error(`two migrations share number ${all[i]!.number}: ${all[i - 1]!.folder}/${all[i - 1]!.name} and ${all[i]!.folder}/${all[i]!.name}`);
    }
  }
  return all.filter((m) => m.folder === 'common' || m.folder === role);
}

export class MigrationMismatch extends Error {}

interface Applied {
  number: number;
  name: string;
  checksum: string;
}

/**
 * Applies what is pending, each migration in its own transaction. Refuses to start when what the database has
 * applied is not a prefix of this build's list: a database from a newer build, another role, or an edited file.
 */
export async function migrate(db: Db, migrations: Migration[]): Promise<{ applied: number[] }> {
  const [{ exists } = { exists: false }] = await db.query<{ exists: boolean }>("SELECT to_regclass('schema_migrations') IS NOT NULL AS exists");
  if (!exists) {
    await db.write(async (tx) => {
      // Two central processes starting at once on a fresh PostgreSQL: IF NOT EXISTS alone races in the catalog
      // (a duplicate key in pg_type), so they take the migrations' lock first.
      if (db.engine === 'postgres') await tx.query('SELECT pg_advisory_xact_lock(7261001)');
      await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
        number int PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    });
  }
  const done = await db.query<Applied>('SELECT number, name, checksum FROM schema_migrations ORDER BY number');
  done.forEach((row, i) => {
    const expected = migrations[i];
    if (!expected) {
      throw new MigrationMismatch(
        `This database has migration ${row.number} (${row.name}) which this version of Mostrador does not know. ` +
          'It was written by a newer version or another role; run that version, or rebuild from the journal.',
      );
    }
    if (expected.number !== row.number || expected.name !== row.name || expected.checksum !== row.checksum) {
      throw new MigrationMismatch(
        `Applied migration ${row.number} (${row.name}) differs from this version's ${expected.number} (${expected.name}); refusing to start.`,
      );
    }
  });
  const applied: number[] = [];
  for (const m of migrations.slice(done.length)) {
    const mine = await db.write(async (tx) => {
      if (db.engine === 'postgres') await tx.query('SELECT pg_advisory_xact_lock(7261001)');
      const [already] = await tx.query('SELECT 1 FROM schema_migrations WHERE number = $1', [m.number]);
      if (already) return false;
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (number, name, checksum) VALUES ($1, $2, $3)', [m.number, m.name, m.checksum]);
      return true;
    });
    // Another process starting beside this one may have applied it first.
    if (mine) applied.push(m.number);
  }
  return { applied };
}
