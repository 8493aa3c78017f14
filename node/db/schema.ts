import type { ReadDb } from './types.js';

/**
 * A description of the public schema that both engines produce the same way (information_schema and pg_indexes, not
 * raw catalogs), for comparing PGlite (PostgreSQL 18) with the PostgreSQL 15 server.
 */
export async function describeSchema(db: ReadDb): Promise<string[]> {
  const columns = await db.query<Record<string, string>>(`
    SELECT table_name, column_name, data_type, udt_name, is_nullable, coalesce(column_default, '') AS column_default
    FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, column_name`);
  const constraints = await db.query<Record<string, string>>(`
    SELECT tc.table_name, tc.constraint_type,
      coalesce(string_agg(kcu.column_name, ',' ORDER BY kcu.ordinal_position), '') AS columns
    FROM information_schema.table_constraints tc
    LEFT JOIN information_schema.key_column_usage kcu
      ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema AND kcu.table_name = tc.table_name
    WHERE tc.table_schema = 'public' AND tc.constraint_type IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY')
    GROUP BY tc.table_name, tc.constraint_name, tc.constraint_type ORDER BY 1, 2, 3`);
  const checks = await db.query<Record<string, string>>(`
    SELECT cc.check_clause FROM information_schema.check_constraints cc
    JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = cc.constraint_name
    WHERE ccu.table_schema = 'public' AND cc.check_clause NOT LIKE '% IS NOT NULL' ORDER BY 1`);
  const indexes = await db.query<Record<string, string>>(`
    SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1, 2`);
  return [
    ...columns.map((c) => `column ${c.table_name}.${c.column_name} ${c.data_type}/${c.udt_name} null=${c.is_nullable} default=${c.column_default}`),
    ...constraints.map((c) => `constraint ${c.table_name} ${c.constraint_type} (${c.columns})`),
    ...checks.map((c) => `check ${stripParens(normalise(c.check_clause ?? ''))}`),
    ...indexes.map((i) => `index ${i.tablename}.${i.indexname} ${normalise(i.indexdef ?? '')}`),
  ];
}

const normalise = (sql: string): string => sql.replace(/public\./g, '').replace(/\s+/g, ' ').trim();

/** PostgreSQL 15 wraps a check clause in one more pair of parentheses than 18 does. */
function stripParens(clause: string): string {
  let text = clause;
  while (text.startsWith('(') && text.endsWith(')') && balanced(text.slice(1, -1))) text = text.slice(1, -1);
  return text;
}

function balanced(text: string): boolean {
  let depth = 0;
  for (const ch of text) {
    depth += ch === '(' ? 1 : ch === ')' ? -1 : 0;
    if (depth < 0) return false;
  }
  return depth === 0;
}
