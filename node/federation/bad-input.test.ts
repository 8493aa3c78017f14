import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseDigest } from '../../test/support/digest.js';
import { startTestNode, type TestNode } from '../../test/support/node.js';

/** The federation methods refuse bad input and impossible requests with a 4xx and change nothing. */
describe('federation methods: bad input', { timeout: 120_000 }, () => {
  let t: TestNode;
  beforeAll(async () => {
    t = await startTestNode();
  });
  afterAll(async () => {
    await t.stop();
  });

  const cases: [string, string, unknown, number][] = [
    ['no code', 'federation.enroll', { centralUrl: 'http://127.0.0.1:9' }, 400],
    ['a code too short', 'federation.enroll', { centralUrl: 'http://127.0.0.1:9', code: 'abc' }, 400],
    ['a code too long', 'federation.enroll', { centralUrl: 'http://127.0.0.1:9', code: 'x'.repeat(65) }, 400],
    ['not an address', 'federation.enroll', { centralUrl: 'central', code: 'ENROLL-CODE-1234' }, 400],
    ['an address with a path', 'federation.enroll', { centralUrl: 'http://h/x?y', code: 'ENROLL-CODE-1234' }, 400],
    ['another scheme', 'federation.enroll', { centralUrl: 'file:///etc/passwd', code: 'ENROLL-CODE-1234' }, 400],
    ['a field that does not belong', 'federation.enroll', { centralUrl: 'http://127.0.0.1:9', code: 'ENROLL-CODE-1234', secret: 'x' }, 400],
    ['a central that does not answer', 'federation.enroll', { centralUrl: 'http://127.0.0.1:9', code: 'ENROLL-CODE-1234' }, 409],
    ['input where none is taken', 'federation.syncNow', { now: true }, 400],
    ['input where none is taken', 'federation.status', { verbose: true }, 400],
  ];

  for (const [label, method, input, status] of cases) {
    it(`${method}: ${label} → ${status}`, async () => {
      const before = await databaseDigest(t.node.store.db);
      const answer = await t.call(method, input);
      expect(answer.status, JSON.stringify(answer.body)).toBe(status);
      const error = (answer.body as { error?: { code?: string; message?: string } }).error;
      expect(error?.message?.length ?? 0).toBeGreaterThan(5);
      expect(await databaseDigest(t.node.store.db)).toEqual(before);
    });
  }

  it('answers in Spanish when asked', async () => {
    const answer = await t.call('federation.enroll', { centralUrl: 'http://127.0.0.1:9', code: 'ENROLL-CODE-1234' }, { headers: { 'accept-language': 'es' } });
    expect((answer.body as { error: { message: string } }).error.message).toMatch(/No se pudo hablar con el servidor central/);
  });

  it('a sync on a terminal not joined to a central does nothing and says so', async () => {
    const before = await databaseDigest(t.node.store.db);
    const answer = await t.call('federation.syncNow', {});
    expect(answer.status).toBe(200);
    expect(answer.body.result).toMatchObject({ enrolled: false, online: false, backlog: 0 });
    expect(await databaseDigest(t.node.store.db)).toEqual(before);
  });
});
