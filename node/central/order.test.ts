import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { WireEvent } from '../../shared/federation.js';
import { createTestDatabase } from '../../test/support/postgres.js';
import { enrollDevice, fedCall, nextEvents, startTestCentral, type TestDevice } from '../../test/support/central.js';
import type { RunningCentral } from './app.js';
import { signedHeaders } from './signature.js';

/** Two central processes' worth of app (each its own pool, LISTEN connection and server) on one PostgreSQL database. */
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let one: RunningCentral;
let two: RunningCentral;

beforeAll(async () => {
  database = await createTestDatabase('mostrador_central_order');
  one = await startTestCentral({ databaseUrl: database.url });
  two = await startTestCentral({ databaseUrl: database.url });
}, 120_000);

afterAll(async () => {
  await one?.close();
  await two?.close();
  await database?.drop();
});

type Pulled = { events: WireEvent[]; cursor: string; more: boolean };

describe('the per-store order with two central processes (R11)', () => {
  it('a pull cursor never skips an event while writers commit through both processes', async () => {
    const reader = await enrollDevice(one);
    const writers = await Promise.all(Array.from({ length: 6 }, () => enrollDevice(one, reader.storeId)));
    const sent: string[] = [];
    let writing = true;
    const write = async (device: TestDevice, i: number) => {
      for (let batch = 0; batch < 15; batch++) {
        const events = nextEvents(device, 1 + ((batch * 7 + i) % 40));
        sent.push(...events.map((e) => e.event_id));
        const reply = await fedCall(i % 2 === 0 ? one.url : two.url, device, 'POST', '/push', { events });
        expect(reply.status).toBe(200);
      }
    };
    const seen: string[] = [];
    let cursor = '0';
    const pullOnce = async () => {
      const reply = await fedCall<Pulled>(cursor.length % 2 ? one.url : two.url, reader, 'GET', `/pull?after=${cursor}&limit=37`);
      expect(reply.status).toBe(200);
      seen.push(...reply.body.events.map((e) => e.event_id));
      cursor = reply.body.cursor;
      return reply.body.more;
    };
    const reading = (async () => {
      while (writing) await pullOnce();
    })();
    await Promise.all(writers.map(write));
    writing = false;
    await reading;
    while (await pullOnce());
    expect(seen.length).toBe(sent.length);
    expect(new Set(seen)).toEqual(new Set(sent));
  }, 120_000);

  it('the same batch sent to both processes at once is stored once (a relay retrying while the first is in flight)', async () => {
    const device = await enrollDevice(one);
    for (let round = 0; round < 5; round++) {
      const events = nextEvents(device, 200);
      const replies = await Promise.all([one, two, one, two].map((c) => fedCall<{ inserted: number; duplicates: number; ackedSeq: number }>(c.url, device, 'POST', '/push', { events })));
      expect(replies.map((r) => r.body.inserted).sort((a, b) => a - b)).toEqual([0, 0, 0, 200]);
      expect(replies.every((r) => r.body.ackedSeq === (round + 1) * 200)).toBe(true);
    }
    const [row] = await one.central.db.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE device_id = $1', [device.deviceId]);
    expect(row!.n).toBe(1000);
  }, 60_000);

  it('tells a device connected to one process that events arrived through the other', async () => {
    const listener = await enrollDevice(one);
    const writer = await enrollDevice(one, listener.storeId);
    const stranger = await enrollDevice(one);
    const connect = (device: TestDevice) => {
      const path = '/fed/v1/ws';
      const socket = new WebSocket(`${one.url.replace('http', 'ws')}${path}`, { headers: signedHeaders(device, 'GET', path) });
      const messages: unknown[] = [];
      socket.on('message', (data) => messages.push(JSON.parse(String(data))));
      return new Promise<{ socket: WebSocket; messages: unknown[] }>((resolve, reject) => {
        socket.on('open', () => resolve({ socket, messages }));
        socket.on('error', reject);
      });
    };
    const mine = await connect(listener);
    const theirs = await connect(stranger);
    await fedCall(two.url, writer, 'POST', '/push', { events: nextEvents(writer, 2) });
    await expect.poll(() => mine.messages, { timeout: 10_000 }).toEqual([{ type: 'more', storeId: listener.storeId }]);
    expect(theirs.messages).toEqual([]);
    mine.socket.close();
    theirs.socket.close();
  }, 60_000);

  it("closes a revoked device's WebSocket, whichever process it is connected to", async () => {
    const device = await enrollDevice(one);
    const path = '/fed/v1/ws';
    const socket = new WebSocket(`${one.url.replace('http', 'ws')}${path}`, { headers: signedHeaders(device, 'GET', path) });
    await new Promise((resolve, reject) => socket.on('open', resolve).on('error', reject));
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    const { revokeDevice } = await import('./enrollment.js');
    await revokeDevice(two.central.db, device.deviceId);
    await two.notifier.publishRevoked(device.deviceId);
    expect(await closed).toBe(4401);
  }, 60_000);

  it('refuses an unsigned WebSocket upgrade', async () => {
    const socket = new WebSocket(`${one.url.replace('http', 'ws')}/fed/v1/ws`);
    const status = await new Promise<number>((resolve) => socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    expect(status).toBe(401);
  });

  it('a cursor whose event is not where it says (a database restored from an older backup) is answered with restart', async () => {
    const reader = await enrollDevice(one);
    const writer = await enrollDevice(one, reader.storeId);
    await fedCall(one.url, writer, 'POST', '/push', { events: nextEvents(writer, 3) });
    const pull = async (after: string) => (await fedCall<Pulled & { restart?: boolean }>(one.url, reader, 'GET', `/pull?after=${after}&limit=10`)).body;
    const all = await pull('0');
    expect(all.events).toHaveLength(3);
    expect(all.cursor).toMatch(/^\d+\.[0-9a-f-]{36}$/);
    expect(all.restart).toBeUndefined();
    // The cursor it gave: nothing new, no restart.
    expect(await pull(all.cursor)).toMatchObject({ events: [], cursor: all.cursor, more: false });
    const [seq] = all.cursor.split('.');
    // Same place, another event there (the order was rewritten after a restore), or a place the order does not reach.
    expect(await pull(`${seq}.${all.events[0]!.event_id}`)).toMatchObject({ events: [], restart: true, cursor: all.cursor });
    expect(await pull(`${Number(seq) + 1000}.${all.events[2]!.event_id}`)).toMatchObject({ events: [], restart: true, cursor: all.cursor });
    expect(await pull(String(Number(seq) + 1000))).toMatchObject({ restart: true, cursor: all.cursor });
    // A bare number (an older node's cursor) inside the order still pulls.
    expect((await pull(String(Number(seq) - 1))).events.map((e) => e.event_id)).toEqual([all.events[2]!.event_id]);
    expect((await fedCall(one.url, reader, 'GET', '/pull?after=1.not-an-id')).status).toBe(400);
  });
});
