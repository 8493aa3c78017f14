import fc from 'fast-check';
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
import { productsProjection } from './products.projection.js';

/**
 * R8: several terminals edit the same products offline; whatever order their events reach a node in (each device's
 * own order kept), every node ends with the same rows: last-writer-wins per field by HLC, the creation included,
 * even when an update arrives before the creation it follows.
 */
const STORE = newId();
const PRODUCTS = [newId(), newId(), newId()];

type Op = { kind: 'create' | 'rename' | 'price' | 'unit'; product: number; value: number };

const opArb = fc.record({
  kind: fc.constantFrom('create', 'rename', 'price', 'unit'),
  product: fc.integer({ min: 0, max: PRODUCTS.length - 1 }),
  value: fc.integer({ min: 1, max: 9 }),
}) as fc.Arbitrary<Op>;

const draftOf = (op: Op): EventDraft => {
  const productId = PRODUCTS[op.product]!;
  switch (op.kind) {
    case 'create':
      return {
        type: 'ProductCreated',
        payload: { productId, name: `Creado ${op.value}`, sku: null, barcodes: [], price: op.value * 100, currency: 'ARS', cost: null, taxRateBp: 2100, category: null, unit: 'unit', trackStock: true, minStock: null },
      };
    case 'rename':
      return { type: 'ProductUpdated', payload: { productId, changes: { name: `Nombre ${op.value}` }, basis: {} } };
    case 'price':
      return { type: 'PriceChanged', payload: { productId, price: op.value * 1000, previousPrice: 0, currency: 'ARS', reason: null, basis: null } };
    case 'unit':
      return { type: 'ProductUpdated', payload: { productId, changes: { unit: op.value % 2 ? 'kg' : 'unit', category: `Cat ${op.value}` }, basis: {} } };
  }
};

/** Each device seals its own ops as a chain, its wall clock skewed by its own offset (ties are broken by device id). */
function devicesOf(opsByDevice: Op[][], skews: number[], storeId = STORE): EventEnvelope[][] {
  return opsByDevice.map((ops, d) => {
    const deviceId = newId();
    let head: ChainHead = emptyHead(deviceId);
    return ops.map((op, i) => {
      const now = new Date(Date.UTC(2026, 10, 29, 12) + skews[d]! + i * 1000);
      const sealed = sealEvents(head, [draftOf(op)], { storeId, deviceId, commandId: newId(), actorId: `cajero${d}`, now, newId });
      head = sealed.head;
      return sealed.events[0]!;
    });
  });
}

/** A merge of the devices' streams in the order `picks` chooses, each stream's own order kept. */
function interleave(streams: EventEnvelope[][], picks: number[]): EventEnvelope[] {
  const queues = streams.map((s) => [...s]);
  const out: EventEnvelope[] = [];
  let k = 0;
  while (queues.some((q) => q.length > 0)) {
    const open = queues.filter((q) => q.length > 0);
    out.push(open[(picks[k++ % Math.max(1, picks.length)] ?? 0) % open.length]!.shift()!);
  }
  return out;
}

const rowsOf = (events: EventEnvelope[]) => {
  const folded = foldEvents(events.map(upcast), route).get(productsProjection) ?? new Map();
  return canonicalJson(Object.fromEntries([...folded].sort(([a], [b]) => a.localeCompare(b))));
};

const scenario = fc.record({
  ops: fc.array(fc.array(opArb, { maxLength: 8 }), { minLength: 2, maxLength: 4 }),
  skews: fc.array(fc.integer({ min: -5000, max: 5000 }), { minLength: 4, maxLength: 4 }),
  a: fc.array(fc.nat(), { minLength: 1, maxLength: 40 }),
  b: fc.array(fc.nat(), { minLength: 1, maxLength: 40 }),
});

describe('products converge under any interleaving of devices', () => {
  it('the pure fold gives the same rows for any two interleavings (property)', () => {
    fc.assert(
      fc.property(scenario, ({ ops, skews, a, b }) => {
        const streams = devicesOf(ops, skews);
        expect(rowsOf(interleave(streams, a))).toBe(rowsOf(interleave(streams, b)));
      }),
      { numRuns: Number(process.env.CONVERGE_RUNS ?? 300) },
    );
  });

  it('an update that arrives before its creation is kept, and the creation fills the rest', () => {
    const [early, late] = devicesOf([[{ kind: 'create', product: 0, value: 1 }], [{ kind: 'rename', product: 0, value: 7 }]], [0, 60_000]);
    const row = foldEvents([...late!, ...early!].map(upcast), route).get(productsProjection)!.get(PRODUCTS[0]!);
    expect(row).toMatchObject({ name: 'Nombre 7', price: 100, createdBy: 'cajero0', updatedBy: 'cajero1', version: 2 });
  });

  describe('live apply on PGlite agrees with the fold and with the verifier', () => {
    const tmp = tempDir('mostrador-converge-');
    afterAll(() => tmp.remove());

    it('for a few random interleavings applied in random batches', async () => {
      const samples = fc.sample(scenario, { numRuns: 2, seed: 42 });
      for (const [n, { ops, skews, a }] of samples.entries()) {
        const store = await openDataDir(`${tmp.dir}/n${n}`);
        try {
          const scope = { storeId: store.identity.storeId, deviceId: store.identity.deviceId, mode: 'remote' as const };
          const rehomed = interleave(devicesOf(ops, skews, scope.storeId), a);
          for (let i = 0; i < rehomed.length; i += 1 + (a[i % a.length]! % 5)) {
            const batch = rehomed.slice(i, i + 1 + (a[i % a.length]! % 5));
            const result = await applyRemoteEvents(store.db, scope, batch, route);
            expect(result.refused).toEqual([]);
          }
          const live = await productsProjection.loadAll(store.db, scope.storeId);
          const folded = foldEvents(rehomed.map(upcast), route).get(productsProjection) ?? new Map();
          expect(canonicalJson(Object.fromEntries([...live].sort()))).toBe(canonicalJson(Object.fromEntries([...folded].sort())));
          expect(await verifyReadModels(store.db, scope.storeId, allProjections, route)).toEqual([]);
        } finally {
          await store.close();
        }
      }
    }, 240_000);
  });
});
