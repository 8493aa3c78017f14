import { createHash } from 'node:crypto';

/**
 * Combined hashes: the sum of the events' 256-bit hashes modulo 2^256. The database keeps the sum as a numeric
 * (migrations/common/0018); the wire and the comparisons use 64 hex digits.
 */
export const MODULUS = 1n << 256n;

/** A numeric sum as the database returns it (a decimal string, maybe with a fraction of zeros) → 64 hex digits. */
export function sumToHex(sum: string | number | bigint | null | undefined): string {
  const text = String(sum ?? '0').split('.')[0]!;
  return (((BigInt(text) % MODULUS) + MODULUS) % MODULUS).toString(16).padStart(64, '0');
}

const HEX64 = /^[0-9a-f]{64}$/;
const md5 = (text: string) => createHash('md5').update(text).digest('hex');

/** A hash as the number the summaries add: 64 hex digits as they are, anything else digested (as recon_hash_num). */
export const hashNumber = (hash: string): bigint => BigInt(`0x${HEX64.test(hash) ? hash : md5(hash) + md5(`~${hash}`)}`);

/** The combination of event hashes as plain code computes it (tests and checks). */
export function combineHashes(hashes: Iterable<string>): string {
  let sum = 0n;
  for (const hash of hashes) sum = (sum + hashNumber(hash)) % MODULUS;
  return sum.toString(16).padStart(64, '0');
}
