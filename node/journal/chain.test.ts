import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventDraft, EventEnvelope } from '../../shared/events.js';
import { newId } from '../../shared/ids.js';
import { emptyHead, eventHash, sealEvents, verifyChain } from './chain.js';

const device = newId();
const store = newId();

function chainOf(n: number): EventEnvelope[] {
  const drafts: EventDraft[] = Array.from({ length: n }, (_, i) => ({
    type: 'PriceChanged',
    payload: { productId: newId(), price: 100 + i, previousPrice: 99, currency: 'ARS', reason: null },
  }));
  let head = emptyHead(device);
  const events: EventEnvelope[] = [];
  // Several commands, so the chain crosses command boundaries.
  for (let i = 0; i < drafts.length; i += 3) {
    const sealed = sealEvents(head, drafts.slice(i, i + 3), {
      storeId: store,
      deviceId: device,
      commandId: newId(),
      actorId: 'owner',
      now: new Date(1_780_000_000_000 + i),
      newId,
    });
    events.push(...sealed.events);
    head = sealed.head;
  }
  return events;
}

describe('the hash chain', () => {
  it('seals gapless sequences with a forward-moving clock', () => {
    const events = chainOf(10);
    expect(events.map((e) => e.device_seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect([...events.map((e) => e.hlc)].sort()).toEqual(events.map((e) => e.hlc));
    expect(new Set(events.map((e) => e.hlc)).size).toBe(10);
    expect(verifyChain(events)).toBeUndefined();
  });

  it('finds and names any altered event', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 12 }), fc.nat(), fc.integer({ min: 1, max: 10_000 }), (n, at, price) => {
        const events = chainOf(n);
        const i = at % n;
        const target = events[i]!;
        const altered = { ...target, payload: { ...(target.payload as object), price: (target.payload as { price: number }).price + price } };
        events[i] = altered;
        const problem = verifyChain(events);
        return problem?.event_id === target.event_id && problem.kind === 'hash-mismatch';
      }),
    );
  });

  it('finds a removed, reordered or inserted event', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 12 }), fc.nat(), (n, at) => {
        const events = chainOf(n);
        const i = 1 + (at % (n - 2)); // an event with a successor: a cut tail is caught against the stored head
        const removed = events.filter((_, j) => j !== i);
        const swapped = [...events];
        [swapped[i - 1], swapped[i]] = [swapped[i]!, swapped[i - 1]!];
        const foreign = chainOf(1)[0]!;
        const inserted = [...events.slice(0, i), { ...foreign, device_seq: i + 1 }, ...events.slice(i)];
        return (
          verifyChain(removed)?.event_id === removed[i]!.event_id &&
          verifyChain(swapped)?.event_id === swapped[i - 1]!.event_id &&
          verifyChain(inserted) !== undefined
        );
      }),
    );
  });

  it('finds a skipped sequence number even where the links hold', () => {
    const [first, second] = chainOf(2);
    const ctx = { storeId: store, deviceId: device, commandId: newId(), actorId: 'owner', now: new Date(1_780_000_001_000), newId };
    const draft: EventDraft = { type: 'PriceChanged', payload: { productId: newId(), price: 1, previousPrice: 2, currency: 'ARS', reason: null } };
    const skipped = sealEvents({ seq: 3, hash: second!.hash, hlc: second!.hlc }, [draft], ctx).events[0]!;
    expect(verifyChain([first!, second!, skipped])).toMatchObject({ kind: 'gap', event_id: skipped.event_id, device_seq: 4 });
    const late = sealEvents({ seq: 1, hash: emptyHead(device).hash, hlc: emptyHead(device).hlc }, [draft], ctx).events[0]!;
    expect(verifyChain([late])).toMatchObject({ kind: 'gap', event_id: late.event_id, device_seq: 2 });
  });

  it('finds a properly re-hashed forgery by the broken link after it', () => {
    // The forger changes an event and recomputes its hash correctly: the event itself checks out, its successor's
    // prev_hash no longer matches. Re-linking the successor too only moves the break one event on.
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 12 }), fc.nat(), fc.integer({ min: 1, max: 10_000 }), (n, at, price) => {
        const events = chainOf(n);
        const i = at % (n - 1);
        const payload = events[i]!.payload as { price: number };
        const altered = { ...events[i]!, payload: { ...payload, price: payload.price + price } };
        const forged = { ...altered, hash: eventHash(altered) };
        const problem = verifyChain([...events.slice(0, i), forged, ...events.slice(i + 1)]);
        expect(problem).toMatchObject({ kind: 'broken-link', event_id: events[i + 1]!.event_id });
      }),
    );
  });

  it('finds a forged successor that was re-linked but not re-hashed', () => {
    const events = chainOf(4);
    const altered = { ...events[1]!, payload: { ...(events[1]!.payload as object), price: 1 } };
    const forged = { ...altered, hash: eventHash(altered) };
    const relinked = { ...events[2]!, prev_hash: forged.hash };
    expect(verifyChain([events[0]!, forged, relinked, events[3]!])).toMatchObject({ kind: 'hash-mismatch', event_id: events[2]!.event_id });
  });
});
