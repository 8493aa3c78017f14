import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { eventDef, UnreadableEvent } from './eventdef.js';
import { eventDefs, upcast, type EventEnvelope } from './events.js';

describe('event payload versions', () => {
  // v1 kept the price as a decimal string; v2 as integer minor units; v3 added a currency with a default.
  const priceChanged = eventDef(z.object({ productId: z.string(), price: z.string() }))
    .next(z.object({ productId: z.string(), price: z.number().int() }), (v1) => ({ productId: v1.productId, price: Math.round(Number(v1.price) * 100) }))
    .next(z.object({ productId: z.string(), price: z.number().int(), currency: z.string() }), (v2) => ({ ...v2, currency: 'ARS' }));

  it('reads every old version at the latest shape, through each up-migration in turn', () => {
    expect(priceChanged.latest).toBe(3);
    expect(priceChanged.read(1, { productId: 'p', price: '12.50' })).toEqual({ productId: 'p', price: 1250, currency: 'ARS' });
    expect(priceChanged.read(2, { productId: 'p', price: 1250 })).toEqual({ productId: 'p', price: 1250, currency: 'ARS' });
    expect(priceChanged.read(3, { productId: 'p', price: 1250, currency: 'UYU' })).toEqual({ productId: 'p', price: 1250, currency: 'UYU' });
  });

  it('checks a stored payload against the schema of the version it was written in', () => {
    expect(() => priceChanged.read(1, { productId: 'p', price: 1250 })).toThrow();
  });

  it('calls a version from a newer release unreadable instead of guessing', () => {
    expect(() => priceChanged.read(4, {})).toThrow(UnreadableEvent);
    expect(() => priceChanged.read(0, {})).toThrow(UnreadableEvent);
  });

  it('upcast keeps the stored envelope (and so its hash) and refuses unknown types and versions', () => {
    const stored = {
      event_id: 'e', command_id: 'c', store_id: 's', device_id: 'd', device_seq: 1, type: 'PriceChanged', version: 1,
      payload: { productId: '0190f1d2-0c7e-7cc2-8c51-7c0b0b5c6b6a', price: 100, previousPrice: 90, currency: 'ARS', reason: null },
      actor_id: 'a', hlc: 'h', created_at: '2026-01-01T00:00:00.000Z', prev_hash: 'p', hash: 'x',
    } as EventEnvelope;
    const copy = structuredClone(stored);
    // Read at the latest version (v2 adds the price's basis, unknown for a v1 event); the stored envelope is untouched.
    expect(upcast(stored)).toEqual({ ...stored, payload: { ...(stored.payload as object), basis: null } });
    expect(stored).toEqual(copy);
    expect(() => upcast({ ...stored, version: 3 })).toThrow(UnreadableEvent);
    expect(() => upcast({ ...stored, type: 'SaleTeleported' as never })).toThrow(UnreadableEvent);
    expect(() => upcast({ ...stored, payload: { productId: 'x' } })).toThrow(UnreadableEvent);
  });

  it('every registered event type has a first version', () => {
    for (const [type, def] of Object.entries(eventDefs)) expect(def.latest, type).toBeGreaterThanOrEqual(1);
  });
});
