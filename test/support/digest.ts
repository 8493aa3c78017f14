import type { ReadDb } from '../../node/db/types.js';

const statements = new WeakMap<ReadDb, string>();

/**
 * The scheduler's own bookkeeping (node/jobs): written by background jobs on their clock (the planner statistics a
 * few seconds after start), never by a request, so a refused request's before/after would otherwise race them.
 */
const BACKGROUND = ['job_locks', 'job_runs'];

/**
 * A fingerprint of every row of every table (row count and md5 of the rows in a fixed order), per table, in one
 * round trip: taken before and after a refused request, it proves that the request changed nothing. The list of
 * tables is read once per database.
 */
export async function databaseDigest(db: ReadDb): Promise<Record<string, string>> {
  let sql = statements.get(db);
  if (!sql) {
    const tables = await db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
       AND NOT table_name = ANY($1::text[]) ORDER BY table_name`,
      [BACKGROUND],
    );
    const parts = tables.map(
      ({ table_name }) =>
        `SELECT ${quote(table_name)} AS t, count(*) || ':' || coalesce(md5(string_agg(r::text, '|' ORDER BY r::text)), '') AS d FROM "${table_name.replace(/"/g, '""')}" r`,
    );
    sql = parts.join(' UNION ALL ');
    statements.set(db, sql);
  }
  const rows = await db.query<{ t: string; d: string }>(sql);
  return Object.fromEntries(rows.map((r) => [r.t, r.d]));
}

const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;
