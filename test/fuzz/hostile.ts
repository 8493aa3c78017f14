import fc from 'fast-check';
import { v4 as uuidv4 } from 'uuid';

/**
 * Values an attacker or a broken client sends: text the database or a receipt cannot take, numbers at the edges of
 * what JSON, JavaScript and PostgreSQL represent, ids that look like ids, and wrong types.
 */

const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const uuidShaped = ['-'.repeat(36), `${'g'.repeat(8)}-0000-7000-8000-000000000000`, 'a'.repeat(36), '01900000-0000-7000-8000-00000000000'];

/** Hostile text by kind: a kind is drawn first, so the few half surrogates are as likely as the many cursors. */
const stringGroups: string[][] = [
  // half surrogates (PostgreSQL's jsonb refuses them)
  ['\ud800', '\udfff', 'Yerba\ud800', '\udc00\ud800', 'a\udbffb'],
  // bidi controls
  ['Gaseosa \u202e0001$', '\u202a', '\u202d1000', '\u2066x\u2069', '$\u200f1000', '\u200e', '\u061c'],
  // controls: C0, DEL, C1, separators
  ['\u0000', 'a\u0000b', '\u001b[2J', '\u007f', '\u0085', '\u009b31m', 'a\u2028b', '\r\n'],
  // noncharacters, invisible-only, blanks
  ['\ufdd0', '\uffff', '\ufffe', '\u{10ffff}', '\u{1fffe}', '\u200b', '\u200b\u200c\u200d', '\u3164', '\u2800', '\ufeff', '\u00ad'],
  ['', ' ', '\t', '\u3000'],
  // long, many-byte, and lengths that change with normalisation
  ['x'.repeat(10_000), 'ñ'.repeat(121), 'e\u0301'.repeat(121), '😀'.repeat(61), '\u{1f468}\u200d\u{1f469}\u200d\u{1f467}'.repeat(30)],
  // things that mean something to SQL, LIKE, JSON or JavaScript
  ["'; DROP TABLE products; --", '%', '_', '\\', '%_\\', '$1', '::uuid', '"', '{}', '[]', 'null', '__proto__', 'constructor'],
  // numbers as text
  ['NaN', 'Infinity', '-0', '1e309', '0x10', '١٢٣', '9007199254740993'],
  // id-shaped
  [...uuidShaped, uuidv4(), '00000000-0000-0000-0000-000000000000', 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF', '{01900000-0000-7000-8000-000000000000}', '0190000000007000800000000000000a'],
  // paging cursors: crafted, malformed and foreign
  [...uuidShaped.map((id) => cursor(['yerba', id])), cursor(['\u0000', uuidv4()]), cursor(['\ud800', uuidv4()]), cursor([1, 2]), cursor({ name: 'a' }), cursor('x'), '!!!', 'e30', '===='],
];

export const hostileStrings: string[] = stringGroups.flat();
const hostileString = fc.constantFrom(...stringGroups).chain((group) => fc.constantFrom(...group));

export const hostileNumbers: number[] = [
  0, -0, -1, 1, 0.5, 1e-7, -1e-7, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), Number.MAX_SAFE_INTEGER,
  Number.MIN_SAFE_INTEGER, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, 1e12, 1e12 + 1, 10_000, 10_001, 1e21, 123.456,
];

/** Number literals JSON allows that JavaScript cannot hold as written: put into the body as text. */
export const rawNumberLiterals: string[] = [
  '1e400', '-1e400', '123456789012345678901234567890', '1.0', '1E2', '-0', '0.1e1', '1e-400', '100000000000000000000000e-20', '9007199254740993',
];

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: hostileString, weight: 5 },
  { arbitrary: fc.constantFrom(...hostileNumbers), weight: 3 },
  { arbitrary: fc.constantFrom<unknown>(null, true, false, [], {}, [null], { '': 1 }, ['x'.repeat(50)]), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 30 }), weight: 2 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 1 },
);

/** A replacement for each kind of value: mostly one of the same kind (text for text), sometimes anything. */
export interface Replacement {
  text: string;
  number: number;
  other: unknown;
  sameKind: boolean;
}

export const replacement: fc.Arbitrary<Replacement> = fc.record({
  text: fc.oneof({ arbitrary: hostileString, weight: 4 }, fc.string({ unit: 'binary', maxLength: 20 })),
  number: fc.constantFrom(...hostileNumbers),
  other: hostileValue,
  sameKind: fc.oneof({ arbitrary: fc.constant(true), weight: 3 }, fc.constant(false)),
});

const pickFor = (current: unknown, r: Replacement): unknown => {
  if (!r.sameKind) return r.other;
  if (typeof current === 'string') return r.text;
  if (typeof current === 'number') return r.number;
  return r.other;
};

type Json = Record<string, unknown> | unknown[];

/** Every place in a value: [] for the value itself, then each key or index down the tree. */
function pathsOf(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  const out = [at];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...pathsOf(v, [...at, i])));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...at, k]));
  return out;
}

/** A copy of `value` with one of its texts (or numbers) replaced: the rest stays valid, so the value reaches the database. */
export function replaceLeaf(value: unknown, index: number, kind: 'string' | 'number', r: Replacement): unknown {
  const leaves = pathsOf(value).filter((path) => typeof path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], value) === kind);
  if (leaves.length === 0) return value;
  const path = leaves[index % leaves.length]!;
  const copy = structuredClone(value) as unknown;
  if (path.length === 0) return kind === 'string' ? r.text : r.number;
  const parent = path.slice(0, -1).reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], copy) as Record<string | number, unknown>;
  parent[path[path.length - 1]!] = kind === 'string' ? r.text : r.number;
  return copy;
}

export type Mutation = 'set' | 'delete' | 'addKey' | 'wrapInArray' | 'duplicateInList';

/** A copy of `value` with one change at one place (chosen by `index` among its places). */
export function mutate(value: unknown, index: number, op: Mutation, r: Replacement): unknown {
  const paths = pathsOf(value);
  const path = paths[index % paths.length]!;
  const copy = structuredClone(value) as unknown;
  if (path.length === 0) return op === 'wrapInArray' ? [copy] : op === 'set' ? pickFor(copy, r) : copy;
  const parent = path.slice(0, -1).reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], copy) as Json;
  const key = path[path.length - 1]!;
  const slot = parent as Record<string | number, unknown>;
  switch (op) {
    case 'set':
      slot[key] = pickFor(slot[key], r);
      break;
    case 'delete':
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete slot[key];
      break;
    case 'addKey':
      if (!Array.isArray(parent)) slot[`zz${String(key)}`] = r.other;
      break;
    case 'wrapInArray':
      slot[key] = [slot[key]];
      break;
    case 'duplicateInList':
      if (Array.isArray(parent)) parent.push(parent[Number(key)]);
      break;
  }
  return copy;
}
