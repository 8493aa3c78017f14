import type { ReadDb, WriteTx } from '../db/types.js';
import { defineProjection } from '../journal/projection.js';
import { applySettingChanged, type SettingRow } from './settings.model.js';

const COLUMNS = `key, value, hlc, to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "updatedAt",
  updated_by AS "updatedBy"`;

const SAVE = `
INSERT INTO settings (store_id, key, value, hlc, updated_at, updated_by)
SELECT $1::uuid, r.key, r.value, r.hlc, r."updatedAt", r."updatedBy"
FROM jsonb_to_recordset($2::jsonb) AS r(key text, value jsonb, hlc text, "updatedAt" timestamptz, "updatedBy" text)
ON CONFLICT (store_id, key) DO UPDATE SET value = excluded.value, hlc = excluded.hlc,
  updated_at = excluded.updated_at, updated_by = excluded.updated_by`;

async function select(db: ReadDb, where: string, params: unknown[]): Promise<Map<string, SettingRow>> {
  const rows = await db.query<SettingRow>(`SELECT ${COLUMNS} FROM settings WHERE ${where}`, params);
  return new Map(rows.map((r) => [r.key, r]));
}

/** Every setting the store has changed from its default, one row per key. */
export async function settingRows(db: ReadDb, storeId: string): Promise<SettingRow[]> {
  return [...(await select(db, 'store_id = $1', [storeId])).values()];
}

/**
 * The settings read model, keyed by setting key. Other domains read a key inside their command with
 * `ctx.get(settingsProjection, key)` (see node/settings/index.ts `commandSettings`).
 */
export const settingsProjection = defineProjection<SettingRow, 'SettingChanged'>({
  name: 'settings',
  topic: 'settings',
  handles: ['SettingChanged'],
  keysOf: (event) => [event.payload.key],
  apply: applySettingChanged,
  load: (tx, storeId, keys) => select(tx, 'store_id = $1 AND key = ANY($2::text[]) ORDER BY key FOR UPDATE', [storeId, keys]),
  loadAll: (db, storeId) => select(db, 'store_id = $1', [storeId]),
  async save(tx: WriteTx, storeId, rows) {
    await tx.query(SAVE, [storeId, JSON.stringify(rows)]);
  },
  async remove(tx: WriteTx, storeId, keys) {
    await tx.query('DELETE FROM settings WHERE store_id = $1 AND key = ANY($2::text[])', [storeId, keys]);
  },
});
