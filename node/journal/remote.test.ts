import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDraft, EventEnvelope } from '../../shared/events.js';
import { newId } from '../../shared/ids.js';
import { allProjections, projectionsFor } from '../projections.js';
import { openDataDir, type OpenStore } from '../runtime/open.js';
import { tempDir } from '../../test/support/tmp.js';
import { emptyHead, sealEvents } from './chain.js';
import { applyRemoteEvents } from './remote.js';
import { verifyReadModels } from './verify.js';

describe('applying remote events', () => {
  const tmp = tempDir('mostrador-remote-');
  let store: OpenStore;
  const otherDevice = newId();
  let remote: EventEnvelope[];
  const productId = newId();

  beforeAll(async () => {
    store = await openDataDir(tmp.dir);
    const drafts: EventDraft[] = [
      {
        type: 'ProductCreated',
        payload: { productId, name: 'Galletitas', sku: null, barcodes: ['779000'], price: 150000, currency: 'ARS', cost: null, taxRateBp: 2100, category: null, unit: 'unit', trackStock: true, minStock: null },
      },
      { type: 'PriceChanged', payload: { productId, price: 160000, previousPrice: 150000, currency: 'ARS', reason: null } },
    ];
    remote = sealEvents(emptyHead(otherDevice), drafts, { storeId: store.identity.storeId, deviceId: otherDevice, commandId: newId(), actorId: 'cajero', now: new Date(), newId }).events;
  });
  afterAll(async () => {
    await store.close();
    tmp.remove();
  });

  it('applies once, through the same projector, and a replay changes nothing', async () => {
    const first = await applyRemoteEvents(store.db, store.identity, remote, projectionsFor);
    expect(first).toMatchObject({ applied: 2, duplicates: 0, refused: [], topics: ['products'] });
    const again = await applyRemoteEvents(store.db, store.identity, remote, projectionsFor);
    expect(again).toMatchObject({ applied: 0, duplicates: 2, refused: [] });
    const [row] = await store.db.query<{ price: number; version: number }>('SELECT price, version FROM products WHERE id = $1', [productId]);
    expect(row).toEqual({ price: 160000, version: 2 });
    expect(await verifyReadModels(store.db, store.identity.storeId, allProjections, projectionsFor)).toEqual([]);
  });

  it('moves the local clock past what it received', async () => {
    const [head] = await store.db.query<{ hlc: string }>('SELECT hlc FROM journal_head WHERE device_id = $1', [store.identity.deviceId]);
    expect(head!.hlc > remote[1]!.hlc.slice(0, 22)).toBe(true);
  });

  it('refuses tampered content, a reused id, a taken sequence number and another store, and applies the rest', async () => {
    const tampered = { ...remote[0]!, payload: { ...(remote[0]!.payload as object), price: 1 } };
    const reusedId = { ...remote[1]!, hash: 'f'.repeat(64) };
    const takenSeq = { ...remote[1]!, event_id: newId() };
    takenSeq.hash = (await import('./chain.js')).eventHash(takenSeq);
    const foreign = { ...remote[0]!, store_id: newId() };
    const next = sealEvents({ seq: 2, hash: remote[1]!.hash, hlc: remote[1]!.hlc }, [{ type: 'ProductUpdated', payload: { productId, changes: { name: 'Galletitas dulces' } } }], {
      storeId: store.identity.storeId, deviceId: otherDevice, commandId: newId(), actorId: 'cajero', now: new Date(), newId,
    }).events;
    const result = await applyRemoteEvents(store.db, store.identity, [tampered, reusedId, takenSeq, foreign, ...next], projectionsFor);
    expect(result.applied).toBe(1);
    expect(result.refused.map((r) => r.reason)).toEqual([
      'content does not match its hash',
      'content does not match its hash',
      `belongs to store ${foreign.store_id}`,
      `device ${otherDevice} seq 2 is already another event`,
    ]);
    const [row] = await store.db.query<{ name: string; price: number }>('SELECT name, price FROM products WHERE id = $1', [productId]);
    expect(row).toEqual({ name: 'Galletitas dulces', price: 160000 });
    expect(await verifyReadModels(store.db, store.identity.storeId, allProjections, projectionsFor)).toEqual([]);
  });
});
