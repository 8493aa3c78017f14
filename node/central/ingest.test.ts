import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WireEvent } from '../../shared/federation.js';
import { createTestDatabase } from '../../test/support/postgres.js';
import { databaseDigest } from '../../test/support/digest.js';
import { enrollDevice, fedCall, nextEvents, startTestCentral, type TestDevice } from '../../test/support/central.js';
import type { RunningCentral } from './app.js';
import type { PushResult } from './ingest.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let central: RunningCentral;

beforeAll(async () => {
  database = await createTestDatabase('mostrador_central_ingest');
  central = await startTestCentral({ databaseUrl: database.url });
}, 120_000);

afterAll(async () => {
  await central?.close();
  await database?.drop();
});

const push = (device: TestDevice, events: WireEvent[]) => fedCall<PushResult>(central.url, device, 'POST', '/push', { events });

async function refusedWithNothingStored(device: TestDevice, events: WireEvent[], reason: RegExp, ackedSeq: number) {
  const before = await databaseDigest(central.central.db);
  const reply = await push(device, events);
  expect(reply.status).toBe(200);
  expect(reply.body).toMatchObject({ ackedSeq, inserted: 0 });
  expect(reply.body.refused?.reason).toMatch(reason);
  const after = await databaseDigest(central.central.db);
  // Only the request's own nonce and rate count change, and the alert is raised.
  expect({ ...after, fed_nonces: '', fed_rate: '', central_alerts: '' }).toEqual({ ...before, fed_nonces: '', fed_rate: '', central_alerts: '' });
  const [alert] = await central.central.db.query<{ reason: string }>(
    'SELECT reason FROM central_alerts WHERE device_id = $1 ORDER BY raised_at DESC, alert_id DESC LIMIT 1',
    [device.deviceId],
  );
  expect(alert?.reason).toBe(reply.body.refused?.reason);
}

describe('push ingest (R9)', () => {
  it('stores a batch once; a resend is all duplicates', async () => {
    const device = await enrollDevice(central);
    const events = nextEvents(device, 50);
    expect((await push(device, events)).body).toEqual({ ackedSeq: 50, inserted: 50, duplicates: 0, refused: null });
    expect((await push(device, events)).body).toEqual({ ackedSeq: 50, inserted: 0, duplicates: 50, refused: null });
    // Overlapping resend: the held part is duplicates, the rest is new.
    const more = nextEvents(device, 10);
    expect((await push(device, [...events.slice(45), ...more])).body).toEqual({ ackedSeq: 60, inserted: 10, duplicates: 5, refused: null });
    const [row] = await central.central.db.query<{ n: number; seqs: number }>(
      'SELECT count(*)::int AS n, count(DISTINCT store_seq)::int AS seqs FROM events WHERE device_id = $1',
      [device.deviceId],
    );
    expect(row).toEqual({ n: 60, seqs: 60 });
  });

  it('refuses the same id with another hash, and a held device_seq under another id', async () => {
    const device = await enrollDevice(central);
    const events = nextEvents(device, 3);
    await push(device, events);
    const changed = { ...events[1]!, hash: 'f'.repeat(64) };
    await refusedWithNothingStored(device, [changed], /same event id as held, other hash/, 3);
    const impostor = { ...events[2]!, event_id: '0190a0a0-0000-7000-8000-00000000dead' };
    await refusedWithNothingStored(device, [impostor], /held under another event id/, 3);
  });

  it('refuses a content change, a broken link and events of another device or store', async () => {
    const device = await enrollDevice(central);
    await push(device, nextEvents(device, 2));
    const fork = { ...device, head: { ...device.head } };
    const [next] = nextEvents(fork, 1);
    await refusedWithNothingStored(device, [{ ...next!, payload: { name: 'changed' } }], /hash does not match/, 2);
    const unlinked = { ...device, head: { ...device.head, hash: 'a'.repeat(64) } };
    await refusedWithNothingStored(device, nextEvents(unlinked, 1), /prev_hash/, 2);
    const other = await enrollDevice(central, device.storeId);
    await refusedWithNothingStored(device, nextEvents(other, 1), /not the signed device/, 2);
    await refusedWithNothingStored(device, [{ ...next!, store_id: '0190a0a0-0000-7000-8000-0000000000cc' }], /belongs to store/, 2);
  });

  it('refuses content that would not come back out of the database as it went in', async () => {
    const device = await enrollDevice(central);
    const [odd] = nextEvents({ ...device, head: { ...device.head } }, 1);
    const reformatted = { ...odd!, created_at: odd!.created_at.replace('Z', '+00:00') };
    await refusedWithNothingStored(device, [reformatted], /created_at/, 0);
    const before = await databaseDigest(central.central.db);
    const body = JSON.stringify({ events: [odd] }).replace('"payload":{"name":"p1"}', '"payload":{"n":1e400}');
    const { signedHeaders } = await import('./signature.js');
    const response = await fetch(`${central.url}/fed/v1/push`, {
      method: 'POST',
      headers: { ...signedHeaders(device, 'POST', '/fed/v1/push', body), 'content-type': 'application/json' },
      body,
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as PushResult).refused?.reason).toMatch(/canonical JSON/);
    const ignored = { fed_nonces: '', fed_rate: '', central_alerts: '' };
    expect({ ...(await databaseDigest(central.central.db)), ...ignored }).toEqual({ ...before, ...ignored });
    const nul = nextEvents({ ...device, head: { ...device.head } }, 1, 'ProductCreated', () => ({ name: 'a\u0000b' }));
    await refusedWithNothingStored(device, nul, /NUL/, 0);
  });

  it('stores the good prefix of a batch and names the first bad event', async () => {
    const device = await enrollDevice(central);
    const events = nextEvents(device, 5);
    events[3] = { ...events[3]!, actor_id: 'someone else' };
    const reply = await push(device, events);
    expect(reply.body).toMatchObject({ ackedSeq: 3, inserted: 3, refused: { eventId: events[3]!.event_id } });
  });

  it('takes nothing past a gap and says where to resume', async () => {
    const device = await enrollDevice(central);
    const events = nextEvents(device, 6);
    await push(device, events.slice(0, 2));
    expect((await push(device, events.slice(3))).body).toEqual({ ackedSeq: 2, inserted: 0, duplicates: 0, refused: null });
    expect((await push(device, events.slice(2))).body).toEqual({ ackedSeq: 6, inserted: 4, duplicates: 0, refused: null });
  });

  it('gives other devices the events by pull, and the device its own tail', async () => {
    const a = await enrollDevice(central);
    const b = await enrollDevice(central, a.storeId);
    const fromA = nextEvents(a, 4);
    await push(a, fromA);
    const fromB = nextEvents(b, 2);
    await push(b, fromB);
    const pulled = await fedCall<{ events: WireEvent[]; cursor: string; more: boolean }>(central.url, b, 'GET', '/pull?after=0&limit=100');
    expect(pulled.body.events.map((e) => e.event_id)).toEqual(fromA.map((e) => e.event_id));
    expect(pulled.body.events[0]).toEqual(fromA[0]);
    // The cursor names the store order's position and the event there (a restored central cannot hold it by mistake).
    expect(pulled.body.cursor).toBe(`6.${fromB[1]!.event_id}`);
    const paged = await fedCall<{ events: WireEvent[]; cursor: string; more: boolean }>(central.url, b, 'GET', '/pull?after=0&limit=2');
    expect(paged.body).toMatchObject({ cursor: `2.${fromA[1]!.event_id}`, more: true });
    const own = await fedCall<{ events: WireEvent[]; more: boolean }>(central.url, a, 'GET', '/own?after=2');
    expect(own.body.events.map((e) => e.device_seq)).toEqual([3, 4]);
    expect((await fedCall(central.url, b, 'GET', '/pull?after=-1')).status).toBe(400);
  });
});

describe('the central recomputes hashes as the journal does', () => {
  it('contentHash equals eventHash for any payload', async () => {
    const { contentHash } = await import('./ingest.js');
    const { eventHash } = await import('../journal/chain.js');
    const fc = await import('fast-check');
    const device = { deviceId: '0190a0a0-0000-7000-8000-000000000001', storeId: '0190a0a0-0000-7000-8000-000000000002', secret: '', head: { seq: 0, hash: '0'.repeat(64) } };
    fc.assert(
      fc.property(fc.jsonValue(), (payload) => {
        const [event] = nextEvents({ ...device, head: { ...device.head } }, 1, 'ProductCreated', () => payload);
        expect(contentHash(event!)).toBe(eventHash(event as never));
      }),
      { numRuns: 200 },
    );
  });
});
