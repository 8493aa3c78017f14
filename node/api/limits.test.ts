import net from 'node:net';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeStatus } from '../../shared/contract/index.js';
import type { Handlers } from '../handlers.js';
import { request } from '../../test/support/node.js';
import { LocalAuth } from './auth.js';
import { SignInLimiter } from './ratelimit.js';
import { startApi, type ApiServer } from './server.js';

const status: NodeStatus = {
  version: '0.1.0', role: 'terminal', deviceId: 'd', storeId: 's', currency: 'ARS', dataDir: '/tmp/x',
  databaseBytes: 1, startedAt: '2026-01-01T00:00:00.000Z', uptimeSeconds: 1, engine: 'pglite',
  disk: { freeBytes: 1 << 30, reserveBytes: 1 << 26, state: 'ok' }, journal: { events: 0, lastEventAt: null, verification: null },
  lastExport: null, remote: { parkedEvents: 0, maxClockSkewMs: null },
};

/** The API alone, with a status handler that counts its calls: these limits act before any handler or database. */
async function stubApi(timeouts = {}) {
  const calls = { status: 0 };
  const handlers = { 'system.status': async () => (calls.status++, status) } as unknown as Handlers;
  const auth = await LocalAuth.open({ live: async () => [], save: async () => undefined, remove: async () => undefined });
  const api = await startApi({ handlers, auth, storeOf: () => ({ storeId: 's', currency: 'ARS' }), limiter: new SignInLimiter({ maxFailures: 3 }), timeouts });
  return { api, auth, calls };
}

/** Writes raw bytes and resolves with what the server answers until it closes the socket (or `ms` pass). */
function raw(api: ApiServer, bytes: string, ms = 5_000): Promise<{ text: string; closedAfterMs: number }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = net.connect(api.port, '127.0.0.1', () => socket.write(bytes));
    let text = '';
    socket.on('data', (d) => (text += String(d)));
    const done = () => resolve({ text, closedAfterMs: performance.now() - started });
    socket.on('close', done);
    socket.on('error', () => undefined);
    setTimeout(() => socket.destroy(), ms);
  });
}

const post = (api: ApiServer, headers: Record<string, string>, body: string, path = '/api/system.status') =>
  request(`${api.url}${path}`, { method: 'POST', headers, body });

describe('limits before a body is read', () => {
  let s: Awaited<ReturnType<typeof stubApi>>;
  beforeAll(async () => (s = await stubApi()));
  afterAll(() => s.api.close());

  it('answers an unauthenticated 1 MB POST with 401 before its body has been sent', async () => {
    const head = `POST /api/system.status HTTP/1.1\r\nHost: 127.0.0.1:${s.api.port}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${1024 * 1024}\r\n\r\n{"input":`;
    const { text } = await raw(s.api, head, 1_000);
    expect(text).toMatch(/^HTTP\/1\.1 401 /);
    expect(text).toContain('"code":"Unauthorized"');
  });

  it('says 401, not "invalid JSON" or "too large", for an unauthenticated body it never parsed', async () => {
    const res = await post(s.api, { 'content-type': 'application/json' }, `{"input":${'['.repeat(1024 * 1024 - 20)}`);
    expect(res.status).toBe(401);
    expect(s.calls.status).toBe(0);
  });

  it('refuses a declared charset other than UTF-8 with 415, and accepts UTF-8 spelled any way', async () => {
    const auth = { authorization: `Bearer ${s.auth.secret}` };
    for (const type of ['application/json; charset=latin1', 'application/json; charset=utf-16le', 'garbage', 'text/plain']) {
      const res = await post(s.api, { ...auth, 'content-type': type }, '{"input":{}}');
      expect(res.status, type).toBe(415);
      expect(res.body.error.code).toBe('UnsupportedMediaType');
    }
    const latin1 = await post(s.api, { ...auth, 'content-type': 'application/json; charset=latin1' }, '{"input":{}}');
    expect(latin1.body.error.message).toMatch(/UTF-8.*latin1/);
    for (const type of ['application/json', 'application/json; charset=utf-8', 'Application/JSON; Charset="UTF-8"']) {
      expect((await post(s.api, { ...auth, 'content-type': type }, '{"input":{}}')).status, type).toBe(200);
    }
    const code = await post(s.api, { 'content-type': 'application/json; charset=latin1' }, '{"code":"x"}', '/auth/session');
    expect(code.status).toBe(415);
  });
});

describe('sign-in attempts', () => {
  let s: Awaited<ReturnType<typeof stubApi>>;
  beforeAll(async () => (s = await stubApi()));
  afterAll(() => s.api.close());

  it('limits wrong codes: 429 with Retry-After and the wait in words, even for the right code', async () => {
    const exchange = (code: string, lang = 'es') =>
      post(s.api, { 'content-type': 'application/json', 'accept-language': lang }, JSON.stringify({ code }), '/auth/session');
    for (let i = 0; i < 3; i++) expect((await exchange(`guess-${i}`)).status).toBe(401);
    const limited = await exchange('guess-3');
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('RateLimited');
    const wait = Number(limited.headers['retry-after']);
    expect(wait).toBeGreaterThanOrEqual(55);
    expect(wait).toBeLessThanOrEqual(60);
    expect(limited.body.error.message).toBe(`Demasiados intentos de ingreso fallidos. Espere ${wait} s y vuelva a intentar.`);
    const right = await exchange(s.auth.oneTimeCode ?? '', 'en');
    expect(right.status).toBe(429);
    expect(right.body.error.message).toMatch(/^Too many failed sign-in attempts\. Wait \d+ s/);
    expect(right.headers['set-cookie']).toBeUndefined();
  });

  it('limits wrong secrets, while the right secret and a session still get in', async () => {
    const call = (secret: string) => post(s.api, { 'content-type': 'application/json', authorization: `Bearer ${secret}` }, '{"input":{}}');
    for (let i = 0; i < 3; i++) expect((await call(`wrong-${i}`)).status).toBe(401);
    const limited = await call('wrong-3');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await call(s.auth.secret)).status).toBe(200);
    // No credential at all, or a stale cookie after a restart, is not a guess: plain 401, the sign-in screen.
    const stale = await post(s.api, { 'content-type': 'application/json', cookie: 'mostrador_session=old' }, '{"input":{}}');
    expect(stale.status).toBe(401);
  });
});

describe('slow and half-sent requests', () => {
  let s: Awaited<ReturnType<typeof stubApi>>;
  beforeAll(async () => (s = await stubApi({ headersMs: 300, requestMs: 600, idleMs: 1_000, checkEveryMs: 100 })));
  afterAll(() => s.api.close());

  it('cuts a request whose body stops half-way', async () => {
    const body = '{"input":{}}';
    const half = `POST /api/system.status HTTP/1.1\r\nHost: 127.0.0.1:${s.api.port}\r\nContent-Type: application/json\r\n` +
      `Authorization: Bearer ${s.auth.secret}\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 6)}`;
    const { text, closedAfterMs } = await raw(s.api, half);
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(closedAfterMs).toBeLessThan(2_000);
    expect(s.calls.status).toBe(0);
  });

  it('cuts a request whose headers never end', async () => {
    const { text, closedAfterMs } = await raw(s.api, `POST /api/system.status HTTP/1.1\r\nHost: 127.0.0.1:${s.api.port}\r\n`);
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(closedAfterMs).toBeLessThan(2_000);
  });

  it('leaves a quiet WebSocket open past those deadlines', async () => {
    const ws = new WebSocket(`${s.api.url.replace('http', 'ws')}/ws`, ['mostrador.v1', `bearer.${s.auth.secret}`]);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    expect(ws.readyState).toBe(WebSocket.OPEN);
    ws.close();
  });
});
