import fc from 'fast-check';
import type { MethodDef } from '../../shared/contract/define.js';
import { newId } from '../../shared/ids.js';
import { hostileStrings, hostileValue, mutate, rawNumberLiterals, replaceLeaf, replacement, type Mutation } from './hostile.js';
import { validOf, type Known } from './schema.js';

/**
 * One fuzzed call of a method, as data: what input, in what envelope, with which command id, encoded how and sent
 * with which headers. `body()` turns it into bytes; the test's oracle reads the rest.
 */
export type CommandIdChoice =
  | { kind: 'fresh' }
  | { kind: 'none' }
  | { kind: 'bad'; value: unknown }
  | { kind: 'reuse'; index: number; upper: boolean; sameInput: boolean };

export type Encoding =
  | { kind: 'json' }
  | { kind: 'rawNumber'; literal: string; at: number }
  | { kind: 'deep'; depth: number; at: number; open: '[' | '{"a":' }
  | { kind: 'badUtf8'; bytes: readonly number[]; at: number }
  | { kind: 'duplicateKeys' | 'bom' | 'trailing' | 'utf16' | 'latin1' | 'empty' }
  | { kind: 'truncated'; keep: number };

export type Shape = 'envelope' | 'bareInput' | 'array' | 'null' | 'string' | 'number' | 'extraKey' | 'protoKey';

export interface FuzzCall {
  source: 'valid' | 'mutated' | 'text' | 'number' | 'random' | 'hostile';
  input: unknown;
  commandId: CommandIdChoice;
  shape: Shape;
  encoding: Encoding;
  contentType: string | undefined;
  acceptLanguage: string;
}

export const JSON_TYPES = ['application/json', 'application/json; charset=utf-8'];
const CONTENT_TYPES = [
  'application/json; charset=latin1', 'application/json; charset=utf-16', 'APPLICATION/JSON', 'application/json;charset="UTF-8"',
  'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '', 'application/jsonp',
  'application/json-patch+json', 'application/octet-stream', 'application/json; charset=utf-8; charset=latin1',
];
const PLACEHOLDER = '@@FUZZ@@';

function inputOf(method: MethodDef, known: Known) {
  const valid = validOf(method.input, known);
  const ops: Mutation[] = ['set', 'set', 'set', 'delete', 'addKey', 'wrapInArray', 'duplicateInList'];
  return fc.oneof(
    { arbitrary: valid.map((input) => ({ source: 'valid' as const, input })), weight: 5 },
    {
      arbitrary: fc
        .tuple(valid, fc.nat(), fc.constantFrom(...ops), replacement)
        .map(([input, at, op, value]) => ({ source: 'mutated' as const, input: mutate(input, at, op, value) })),
      weight: 5,
    },
    {
      arbitrary: fc
        .tuple(valid, fc.nat(), replacement)
        .map(([input, at, r]) => ({ source: 'text' as const, input: replaceLeaf(input, at, 'string', r) })),
      weight: 4,
    },
    {
      arbitrary: fc
        .tuple(valid, fc.nat(), replacement)
        .map(([input, at, r]) => ({ source: 'number' as const, input: replaceLeaf(input, at, 'number', r) })),
      weight: 2,
    },
    { arbitrary: fc.jsonValue({ maxDepth: 4 }).map((input) => ({ source: 'random' as const, input })), weight: 1 },
    {
      arbitrary: fc
        .dictionary(fc.constantFrom(...Object.keys(shapeKeys(method)), 'zz'), hostileValue, { maxKeys: 4 })
        .map((input) => ({ source: 'hostile' as const, input })),
      weight: 1,
    },
  );
}

const shapeKeys = (method: MethodDef): Record<string, unknown> =>
  (method.input as unknown as { shape?: Record<string, unknown> }).shape ?? { input: 1 };

const badCommandId: fc.Arbitrary<CommandIdChoice> = fc.oneof(
  fc.constant({ kind: 'none' as const }),
  fc
    .constantFrom<unknown>('', 'not-a-uuid', 7, null, {}, [], true, `${newId()}x`, `${newId().slice(0, 35)}\u0000`, ...hostileStrings.slice(0, 12))
    .map((value) => ({ kind: 'bad' as const, value })),
);

const damagedEncoding: fc.Arbitrary<Encoding> = fc.oneof(
  fc.record({ kind: fc.constant('rawNumber' as const), literal: fc.constantFrom(...rawNumberLiterals), at: fc.nat() }),
  fc.record({ kind: fc.constant('deep' as const), depth: fc.constantFrom(64, 1000, 100_000), at: fc.nat(), open: fc.constantFrom('[' as const, '{"a":' as const) }),
  fc.record({ kind: fc.constant('badUtf8' as const), bytes: fc.constantFrom([0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xe2, 0x80], [0xf4, 0x90, 0x80, 0x80]), at: fc.nat() }),
  fc.constantFrom(...(['duplicateKeys', 'bom', 'trailing', 'utf16', 'latin1', 'empty'] as const)).map((kind) => ({ kind })),
  fc.nat({ max: 200 }).map((keep) => ({ kind: 'truncated' as const, keep })),
);

type Wrapping = Pick<FuzzCall, 'commandId' | 'shape' | 'encoding' | 'contentType'>;
const plain: Wrapping = { commandId: { kind: 'fresh' }, shape: 'envelope', encoding: { kind: 'json' }, contentType: 'application/json' };

/**
 * Around the input, at most one layer is damaged per call (a command id, the envelope, the bytes or the content
 * type): damage in two layers at once is mostly refused at the first, and the input would seldom reach the
 * database.
 */
const wrapping: fc.Arbitrary<Wrapping> = fc.oneof(
  { arbitrary: fc.constantFrom(...JSON_TYPES).map((contentType) => ({ ...plain, contentType })), weight: 12 },
  { arbitrary: fc.record({ index: fc.nat(), upper: fc.boolean(), sameInput: fc.boolean() }).map((r) => ({ ...plain, commandId: { kind: 'reuse' as const, ...r } })), weight: 4 },
  { arbitrary: badCommandId.map((commandId) => ({ ...plain, commandId })), weight: 2 },
  { arbitrary: fc.constantFrom<Shape>('bareInput', 'array', 'null', 'string', 'number', 'extraKey', 'protoKey').map((shape) => ({ ...plain, shape })), weight: 1 },
  { arbitrary: damagedEncoding.map((encoding) => ({ ...plain, encoding })), weight: 2 },
  { arbitrary: fc.constantFrom(...CONTENT_TYPES, undefined).map((contentType) => ({ ...plain, contentType })), weight: 1 },
);

export function callOf(method: MethodDef, known: Known): fc.Arbitrary<FuzzCall> {
  return fc
    .record({
      made: inputOf(method, known),
      wrap: wrapping,
      acceptLanguage: fc.constantFrom('es', 'es-AR,es;q=0.9,en;q=0.5', 'en', 'en-US', 'fr-FR', '', '*;q=x'),
    })
    .map(({ made, wrap, acceptLanguage }) => ({ ...made, ...wrap, acceptLanguage }));
}

/** The JSON text of the call before any byte-level damage; `commandId` is the one resolved for this call. */
function text(call: FuzzCall, commandId: unknown): string {
  const input = call.encoding.kind === 'rawNumber' || call.encoding.kind === 'deep' || call.encoding.kind === 'badUtf8'
    ? mutate(call.input, call.encoding.at, 'set', { text: PLACEHOLDER, number: 0, other: PLACEHOLDER, sameKind: false })
    : call.input;
  const envelope: Record<string, unknown> = { input, ...(commandId === undefined ? {} : { commandId }) };
  switch (call.shape) {
    case 'envelope':
      return JSON.stringify(envelope);
    case 'bareInput':
      return JSON.stringify(input ?? null);
    case 'array':
      return JSON.stringify([envelope]);
    case 'null':
      return 'null';
    case 'string':
      return JSON.stringify(JSON.stringify(envelope));
    case 'number':
      return '12';
    case 'extraKey':
      return JSON.stringify({ ...envelope, zz: true });
    case 'protoKey':
      return JSON.stringify(envelope).replace(/^\{/, '{"__proto__":{"role":"owner"},"constructor":{"prototype":{"x":1}},');
  }
}

export function body(call: FuzzCall, commandId: unknown): Buffer {
  const json = text(call, commandId);
  const e = call.encoding;
  const quoted = JSON.stringify(PLACEHOLDER);
  switch (e.kind) {
    case 'json':
      return Buffer.from(json);
    case 'rawNumber':
      return Buffer.from(json.replace(quoted, e.literal));
    case 'deep':
      return Buffer.from(json.replace(quoted, e.open.repeat(e.depth) + '1' + (e.open === '[' ? ']' : '}').repeat(e.depth)));
    case 'badUtf8': {
      const [before, after = ''] = json.split(quoted);
      return Buffer.concat([Buffer.from(`${before}"a`), Buffer.from(e.bytes), Buffer.from(`b"${after}`)]);
    }
    case 'duplicateKeys':
      return Buffer.from(json.replace(/^\{/, '{"input":{"zz":1},"commandId":"x",'));
    case 'bom':
      return Buffer.from(`\ufeff${json}`);
    case 'trailing':
      return Buffer.from(`${json} {}`);
    case 'utf16':
      return Buffer.from(json, 'utf16le');
    case 'latin1':
      return Buffer.from(json, 'latin1');
    case 'empty':
      return Buffer.alloc(0);
    case 'truncated':
      return Buffer.from(json).subarray(0, Math.min(e.keep, Math.max(0, Buffer.byteLength(json) - 1)));
  }
}

/** A body the node must read exactly as JSON.parse reads `text`: the oracle may then predict the answer. */
export const isPlain = (call: FuzzCall): boolean =>
  call.encoding.kind === 'json' && call.shape === 'envelope' && call.contentType !== undefined && JSON_TYPES.includes(call.contentType);
