import { z } from 'zod';
import { DEFAULT_GRANT_POLICY, type GrantPolicy } from './grants.js';

const rangeSize = z.coerce
  .number({ error: 'must be a whole number' })
  .int('must be a whole number')
  .min(1, 'must be at least 1')
  .max(1_000_000, 'must be at most 1,000,000');

/**
 * The central's grant policy from its environment: `MOSTRADOR_FISCAL_RANGE_SIZE` (numbers per granted range,
 * default 500) for a store that sells little, or a test that wants terminals to run out of numbers.
 */
export function grantPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): GrantPolicy {
  const given = env.MOSTRADOR_FISCAL_RANGE_SIZE;
  if (given === undefined || given.trim() === '') return DEFAULT_GRANT_POLICY;
  const size = rangeSize.safeParse(given.trim());
  if (!size.success) throw new Error(`MOSTRADOR_FISCAL_RANGE_SIZE ${size.error.issues[0]!.message}, not "${given}"`);
  return { ...DEFAULT_GRANT_POLICY, size: size.data };
}
