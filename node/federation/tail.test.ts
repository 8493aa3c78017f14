import { describe, expect, it } from 'vitest';
import { StartCheck } from './tail.js';

describe('the start check of an enrolled terminal (tail.ts)', () => {
  it('holds a command until the first checkpoint call answers', async () => {
    const check = new StartCheck(10_000);
    let passed = false;
    const waiting = check.ready().then(() => (passed = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(passed).toBe(false);
    check.settle('answered');
    await waiting;
    expect(passed).toBe(true);
    expect(check.settled).toBe(true);
  });

  it('lets a command through when the central cannot be reached (a till offline at start sells)', async () => {
    const check = new StartCheck(10_000);
    check.settle('unreachable');
    const started = Date.now();
    await check.ready();
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('gives up waiting after its bound when no answer comes (a central slower than that counts as unreachable)', async () => {
    const check = new StartCheck(100);
    const started = Date.now();
    await check.ready();
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(check.settled).toBe(false);
  });
});
