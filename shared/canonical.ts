import * as jcsModule from 'canonicalize';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/**
 * RFC 8785 (JCS) canonical JSON. Dates become ISO strings first (JCS has no dates); anything JSON cannot carry
 * faithfully (undefined at the top, non-finite numbers, bigint) is refused rather than silently changed.
 */
// The package is CommonJS (`module.exports = serialize`) but its typings claim an ES default export.
const canonicalizeJcs = (jcsModule as unknown as { default: (value: unknown) => string | undefined }).default;

export function canonicalJson(value: unknown): string {
  const out = canonicalizeJcs(normalise(value));
  if (out === undefined) throw new TypeError('value has no canonical JSON form');
  return out;
}

function normalise(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError(`non-finite number ${value}`);
  if (typeof value === 'bigint') throw new TypeError('bigint has no canonical JSON form; use a string');
  if (Array.isArray(value)) return value.map(normalise);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = normalise(v);
    return out;
  }
  return value;
}

export const sha256Hex = (text: string): string => bytesToHex(sha256(utf8ToBytes(text)));

/** SHA-256 over the canonical JSON: identical on every node, engine and version (R3). */
export const canonicalHash = (value: unknown): string => sha256Hex(canonicalJson(value));
