import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids.js';
import { loadMigrations, migrate } from '../db/migrate.js';
import { openPostgres, type PostgresDb } from '../db/postgres.js';
import { migrationsDir } from '../runtime/paths.js';
import { createTestDatabase } from '../../test/support/postgres.js';
import { stockMovementsProjection } from './movements.projection.js';

describe('migration 0028 (stock movements keyed by their event)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: PostgresDb;
  beforeAll(async () => {
    database = await createTestDatabase('mostrador_stock_migrate');
    db = openPostgres(database.url);
  }, 60_000);
  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  it("renumbers each movement within its event and keeps every row; the projection reads them back in event order", async () => {
    const all = loadMigrations(migrationsDir(), 'terminal');
    await migrate(db, all.filter((m) => m.number < 28));
    const store = newId();
    const sale = newId();
    const [p1, p2] = [newId(), newId()];
    const [e1, e2] = [newId(), newId()].sort();
    // As the old save wrote them: the sale's two lines at 0 and 1, the refund's line after them at 2.
    const rows = [
      [0, p1, -2000, 'sale', e1],
      [1, p2, -1000, 'sale', e1],
      [2, p1, 500, 'refund', e2],
    ] as const;
    for (const [pos, product, quantity, kind, event] of rows) {
      await db.write((tx) =>
        tx.query('INSERT INTO stock_movements (store_id, source_id, pos, product_id, location, quantity, kind, event_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [
          store, sale, pos, product, 'store', quantity, kind, event,
        ]),
      );
    }
    await migrate(db, all);
    const after = await db.query<{ pos: number; event_id: string; quantity: number }>(
      'SELECT pos, event_id::text AS event_id, quantity::int AS quantity FROM stock_movements WHERE store_id = $1 ORDER BY event_id, pos',
      [store],
    );
    expect(after).toEqual([
      { pos: 0, event_id: e1, quantity: -2000 },
      { pos: 1, event_id: e1, quantity: -1000 },
      { pos: 0, event_id: e2, quantity: 500 },
    ]);
    const loaded = await stockMovementsProjection.loadAll(db, store);
    expect(loaded.get(sale)!.movements.map((m) => [m.eventId, Number(m.quantity)])).toEqual([[e1, -2000], [e1, -1000], [e2, 500]]);
    // The same event and place twice is refused: a replay cannot add a movement.
    await expect(
      db.write((tx) =>
        tx.query('INSERT INTO stock_movements (store_id, source_id, pos, product_id, location, quantity, kind, event_id) VALUES ($1, $2, 0, $3, $4, 1, $5, $6)', [store, sale, p1, 'store', 'refund', e2]),
      ),
    ).rejects.toThrow(/duplicate key/);
  });
});
