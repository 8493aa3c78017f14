import type { ReadDb, WriteTx } from '../db/types.js';
import { defineProjection } from '../journal/projection.js';
import { applyConflictEvent, type ConflictRow, type FieldWrite } from './conflicts.model.js';

/**
 * How a row's kept writes are stored (common 0039): what every field written by one event shares (clock, event,
 * device, actor, time) once in `writers`, and per field only [index in writers, basis, value]. A creation's row
 * is then ~0.5 KB of JSON instead of ~2.8 KB, below PostgreSQL's TOAST threshold: a batch of 1,350 creations
 * saved in ~23 ms instead of ~144 (docs/decisions/0014-relay-throughput.md). Rows written before 0039 have `writers` null
 * and `fields` as FieldWrite lists; they are read as they are and stored compactly when next written.
 */
type Writer = [hlc: string, eventId: string, deviceId: string, actorId: string, at: string];
type CompactWrite = [writer: number, basis: string | null, value: unknown];

interface StoredRow {
  productId: string;
  fields: Record<string, FieldWrite[] | CompactWrite[]>;
  writers: Writer[] | null;
  conflicts: ConflictRow['conflicts'];
}

export function encodeFields(fields: ConflictRow['fields']): { fields: Record<string, CompactWrite[]>; writers: Writer[] } {
  const writers: Writer[] = [];
  const index = new Map<string, number>();
  const out: Record<string, CompactWrite[]> = {};
  for (const [field, writes] of Object.entries(fields)) {
    out[field] = writes.map((w) => {
      let i = index.get(w.eventId);
      if (i === undefined) index.set(w.eventId, (i = writers.push([w.hlc, w.eventId, w.deviceId, w.actorId, w.at]) - 1));
      return [i, w.basis, w.value];
    });
  }
  return { fields: out, writers };
}

export function decodeFields(fields: StoredRow['fields'], writers: Writer[] | null): ConflictRow['fields'] {
  if (writers === null) return fields as Record<string, FieldWrite[]>;
  const out: ConflictRow['fields'] = {};
  for (const [field, writes] of Object.entries(fields as Record<string, CompactWrite[]>)) {
    out[field] = writes.map(([i, basis, value]) => {
      const [hlc, eventId, deviceId, actorId, at] = writers[i]!;
      return { hlc, basis, eventId, deviceId, actorId, at, value };
    });
  }
  return out;
}

const COLUMNS = `product_id::text AS "productId", fields, writers, conflicts`;

async function select(db: ReadDb, where: string, params: unknown[]): Promise<Map<string, ConflictRow>> {
  const rows = await db.query<StoredRow>(`SELECT ${COLUMNS} FROM product_conflicts WHERE ${where}`, params);
  return new Map(rows.map((r) => [r.productId, { productId: r.productId, fields: decodeFields(r.fields, r.writers), conflicts: r.conflicts }]));
}

// The newest conflict's time is only looked for when there are conflicts (most rows have none).
const SAVE = `
INSERT INTO product_conflicts (store_id, product_id, fields, writers, conflicts, last_conflict_at)
SELECT $1::uuid, r."productId", r.fields, r.writers, coalesce(r.conflicts, '[]'::jsonb),
  CASE WHEN r.conflicts IS NOT NULL THEN (SELECT max((c->>'at')::timestamptz) FROM jsonb_array_elements(r.conflicts) AS c) END
FROM jsonb_to_recordset($2::jsonb) AS r("productId" uuid, fields jsonb, writers jsonb, conflicts jsonb)
ON CONFLICT (store_id, product_id) DO UPDATE SET fields = excluded.fields, writers = excluded.writers,
  conflicts = excluded.conflicts, last_conflict_at = excluded.last_conflict_at`;

/** The catalog's conflict log, kept beside the products from the same events (see conflicts.model.ts). */
export const productConflictsProjection = defineProjection<ConflictRow, 'ProductCreated' | 'ProductUpdated' | 'PriceChanged'>({
  name: 'product_conflicts',
  topic: 'products',
  handles: ['ProductCreated', 'ProductUpdated', 'PriceChanged'],
  keysOf: (event) => [event.payload.productId],
  apply: applyConflictEvent,
  load: (tx, storeId, keys) => select(tx, 'store_id = $1 AND product_id = ANY($2::uuid[]) ORDER BY product_id FOR UPDATE', [storeId, keys]),
  loadAll: (db, storeId) => select(db, 'store_id = $1', [storeId]),
  async save(tx: WriteTx, storeId, rows) {
    const stored = rows.map((r) => ({ productId: r.productId, ...encodeFields(r.fields), conflicts: r.conflicts.length > 0 ? r.conflicts : undefined }));
    await tx.query(SAVE, [storeId, JSON.stringify(stored)]);
  },
  async remove(tx: WriteTx, storeId, keys) {
    await tx.query('DELETE FROM product_conflicts WHERE store_id = $1 AND product_id = ANY($2::uuid[])', [storeId, keys]);
  },
});
