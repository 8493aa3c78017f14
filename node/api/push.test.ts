import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestNode, type TestNode } from '../../test/support/node.js';

function connect(t: TestNode, protocols: string[], headers: Record<string, string> = {}) {
  const ws = new WebSocket(`${t.node.api.url.replace('http', 'ws')}/ws`, protocols, { headers });
  const messages: any[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(String(data))));
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  const failed = new Promise<number>((resolve) => ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
  return { ws, messages, closed, failed };
}

describe('the push WebSocket', () => {
  let t: TestNode;
  beforeAll(async () => (t = await startTestNode()));
  afterAll(() => t.stop());

  it('greets with the status and says what changed after each command', async () => {
    const c = connect(t, ['mostrador.v1', `bearer.${t.node.auth.secret}`]);
    await expect.poll(() => c.messages.length).toBeGreaterThan(0);
    expect(c.messages[0]).toMatchObject({ type: 'status', status: { role: 'terminal' } });
    await t.call('products.create', { name: 'Arroz 1kg', price: 110000 });
    await expect.poll(() => c.messages.find((m) => m.type === 'changed')).toEqual({ type: 'changed', topics: ['products'] });
    c.ws.close();
  });

  it('refuses an unauthenticated upgrade with HTTP 401, one without our subprotocol, and a foreign origin', async () => {
    const anon = connect(t, ['mostrador.v1']);
    expect(await anon.failed).toBe(401);
    const wrong = connect(t, ['mostrador.v1', 'bearer.wrong-secret']);
    expect(await wrong.failed).toBe(401);
    const bare = connect(t, [`bearer.${t.node.auth.secret}`]);
    expect(await bare.failed).toBe(400);
    const none = connect(t, [], { authorization: `Bearer ${t.node.auth.secret}` });
    expect(await none.failed).toBe(400);
    expect([anon, wrong, bare, none].flatMap((c) => c.messages)).toEqual([]);
    const foreign = connect(t, ['mostrador.v1', `bearer.${t.node.auth.secret}`], { origin: 'http://evil.example' });
    expect(await foreign.failed).toBe(403);
  });
});
