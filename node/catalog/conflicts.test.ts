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
import { KEEP, type ConflictRow } from './conflicts.model.js';
import { productConflictsProjection } from './conflicts.projection.js';
import { listConflicts } from './conflicts.queries.js';

/**
 * R8's conflict log: a write that loses to a concurrent write of another device (one that had not seen it) is
 * logged with its winner; an older write arriving late after a newer one made with it in hand is not; and every
 * node derives the same log from the same events, in any order.
 */
const PRODUCT = newId();

class Device {
  readonly id = newId();
  head: ChainHead;
  clock = 0;
  constructor(
    readonly storeId: string,
    readonly skewMs: number,
  ) {
    this.head = emptyHead(this.id);
  }

  write(draft: EventDraft): EventEnvelope {
    const now = new Date(Date.UTC(2026, 10, 29, 12) + this.skewMs + 1000 * this.clock++);
    const sealed = sealEvents(this.head, [draft], { storeId: this.storeId, deviceId: this.id, commandId: newId(), actorId: `user-${this.id.slice(-4)}`, now, newId });
    this.head = sealed.head;
    return sealed.events[0]!;
  }
}

const created = (device: Device) =>
  device.write({
    type: 'ProductCreated',
    payload: { productId: PRODUCT, name: 'Yerba 1 kg', sku: null, barcodes: [], price: 5000, currency: 'ARS', cost: null, taxRateBp: 2100, category: null, unit: 'unit', trackStock: true, minStock: null },
  });
const renamed = (device: Device, name: string, basis: string) =>
  device.write({ type: 'ProductUpdated', payload: { productId: PRODUCT, changes: { name }, basis: { name: basis } } });
const repriced = (device: Device, price: number, basis: string | null) =>
  device.write({ type: 'PriceChanged', payload: { productId: PRODUCT, price, previousPrice: 5000, currency: 'ARS', reason: null, basis } });

const conflictsOf = (events: EventEnvelope[]): ConflictRow['conflicts'] =>
  (foldEvents(events.map(upcast), route).get(productConflictsProjection) as Map<string, ConflictRow> | undefined)?.get(PRODUCT)?.conflicts ?? [];

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

describe('the catalog conflict log', () => {
  const STORE = newId();

  it('logs a rename that lost to a concurrent rename of another terminal, the same in every arrival order', () => {
    const [a, b, c] = [new Device(STORE, 0), new Device(STORE, 10_000), new Device(STORE, 20_000)];
    const creation = created(a);
    const fromB = renamed(b, 'Yerba Mate 1 kg', creation.hlc); // B and C both saw only the creation
    const fromC = renamed(c, 'Yerba Suave 1 kg', creation.hlc);
    const logs = permutations([creation, fromB, fromC]).map((order) => canonicalJson(conflictsOf(order)));
    expect(new Set(logs).size).toBe(1);
    const [conflict] = conflictsOf([creation, fromB, fromC]);
    expect(conflict).toMatchObject({ field: 'name', strategy: 'lww-hlc', winner: { eventId: fromC.event_id, value: 'Yerba Suave 1 kg', deviceId: c.id } });
    expect(conflict!.losers.map((l) => [l.eventId, l.value])).toEqual([[fromB.event_id, 'Yerba Mate 1 kg']]);
  });

  it('does not log a write made with the other in hand, even when the older one arrives last', () => {
    const [a, b, c] = [new Device(STORE, 0), new Device(STORE, 10_000), new Device(STORE, 20_000)];
    const creation = created(a);
    const fromB = repriced(b, 5500, creation.hlc);
    const fromC = repriced(c, 6000, fromB.hlc); // C had pulled B's price before changing it
    for (const order of permutations([creation, fromB, fromC])) expect(conflictsOf(order)).toEqual([]);
  });

  it('never calls a write without a basis (v1 events, creations) concurrent', () => {
    const [a, b] = [new Device(STORE, 0), new Device(STORE, 10_000)];
    const creation = created(a);
    expect(conflictsOf([creation, repriced(b, 7000, null)])).toEqual([]);
  });

  it('converges: any interleaving of the same writes gives the same log (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ device: fc.nat(2), seenUpTo: fc.nat(20), price: fc.integer({ min: 1, max: 99 }) }), { minLength: 1, maxLength: 14 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 30 }),
        (ops, picks) => {
          const devices = [new Device(STORE, 0), new Device(STORE, 3_000), new Device(STORE, -3_000)];
          const history = [created(devices[0]!)];
          // Each write's basis is the clock of some earlier write (what that device had pulled), or the creation.
          for (const op of ops) history.push(repriced(devices[op.device]!, op.price * 100, history[op.seenUpTo % history.length]!.hlc));
          const shuffled = [...history].sort((x, y) => ((picks[history.indexOf(x) % picks.length]! - picks[history.indexOf(y) % picks.length]!) || 0));
          expect(canonicalJson(conflictsOf(shuffled))).toBe(canonicalJson(conflictsOf(history)));
          const fields = (foldEvents(history.map(upcast), route).get(productConflictsProjection) as Map<string, ConflictRow>).get(PRODUCT)!.fields;
          expect(fields.price!.length).toBeLessThanOrEqual(KEEP);
        },
      ),
      { numRuns: 200 },
    );
  });

  describe('on a live node', () => {
    const tmp = tempDir('mostrador-conflicts-');
    afterAll(() => tmp.remove());

    it('is kept by remote apply, agrees with the verifier, and is read by date', async () => {
      const store = await openDataDir(`${tmp.dir}/node`);
      try {
        const scope = { storeId: store.identity.storeId, deviceId: store.identity.deviceId, mode: 'remote' as const };
        const [a, b, c] = [new Device(scope.storeId, 0), new Device(scope.storeId, 10_000), new Device(scope.storeId, 20_000)];
        const creation = created(a);
        const fromB = renamed(b, 'Yerba Mate 1 kg', creation.hlc);
        const fromC = renamed(c, 'Yerba Suave 1 kg', creation.hlc);
        for (const batch of [[creation], [fromC], [fromB]]) expect((await applyRemoteEvents(store.db, scope, batch, route)).refused).toEqual([]);
        expect(await verifyReadModels(store.db, scope.storeId, allProjections, route)).toEqual([]);
        const { conflicts } = await listConflicts(store.db, scope.storeId, { limit: 10 });
        expect(conflicts).toHaveLength(1);
        expect(conflicts[0]).toMatchObject({ productId: PRODUCT, productName: 'Yerba Suave 1 kg', field: 'name', losers: [{ eventId: fromB.event_id }] });
        const later = await listConflicts(store.db, scope.storeId, { from: '2030-01-01T00:00:00Z', limit: 10 });
        expect(later.conflicts).toEqual([]);
      } finally {
        await store.close();
      }
    }, 120_000);
  });
});
