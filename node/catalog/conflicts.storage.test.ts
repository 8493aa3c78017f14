import { afterAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../shared/canonical.js';
import { upcast, type EventDraft, type EventEnvelope } from '../../shared/events.js';
import { newId } from '../../shared/ids.js';
import { allProjections, route } from '../domains.js';
import { emptyHead, sealEvents, type ChainHead } from '../journal/chain.js';
import { foldEvents } from '../journal/projection.js';
import { applyRemoteEvents } from '../journal/remote.js';
import { verifyReadModels } from '../journal/verify.js';
import { openDataDir } from '../runtime/open.js';
import { tempDir } from '../../test/support/tmp.js';
import type { ConflictRow } from './conflicts.model.js';
import { decodeFields, encodeFields, productConflictsProjection } from './conflicts.projection.js';

/** How product_conflicts rows are stored (common 0039): compactly, and rows in the older shape still read. */
const STORE = newId();
const PRODUCT = newId();

function writer(storeId: string) {
  const deviceId = newId();
  let head: ChainHead = emptyHead(deviceId);
  let clock = 0;
  return (draft: EventDraft): EventEnvelope => {
    const now = new Date(Date.UTC(2026, 11, 1, 12) + 1000 * clock++);
    const sealed = sealEvents(head, [draft], { storeId, deviceId, commandId: newId(), actorId: 'cajera', now, newId });
    head = sealed.head;
    return sealed.events[0]!;
  };
}

const creation = (productId: string): EventDraft => ({
  type: 'ProductCreated',
  payload: { productId, name: 'Yerba 1 kg', sku: 'YER-1', barcodes: ['7790000000011'], price: 5000, currency: 'ARS', cost: 3000, taxRateBp: 2100, category: 'Almacén', unit: 'unit', trackStock: true, minStock: 5 },
});
const repriced = (price: number, basis: string): EventDraft => ({
  type: 'PriceChanged',
  payload: { productId: PRODUCT, price, previousPrice: 5000, currency: 'ARS', reason: null, basis },
});

const rowOf = (events: EventEnvelope[]) => (foldEvents(events.map(upcast), route).get(productConflictsProjection) as Map<string, ConflictRow>).get(PRODUCT)!;

describe('product_conflicts storage', () => {
  it('decodes to the very writes it encoded, a conflict among them', () => {
    const [a, b] = [writer(STORE), writer(STORE)];
    const created = a(creation(PRODUCT));
    const history = [created, a(repriced(6000, created.hlc)), b(repriced(7000, created.hlc)), b(repriced(8000, created.hlc))];
    const row = rowOf(history);
    expect(row.conflicts.length).toBeGreaterThan(0);
    const { fields, writers } = encodeFields(row.fields);
    expect(writers).toHaveLength(history.length);
    expect(canonicalJson(decodeFields(JSON.parse(JSON.stringify(fields)), JSON.parse(JSON.stringify(writers))))).toBe(canonicalJson(row.fields));
  });

  it("keeps a creation's row below PostgreSQL's TOAST threshold (~2 KB)", () => {
    const row = rowOf([writer(STORE)(creation(PRODUCT))]);
    expect(JSON.stringify(row.fields).length).toBeGreaterThan(2000);
    expect(JSON.stringify(encodeFields(row.fields)).length).toBeLessThan(1000);
  });

  describe('on a live node', () => {
    const tmp = tempDir('mostrador-conflicts-storage-');
    afterAll(() => tmp.remove());

    it('reads a row stored before 0039 and stores it compactly when next written', async () => {
      const store = await openDataDir(`${tmp.dir}/node`);
      try {
        const scope = { storeId: store.identity.storeId, deviceId: store.identity.deviceId, mode: 'remote' as const };
        const [a, b] = [writer(scope.storeId), writer(scope.storeId)];
        const created = a(creation(PRODUCT));
        expect((await applyRemoteEvents(store.db, scope, [created], route)).refused).toEqual([]);
        // As 0027 stored it: whole FieldWrite records, no writers.
        await store.db.write((tx) =>
          tx.query('UPDATE product_conflicts SET fields = $2::jsonb, writers = NULL WHERE product_id = $1', [PRODUCT, JSON.stringify(rowOf([created]).fields)]),
        );
        expect(await verifyReadModels(store.db, scope.storeId, allProjections, route)).toEqual([]);
        const later = [a(repriced(6000, created.hlc)), b(repriced(7000, created.hlc))];
        expect((await applyRemoteEvents(store.db, scope, later, route)).refused).toEqual([]);
        expect(await verifyReadModels(store.db, scope.storeId, allProjections, route)).toEqual([]);
        const [stored] = await store.db.query<{ writers: unknown[] | null; last: Date | null }>(
          'SELECT writers, last_conflict_at AS last FROM product_conflicts WHERE product_id = $1',
          [PRODUCT],
        );
        expect(stored!.writers).toHaveLength(3);
        expect(stored!.last?.toISOString()).toBe(rowOf([created, ...later]).conflicts[0]!.at);
        // 0039 leaves a terminal's GIN indexes as 0005 made them: its searches must not scan a pending list.
        const options = await store.db.query<{ options: string[] }>(
          "SELECT reloptions AS options FROM pg_class WHERE relname IN ('products_search', 'products_by_barcode')",
        );
        expect(options.map((o) => o.options)).toEqual([['fastupdate=off'], ['fastupdate=off']]);
      } finally {
        await store.close();
      }
    }, 120_000);
  });
});
