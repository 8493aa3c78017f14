import type { ReadDb, WriteTx } from '../db/types.js';
import { defineProjection } from '../journal/projection.js';
import { applyUserEvent, type UserRow } from './model.js';

export const USER_COLUMNS = `id::text AS id, name, role, active, version, field_hlc AS "fieldHlc", created_at AS "createdAt",
  updated_at AS "updatedAt", updated_by AS "updatedBy"`;

type DbRow = Omit<UserRow, 'createdAt' | 'updatedAt'> & { createdAt: Date | null; updatedAt: Date };

export const userFromDb = (row: DbRow): UserRow => ({ ...row, createdAt: row.createdAt?.toISOString() ?? null, updatedAt: row.updatedAt.toISOString() });

const SAVE = `
INSERT INTO users (store_id, id, name, role, active, version, field_hlc, created_at, updated_at, updated_by)
SELECT $1::uuid, r.id, r.name, r.role, r.active, r.version, r."fieldHlc", r."createdAt", r."updatedAt", r."updatedBy"
FROM jsonb_to_recordset($2::jsonb) AS r(id uuid, name text, role text, active boolean, version integer, "fieldHlc" jsonb,
  "createdAt" timestamptz, "updatedAt" timestamptz, "updatedBy" text)
ON CONFLICT (store_id, id) DO UPDATE SET name = excluded.name, role = excluded.role, active = excluded.active,
  version = excluded.version, field_hlc = excluded.field_hlc, created_at = excluded.created_at,
  updated_at = excluded.updated_at, updated_by = excluded.updated_by`;

async function select(db: ReadDb, where: string, params: unknown[]): Promise<Map<string, UserRow>> {
  const rows = await db.query<DbRow>(`SELECT ${USER_COLUMNS} FROM users WHERE ${where}`, params);
  return new Map(rows.map((r) => [r.id, userFromDb(r)]));
}

export const usersProjection = defineProjection<UserRow, 'UserCreated' | 'UserUpdated'>({
  name: 'users',
  topic: 'users',
  handles: ['UserCreated', 'UserUpdated'],
  keysOf: (event) => [event.payload.userId],
  apply: applyUserEvent,
  load: (tx, storeId, keys) => select(tx, 'store_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE', [storeId, keys]),
  loadAll: (db, storeId) => select(db, 'store_id = $1', [storeId]),
  async save(tx: WriteTx, storeId, rows) {
    await tx.query(SAVE, [storeId, JSON.stringify(rows)]);
  },
  async remove(tx: WriteTx, storeId, keys) {
    await tx.query('DELETE FROM users WHERE store_id = $1 AND id = ANY($2::uuid[])', [storeId, keys]);
  },
});
