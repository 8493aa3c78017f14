import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WireEvent } from '../../shared/federation.js';
import { nextEvents } from '../../test/support/central.js';
import { planIngest } from './ingest.js';

const device = { deviceId: '0190a0a0-0000-7000-8000-000000000001', storeId: '0190a0a0-0000-7000-8000-000000000002' };
const GENESIS = '0'.repeat(64);

/** One device's true chain of n events. */
const chainOf = (n: number): WireEvent[] => nextEvents({ ...device, secret: '', head: { seq: 0, hash: GENESIS } }, n);

describe('planIngest (pure): what a push may add to what the central holds', () => {
  it('only ever extends the held chain contiguously with true events, and refuses nothing true', () => {
    const chain = chainOf(30);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }), // how much the central holds
        fc.array(fc.integer({ min: 0, max: 29 }), { maxLength: 40 }), // which events the batch carries (any order, repeats)
        (heldUpTo, picks) => {
          const head = heldUpTo === 0 ? { seq: 0, hash: GENESIS, hlc: '' } : { seq: heldUpTo, hash: chain[heldUpTo - 1]!.hash, hlc: '' };
          const held = new Map(chain.slice(0, heldUpTo).map((e) => [e.device_seq, e]));
          const batch = picks.map((i) => chain[i]!).sort((a, b) => a.device_seq - b.device_seq);
          const plan = planIngest(device, head, batch, held);
          expect(plan.refused).toBeNull();
          plan.accepted.forEach((e, i) => expect(e).toBe(chain[heldUpTo + i]));
          expect(plan.head.seq).toBe(heldUpTo + plan.accepted.length);
          // Everything in the batch up to the first missing seq past the head was taken.
          let expected = heldUpTo;
          while (batch.some((e) => e.device_seq === expected + 1)) expected++;
          expect(plan.head.seq).toBe(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never accepts a tampered event, and stops at the first one', () => {
    const chain = chainOf(12);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 11 }),
        fc.constantFrom<(e: WireEvent) => WireEvent>(
          (e) => ({ ...e, payload: { name: 'forged' } }),
          (e) => ({ ...e, hash: 'f'.repeat(64) }),
          (e) => ({ ...e, prev_hash: 'e'.repeat(64) }),
          (e) => ({ ...e, actor_id: 'mallory' }),
          (e) => ({ ...e, device_id: '0190a0a0-0000-7000-8000-0000000000ff' }),
        ),
        (at, tamper) => {
          const batch = chain.map((e, i) => (i === at ? tamper(e) : e));
          const plan = planIngest(device, { seq: 0, hash: GENESIS, hlc: '' }, batch, new Map());
          expect(plan.accepted).toEqual(chain.slice(0, at));
          expect(plan.refused?.eventId).toBe(chain[at]!.event_id);
        },
      ),
      { numRuns: 100 },
    );
  });
});
