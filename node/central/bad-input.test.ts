import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FED_PREFIX } from '../../shared/federation.js';
import { createTestDatabase } from '../../test/support/postgres.js';
import { databaseDigest } from '../../test/support/digest.js';
import { enrollDevice, nextEvents, startTestCentral, type TestDevice } from '../../test/support/central.js';
import type { RunningCentral } from './app.js';
import { signedHeaders } from './signature.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let central: RunningCentral;
let device: TestDevice;

beforeAll(async () => {
  database = await createTestDatabase('mostrador_central_bad');
  central = await startTestCentral({ databaseUrl: database.url });
  device = await enrollDevice(central);
}, 120_000);

afterAll(async () => {
  await central?.close();
  await database?.drop();
});

/** Everything but the request's own nonce and rate count, which a well-signed request spends whatever its body. */
const digest = async () => ({ ...(await databaseDigest(central.central.db)), fed_nonces: '', fed_rate: '' });

/** A well-signed request with a hostile body or query: a 4xx that says what is wrong, and nothing stored. */
async function refused(method: 'GET' | 'POST', pathWithQuery: string, body: string | undefined, contentType = 'application/json') {
  const before = await digest();
  const path = `${FED_PREFIX}${pathWithQuery}`;
  const headers = { ...signedHeaders(device, method, path, body), ...(body === undefined ? {} : { 'content-type': contentType }) };
  const response = await fetch(`${central.url}${path}`, { method, headers, body });
  const reply = (await response.json()) as { error?: { code: string; message: string } };
  expect(response.status, JSON.stringify(reply)).toBeGreaterThanOrEqual(400);
  expect(response.status).toBeLessThan(500);
  expect(reply.error?.message.length).toBeGreaterThan(5);
  expect(await digest()).toEqual(before);
  return response.status;
}

describe('hostile input to the federation API', () => {
  it('refuses malformed pushes with a 4xx and stores nothing', async () => {
    const [event] = nextEvents({ ...device, head: { ...device.head } }, 1);
    expect(await refused('POST', '/push', '{"events":')).toBe(400);
    expect(await refused('POST', '/push', '[]')).toBe(400);
    expect(await refused('POST', '/push', JSON.stringify({ events: 'all' }))).toBe(400);
    expect(await refused('POST', '/push', JSON.stringify({ events: [], extra: 1 }))).toBe(400);
    expect(await refused('POST', '/push', JSON.stringify({ events: [{ ...event, device_seq: 0 }] }))).toBe(400);
    expect(await refused('POST', '/push', JSON.stringify({ events: [{ ...event, event_id: 'x' }] }))).toBe(400);
    expect(await refused('POST', '/push', JSON.stringify({ events: [{ ...event, type: 'T'.repeat(65) }] }))).toBe(400);
    expect(await refused('POST', '/push', JSON.stringify({ events: [event] }), 'text/plain')).toBe(415);
    const surrogate = nextEvents({ ...device, head: { ...device.head } }, 1, 'ProductCreated', () => ({ name: '\ud800' }));
    expect(await refused('POST', '/push', JSON.stringify({ events: surrogate }))).toBe(400);
    expect(await refused('POST', '/push', JSON.stringify({ events: [{ ...event, payload: 'x'.repeat(6 * 1024 * 1024) }] }))).toBe(413);
  });

  it('refuses credentials that are not a bounded scrypt hash, and bad credential cursors, storing nothing', async () => {
    const good = {
      userId: device.deviceId,
      kind: 'pin',
      hash: Buffer.alloc(32, 1).toString('base64'),
      salt: Buffer.alloc(16, 2).toString('base64'),
      params: { N: 16_384, r: 8, p: 1, keylen: 32 },
      hlc: `000001700000000-000000-${device.deviceId}`,
    };
    for (const bad of [{ ...good, pin: '1234' }, { ...good, params: { ...good.params, N: 1 << 20 } }, { ...good, hash: '' }, { ...good, hlc: '1' }, { ...good, userId: 'x' }]) {
      expect(await refused('POST', '/credentials', JSON.stringify({ credentials: [bad] }))).toBe(400);
    }
    expect(await refused('POST', '/credentials', JSON.stringify({ credentials: [] }))).toBe(400);
    expect(await refused('POST', '/credentials', JSON.stringify({ credentials: Array.from({ length: 1001 }, () => good) }))).toBe(400);
    expect(await refused('GET', '/credentials?after=-1', undefined)).toBe(400);
    expect(await refused('GET', '/credentials?limit=1001', undefined)).toBe(400);
  });

  it("refuses bad relay alerts, records a good one once (a resend adds nothing) and the operator sees it", async () => {
    const eventId = nextEvents({ ...device }, 1)[0]!.event_id;
    const alert = { eventId, at: '2026-12-07T05:00:00.000Z', reason: 'the central failed the batch 10 times' };
    expect(await refused('POST', '/alerts', JSON.stringify({ ...alert, eventId: 'x' }))).toBe(400);
    expect(await refused('POST', '/alerts', JSON.stringify({ ...alert, reason: '' }))).toBe(400);
    expect(await refused('POST', '/alerts', JSON.stringify({ ...alert, reason: 'r'.repeat(501) }))).toBe(400);
    expect(await refused('POST', '/alerts', JSON.stringify({ ...alert, storeId: device.storeId }))).toBe(400);
    const send = async () => {
      const path = `${FED_PREFIX}/alerts`;
      const body = JSON.stringify(alert);
      const response = await fetch(`${central.url}${path}`, { method: 'POST', headers: { ...signedHeaders(device, 'POST', path, body), 'content-type': 'application/json' }, body });
      return response.json();
    };
    expect(await send()).toEqual({ recorded: true });
    expect(await send()).toEqual({ recorded: false });
    const listed = await fetch(`${central.url}/admin/v1/alerts?storeId=${device.storeId}`, { headers: { authorization: `Bearer ${central.auth.secret}` } });
    const { alerts } = (await listed.json()) as { alerts: { deviceId: string; eventId: string; reason: string }[] };
    expect(alerts.filter((a) => a.eventId === eventId)).toEqual([
      expect.objectContaining({ deviceId: device.deviceId, reason: 'relay dead letter: the central failed the batch 10 times' }),
    ]);
  });

  it('refuses bad cursors, grant requests and enrollments', async () => {
    expect(await refused('GET', '/pull?after=abc', undefined)).toBe(400);
    expect(await refused('GET', '/pull?limit=0', undefined)).toBe(400);
    expect(await refused('GET', '/pull?limit=1000000', undefined)).toBe(400);
    expect(await refused('GET', '/own?after=1e400', undefined)).toBe(400);
    expect(await refused('POST', '/fiscal/ranges', JSON.stringify({ series: 'B'.repeat(21), docType: 'ticket' }))).toBe(400);
    expect(await refused('POST', '/fiscal/ranges', JSON.stringify({ series: 'B', docType: 'ticket', first: 1 }))).toBe(400);
    const before = await digest();
    for (const body of ['{}', '{"code":"short"}', JSON.stringify({ code: 'x'.repeat(20), deviceId: device.deviceId, storeId: device.storeId, deviceName: 'a', ownEvents: -1 })]) {
      const response = await fetch(`${central.url}${FED_PREFIX}/enroll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(response.status).toBe(400);
    }
    const unknownCode = JSON.stringify({ code: 'x'.repeat(20), deviceId: device.deviceId, storeId: device.storeId, deviceName: 'a', ownEvents: 0 });
    expect((await fetch(`${central.url}${FED_PREFIX}/enroll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: unknownCode })).status).toBe(401);
    expect(await digest()).toEqual(before);
  });

  it('refuses malformed status reports, and takes those of older and newer terminals', async () => {
    const status = {
      enrolled: true, centralUrl: central.url, online: true, lastContactAt: null, lastError: null, backlog: 0,
      breaker: { state: 'closed', failures: 0, retryAt: null }, deadLetter: null, fiscalNumbersLeft: null, lastReconcile: null,
    };
    const report = { status, appVersion: '1.0.0', reconciled: null };
    expect(await refused('POST', '/report', '{"status":')).toBe(400);
    expect(await refused('POST', '/report', JSON.stringify({ ...report, extra: 1 }))).toBe(400);
    expect(await refused('POST', '/report', JSON.stringify({ ...report, status: { ...status, backlog: -1 } }))).toBe(400);
    expect(await refused('POST', '/report', JSON.stringify({ ...report, status: { ...status, breaker: { state: 'melted' } } }))).toBe(400);
    expect(await refused('POST', '/report', JSON.stringify({ ...report, reconciled: 'not-a-token' }))).toBe(400);
    expect(await refused('POST', '/report', JSON.stringify({ ...report, appVersion: 'v'.repeat(41) }))).toBe(400);
    expect(await refused('POST', '/report', JSON.stringify({ ...report, status: { ...status, note: 'x'.repeat(70 * 1024) } }))).toBe(413);

    // An older terminal's report lacks fields added since, a newer one has fields this central does not know: both taken.
    for (const sent of [{ backlog: 3, breaker: status.breaker }, { ...status, clockSkewFromTheFuture: 1 }]) {
      const body = JSON.stringify({ ...report, status: sent });
      const path = `${FED_PREFIX}/report`;
      const response = await fetch(`${central.url}${path}`, { method: 'POST', headers: { ...signedHeaders(device, 'POST', path, body), 'content-type': 'application/json' }, body });
      expect(response.status).toBe(200);
    }
    const [kept] = await central.central.db.query<{ status: Record<string, unknown> }>('SELECT status FROM central_device_status WHERE device_id = $1', [device.deviceId]);
    expect(kept!.status.clockSkewFromTheFuture).toBe(1);
  });
});
