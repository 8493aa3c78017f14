import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import { SignInLimiter } from './ratelimit.js';

describe('the sign-in limiter', () => {
  it('refuses after the allowed failures until the oldest leaves the window, one kind at a time', () => {
    let now = 1_000_000;
    const limiter = new SignInLimiter({ maxFailures: 2, windowMs: 60_000, now: () => now });
    limiter.failed('code');
    now += 20_000;
    limiter.failed('code');
    const refused = (() => {
      try {
        limiter.check('code');
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: 'RateLimited', status: 429, retryAfterSeconds: 40 });
    expect(() => limiter.check('secret')).not.toThrow();
    now += 40_000;
    expect(() => limiter.check('code')).not.toThrow();
    limiter.failed('code');
    expect(() => limiter.check('code')).toThrow(expect.objectContaining({ retryAfterSeconds: 20 }));
  });
});
