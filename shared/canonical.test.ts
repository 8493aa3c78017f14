import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalHash, canonicalJson } from './canonical.js';

/** Rebuilds a value with every object's keys in another order, at every depth. */
function shuffleKeys(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((v, i) => shuffleKeys(v, seed + i));
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    entries.sort(([a], [b]) => ((a.length * 31 + seed) % 7) - ((b.length * 31 + seed) % 7) || (seed % 2 ? a.localeCompare(b) : b.localeCompare(a)));
    return Object.fromEntries(entries.map(([k, v], i) => [k, shuffleKeys(v, seed + i)]));
  }
  return value;
}

const json = fc.jsonValue({ maxDepth: 4 });

describe('the canonical hash (R3)', () => {
  it('does not depend on key order at any depth', () => {
    fc.assert(fc.property(json, fc.integer(), (value, seed) => canonicalHash(value) === canonicalHash(shuffleKeys(value, seed))));
  });

  it('changes when any value changes', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string().filter((k) => k !== '__proto__'), json, { minKeys: 1 }), fc.string(), (obj, extra) => {
        const key = Object.keys(obj)[0]!;
        const changed = { ...obj, [key]: [obj[key], extra] };
        return canonicalHash(obj) !== canonicalHash(changed);
      }),
    );
  });

  it('keeps array order significant', () => {
    expect(canonicalHash([1, 2])).not.toBe(canonicalHash([2, 1]));
  });

  it('writes RFC 8785 forms: sorted keys, shortest numbers, escaped unicode as-is', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'ñ'], c: { z: 1e21, y: 0.1, x: -0 } })).toBe(
      '{"a":[true,null,"ñ"],"b":1,"c":{"x":0,"y":0.1,"z":1e+21}}',
    );
    expect(canonicalJson({ '\u20ac': 1, '\r': 2, ö: 3 })).toBe('{"\\r":2,"ö":3,"€":1}');
  });

  it('hashes dates as their ISO strings', () => {
    const at = new Date('2026-11-25T12:00:00.000Z');
    expect(canonicalHash({ at })).toBe(canonicalHash({ at: '2026-11-25T12:00:00.000Z' }));
  });

  it('refuses what JSON cannot carry faithfully', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/non-finite/);
    expect(() => canonicalJson({ n: 10n })).toThrow(/bigint/);
  });

  it('is stable across releases for a known event', () => {
    // A fixed vector, computed outside our code (printf '%s' '<canonical json>' | sha256sum): if this changes, every
    // stored chain breaks. Never update it to make a test pass.
    expect(canonicalHash({ type: 'ProductCreated', payload: { price: 450000, name: 'Yerba' }, device_seq: 1 })).toBe(
      '81a6037e6299ecebaa325288f8be4da37942d7a7a877d4aa7ed679fdb39eb94a',
    );
  });
});
