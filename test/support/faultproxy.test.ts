import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy, type Fault, type FaultProxy } from './faultproxy.js';

/** The proxy the chaos suites trust must itself do what it says: each fault, against a server that counts. */
describe('fault-injecting proxy', () => {
  let server: http.Server;
  let target: string;
  const seen: { path: string; body: string; complete: boolean }[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ path: req.url ?? '', body, complete: true });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ n: seen.length, body }));
      });
      req.on('aborted', () => seen.push({ path: req.url ?? '', body, complete: false }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    target = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  async function call(proxy: FaultProxy, body = 'x'.repeat(2000)): Promise<{ status: number; text: string } | 'network'> {
    try {
      const res = await fetch(`${proxy.url}/fed/v1/push`, { method: 'POST', body, headers: { 'content-type': 'text/plain' } });
      return { status: res.status, text: await res.text() };
    } catch {
      return 'network';
    }
  }

  async function withFault(fault: Fault, run: (proxy: FaultProxy) => Promise<void>): Promise<void> {
    const proxy = await startFaultProxy(target, { plan: { next: () => fault, delayMs: 50 } });
    seen.length = 0;
    try {
      await run(proxy);
    } finally {
      await proxy.close();
    }
  }

  it('passes requests through untouched', () =>
    withFault('pass', async (proxy) => {
      const answer = await call(proxy, 'hello');
      expect(answer).toMatchObject({ status: 200 });
      expect(seen).toEqual([{ path: '/fed/v1/push', body: 'hello', complete: true }]);
    }));

  it('drops: the server never sees the request and the client sees a network error', () =>
    withFault('drop', async (proxy) => {
      expect(await call(proxy)).toBe('network');
      expect(seen).toHaveLength(0);
    }));

  it('answers 500 itself without forwarding', () =>
    withFault('error500', async (proxy) => {
      expect(await call(proxy)).toMatchObject({ status: 500 });
      expect(seen).toHaveLength(0);
    }));

  it('duplicates: the server sees the request twice', () =>
    withFault('duplicate', async (proxy) => {
      expect(await call(proxy, 'dup')).toMatchObject({ status: 200 });
      expect(seen.map((s) => s.body)).toEqual(['dup', 'dup']);
    }));

  it('drops the response after the server answered (it committed; the client does not know)', () =>
    withFault('dropResponse', async (proxy) => {
      expect(await call(proxy, 'late')).toBe('network');
      expect(seen).toEqual([{ path: '/fed/v1/push', body: 'late', complete: true }]);
    }));

  it('cuts the body half way: the server never gets a whole request', () =>
    withFault('cut', async (proxy) => {
      expect(await call(proxy, 'y'.repeat(10_000))).toBe('network');
      await expect.poll(() => seen.length, { timeout: 5_000 }).toBe(1);
      expect(seen[0]!.complete).toBe(false);
      expect(seen[0]!.body.length).toBeLessThan(10_000);
    }));

  it('delays and reorders but still delivers', async () => {
    await withFault('delay', async (proxy) => {
      const started = Date.now();
      expect(await call(proxy, 'slow')).toMatchObject({ status: 200 });
      expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    });
    await withFault('reorder', async (proxy) => {
      expect(await call(proxy, 'held')).toMatchObject({ status: 200 });
      expect(seen.map((s) => s.body)).toEqual(['held']);
    });
  });

  it('partitions: everything refused until healed, and the health probe is never damaged by a plan', async () => {
    const proxy = await startFaultProxy(target, { plan: { next: () => 'error500' } });
    seen.length = 0;
    try {
      proxy.partition(true);
      expect(await call(proxy)).toBe('network');
      proxy.partition(false);
      const health = await fetch(`${proxy.url}/fed/v1/health`);
      expect(health.status).toBe(200);
      expect(proxy.log.map((l) => l.fault)).toEqual(['pass']);
    } finally {
      await proxy.close();
    }
  });
});
