import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDraft, EventEnvelope } from '../../shared/events.js';
import { newId } from '../../shared/ids.js';
import { loadMigrations, migrate } from '../db/migrate.js';
import { openPostgres, type PostgresDb } from '../db/postgres.js';
import { allProjections, route } from '../domains.js';
import { ensureIdentity, type Identity } from '../runtime/identity.js';
import { migrationsDir } from '../runtime/paths.js';
import { createTestDatabase } from '../../test/support/postgres.js';
import { emptyHead, sealEvents } from './chain.js';
import { applyRemoteEvents, type ApplyScope } from './remote.js';
import { verifyReadModels } from './verify.js';

/**
 * Several processes of the central apply at once on one PostgreSQL: a read model row loaded by one is locked until
 * it commits, so no applier overwrites another's change with a row it read before that change (no lost update).
 */
describe('remote apply with concurrent appliers on PostgreSQL', () => {
  let drop: () => Promise<void>;
  let db: PostgresDb;
  let identity: Identity;
  let scope: ApplyScope;

  beforeAll(async () => {
    const server = await createTestDatabase();
    drop = server.drop;
    db = openPostgres(server.url, { max: 8 });
    await migrate(db, loadMigrations(migrationsDir(), 'central'));
    identity = await ensureIdentity(db, 'central', 'ARS');
    scope = { storeId: identity.storeId, deviceId: identity.deviceId, mode: 'remote' };
  });
  afterAll(async () => {
    await db?.close();
    await drop?.();
  });

  const seal = (deviceId: string, drafts: EventDraft[]): EventEnvelope[] =>
    sealEvents(emptyHead(deviceId), drafts, { storeId: identity.storeId, deviceId, commandId: newId(), actorId: 'cajero', now: new Date(), newId }).events;

  it('each device changes another field of one product at the same moment: every change is kept', async () => {
    for (let round = 0; round < 4; round++) {
      const productId = newId();
      const creator = newId();
      const created = seal(creator, [
        {
          type: 'ProductCreated',
          payload: { productId, name: 'Yerba 1kg', sku: null, barcodes: [], price: 500000, currency: 'ARS', cost: null, taxRateBp: 2100, category: null, unit: 'unit', trackStock: true, minStock: null },
        },
      ]);
      await applyRemoteEvents(db, scope, created, route);
      const changes: EventDraft[] = [
        { type: 'ProductUpdated', payload: { productId, changes: { name: 'Yerba mate 1kg' } } },
        { type: 'ProductUpdated', payload: { productId, changes: { sku: 'YER-1' } } },
        { type: 'ProductUpdated', payload: { productId, changes: { category: 'Almacén' } } },
        { type: 'ProductUpdated', payload: { productId, changes: { minStock: 5000 } } },
        { type: 'PriceChanged', payload: { productId, price: 550000, previousPrice: 500000, currency: 'ARS', reason: null } },
        { type: 'ProductUpdated', payload: { productId, changes: { cost: 300000 } } },
      ];
      const results = await Promise.all(changes.map((draft) => applyRemoteEvents(db, scope, seal(newId(), [draft]), route)));
      expect(results.map((r) => r.applied), `round ${round}`).toEqual(changes.map(() => 1));
      const [row] = await db.query<Record<string, unknown>>('SELECT name, sku, category, min_stock, price, cost, version FROM products WHERE id = $1', [productId]);
      expect(row, `round ${round}`).toEqual({ name: 'Yerba mate 1kg', sku: 'YER-1', category: 'Almacén', min_stock: 5000, price: 550000, cost: 300000, version: 7 });
    }
    expect(await verifyReadModels(db, identity.storeId, allProjections, route)).toEqual([]);
  });

  it('two appliers of one device queue on its head: its events are stored once, nothing parked', async () => {
    const device = newId();
    const productId = newId();
    const events = seal(device, [
      {
        type: 'ProductCreated',
        payload: { productId, name: 'Fideos', sku: null, barcodes: [], price: 90000, currency: 'ARS', cost: null, taxRateBp: 2100, category: null, unit: 'unit', trackStock: true, minStock: null },
      },
      { type: 'ProductUpdated', payload: { productId, changes: { name: 'Fideos tirabuzón' } } },
    ]);
    const [a, b] = await Promise.all([applyRemoteEvents(db, scope, events, route), applyRemoteEvents(db, scope, events, route)]);
    expect([a.applied + b.applied, a.duplicates + b.duplicates, a.parked.length + b.parked.length, a.refused.length + b.refused.length]).toEqual([2, 2, 0, 0]);
  });
});
