import { describe, expect, it } from 'vitest';
import { classifyPushFailure, countAttempt, exhausted, PUSH_ATTEMPT_LIMIT, type PushAttempts } from './attempts.js';
import { CentralRefused, CentralUnreachable } from './client.js';
import { BreakerOpen } from './gate.js';

describe('bounded push attempts (R9)', () => {
  it('counts answered failures of the same first event and dead-letters at the bound, above the chaos suite\'s nine', () => {
    expect(PUSH_ATTEMPT_LIMIT).toBeGreaterThan(9);
    let attempts: PushAttempts | null = null;
    for (let i = 1; i < PUSH_ATTEMPT_LIMIT; i++) {
      attempts = countAttempt(attempts, 'e1', `500 #${i}`);
      expect(attempts).toEqual({ eventId: 'e1', count: i, lastError: `500 #${i}` });
      expect(exhausted(attempts)).toBe(false);
    }
    expect(exhausted(countAttempt(attempts, 'e1', 'again'))).toBe(true);
    // The central took part of the batch: the next failure is about another first event, and starts over.
    expect(countAttempt(attempts, 'e2', 'x')).toEqual({ eventId: 'e2', count: 1, lastError: 'x' });
    expect(countAttempt(null, 'e1', 'y'.repeat(1000)).lastError).toHaveLength(300);
  });

  it('only failures the central answered count; the network never does', () => {
    expect(classifyPushFailure(new CentralRefused(400, 'bad batch'))).toBe('answered');
    expect(classifyPushFailure(new CentralUnreachable('answered 500', 500))).toBe('needs-probe');
    expect(classifyPushFailure(new CentralUnreachable('not JSON', 200))).toBe('needs-probe');
    expect(classifyPushFailure(new CentralUnreachable('cannot reach'))).toBe('network');
    expect(classifyPushFailure(new CentralUnreachable('busy', 429))).toBe('network');
    expect(classifyPushFailure(new CentralUnreachable('timeout', 408))).toBe('network');
    expect(classifyPushFailure(new BreakerOpen(Date.now()))).toBe('network');
    expect(classifyPushFailure(new Error('anything else'))).toBe('network');
  });
});
