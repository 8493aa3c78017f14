import { describe, expect, it } from 'vitest';
import { grantPolicyFromEnv } from './grant-policy.js';
import { DEFAULT_GRANT_POLICY } from './grants.js';

describe('the central grant policy from the environment', () => {
  it('defaults to 500 numbers a range, and takes MOSTRADOR_FISCAL_RANGE_SIZE', () => {
    expect(grantPolicyFromEnv({})).toEqual(DEFAULT_GRANT_POLICY);
    expect(grantPolicyFromEnv({ MOSTRADOR_FISCAL_RANGE_SIZE: ' ' })).toEqual(DEFAULT_GRANT_POLICY);
    expect(grantPolicyFromEnv({ MOSTRADOR_FISCAL_RANGE_SIZE: '8' })).toEqual({ ...DEFAULT_GRANT_POLICY, size: 8 });
  });

  it('refuses a size that is not a whole number from 1 to 1,000,000, saying which variable', () => {
    for (const bad of ['0', '-3', '2.5', 'ocho', '1000001']) {
      expect(() => grantPolicyFromEnv({ MOSTRADOR_FISCAL_RANGE_SIZE: bad })).toThrow(/^MOSTRADOR_FISCAL_RANGE_SIZE .*, not "/);
    }
  });
});
