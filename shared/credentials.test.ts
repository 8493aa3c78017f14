import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { credentialKey, credentialWins, mergeCredentials, type CredentialVersion } from './credentials.js';
import { formatHlc } from './hlc.js';

const A = '0190a0a0-0000-7000-8000-00000000000a';
const B = '0190a0a0-0000-7000-8000-00000000000b';
const USER = '0190a0a0-0000-7000-8000-000000000001';
const hlc = (wall: number, counter: number, node: string) => formatHlc({ wall, counter, node });
const pin = (clock: string, hash = clock): CredentialVersion & { hash: string } => ({ userId: USER, kind: 'pin', hlc: clock, hash });

/** What a node holds after taking `batches` in order, one merge per batch, as the terminals and the central do. */
function settle(batches: readonly (readonly (CredentialVersion & { hash: string })[])[]): Map<string, string> {
  const held = new Map<string, string>();
  const hashes = new Map<string, string>();
  for (const batch of batches) {
    for (const winner of mergeCredentials(held, batch)) {
      held.set(credentialKey(winner), winner.hlc);
      hashes.set(credentialKey(winner), winner.hash);
    }
  }
  return hashes;
}

describe('credentials: last writer wins by clock', () => {
  it('a newer clock replaces, an older or equal one does not, and nothing held takes anything', () => {
    expect(credentialWins({ hlc: hlc(2, 0, A) }, { hlc: hlc(1, 5, B) })).toBe(true);
    expect(credentialWins({ hlc: hlc(1, 5, B) }, { hlc: hlc(2, 0, A) })).toBe(false);
    expect(credentialWins({ hlc: hlc(2, 0, A) }, { hlc: hlc(2, 0, A) })).toBe(false);
    expect(credentialWins({ hlc: hlc(0, 0, A) }, undefined)).toBe(true);
  });

  it('two devices writing at the same wall and counter: the device id decides, the same on every node', () => {
    const fromA = pin(hlc(5, 0, A), 'hash-a');
    const fromB = pin(hlc(5, 0, B), 'hash-b');
    expect(settle([[fromA], [fromB]])).toEqual(settle([[fromB], [fromA]]));
    expect(settle([[fromA, fromB]]).get(credentialKey(fromA))).toBe('hash-b');
  });

  it('of a batch holding several versions of one person, the newest wins; an older held one is replaced only by a newer', () => {
    const held = new Map([[credentialKey(pin(hlc(3, 0, A))), hlc(3, 0, A)]]);
    const batch = [pin(hlc(4, 0, B), 'b4'), pin(hlc(2, 0, B), 'b2'), pin(hlc(4, 1, A), 'a41'), { ...pin(hlc(1, 0, A), 'pw'), kind: 'password' as const }];
    expect(mergeCredentials(held, batch).map((c) => [c.kind, c.hash])).toEqual([['pin', 'a41'], ['password', 'pw']]);
    expect(mergeCredentials(held, [pin(hlc(2, 9, B))])).toEqual([]);
  });

  it('every node ends with the same credentials whatever the order and batching of what it receives', () => {
    const version = fc.record({
      user: fc.constantFrom(USER, B),
      kind: fc.constantFrom('pin' as const, 'password' as const),
      wall: fc.integer({ min: 0, max: 5 }),
      counter: fc.integer({ min: 0, max: 2 }),
      node: fc.constantFrom(A, B),
    });
    fc.assert(
      fc.property(fc.array(version, { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 4 }), fc.array(fc.integer(), { minLength: 12, maxLength: 12 }), (raw, size, keys) => {
        const all = raw.map((v) => ({ userId: v.user, kind: v.kind, hlc: hlc(v.wall, v.counter, v.node), hash: `${v.user}/${v.kind}/${hlc(v.wall, v.counter, v.node)}` }));
        // Another arrival order: the versions sorted by random keys.
        const shuffled = all.map((c, i) => ({ c, key: keys[i]! })).sort((x, y) => x.key - y.key).map((x) => x.c);
        const batches = Array.from({ length: Math.ceil(shuffled.length / size) }, (_, i) => shuffled.slice(i * size, i * size + size));
        const expected = new Map<string, string>();
        for (const c of all) {
          const key = credentialKey(c);
          const best = expected.get(key);
          if (best === undefined || c.hash > best) expected.set(key, c.hash);
        }
        expect(settle(batches)).toEqual(expected);
        expect(settle([all])).toEqual(expected);
      }),
    );
  });
});
