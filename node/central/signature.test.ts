import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fedHeaders } from '../../shared/federation.js';
import { createTestDatabase } from '../../test/support/postgres.js';
import { databaseDigest } from '../../test/support/digest.js';
import { enrollDevice, fedCall, nextEvents, startTestCentral, type TestDevice } from '../../test/support/central.js';
import type { RunningCentral } from './app.js';
import { revokeDevice } from './enrollment.js';
import { dropExpiredNonces, signedHeaders } from './signature.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let central: RunningCentral;
let device: TestDevice;

beforeAll(async () => {
  database = await createTestDatabase('mostrador_central_sig');
  central = await startTestCentral({ databaseUrl: database.url, rateLimit: { max: 30, windowMs: 60_000 } });
  device = await enrollDevice(central);
}, 120_000);

afterAll(async () => {
  await central?.close();
  await database?.drop();
});

/** A push of fresh events that the central must refuse without storing anything, nonce included. */
async function refusedPush(tamper: (h: Record<string, string>) => Record<string, string>, now?: number, who: Pick<TestDevice, 'deviceId' | 'secret'> = device) {
  const before = await databaseDigest(central.central.db);
  const events = nextEvents({ ...device, head: { ...device.head } }, 2);
  const reply = await fedCall(central.url, who, 'POST', '/push', { events }, tamper, now);
  expect(reply.status).toBe(401);
  expect(await databaseDigest(central.central.db)).toEqual(before);
  return reply;
}

describe('signed federation requests (R16)', () => {
  it('takes a well-signed push and answers the checkpoint', async () => {
    const reply = await fedCall(central.url, device, 'POST', '/push', { events: nextEvents(device, 3) });
    expect(reply).toMatchObject({ status: 200, body: { ackedSeq: 3, inserted: 3, duplicates: 0, refused: null } });
    const check = await fedCall(central.url, device, 'GET', '/checkpoint');
    expect(check.body).toMatchObject({ ackedSeq: 3, lastHash: device.head.hash });
  });

  it('refuses a timestamp outside ±5 minutes, storing nothing, and tells the central time to sign with', async () => {
    await refusedPush((h) => h, Date.now() - 6 * 60_000);
    await refusedPush((h) => h, Date.now() + 6 * 60_000);
    const skewed = Date.now() + 2 * 3600_000;
    const refused = await fetch(`${central.url}/fed/v1/checkpoint`, { headers: signedHeaders(device, 'GET', '/fed/v1/checkpoint', undefined, skewed) });
    expect(refused.status).toBe(401);
    const offset = Number(refused.headers.get('x-mostrador-central-time')) - skewed;
    expect(Math.abs(offset + 2 * 3600_000)).toBeLessThan(60_000);
    const corrected = await fetch(`${central.url}/fed/v1/checkpoint`, { headers: signedHeaders(device, 'GET', '/fed/v1/checkpoint', undefined, skewed + offset) });
    expect(corrected.status).toBe(200);
  });

  it('refuses a wrong signature, a body changed after signing, and missing headers', async () => {
    await refusedPush((h) => ({ ...h, [fedHeaders.signature]: h[fedHeaders.signature]!.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) }));
    await refusedPush((h) => ({ ...h, [fedHeaders.nonce]: 'another-nonce-0123456789' }));
    await refusedPush(({ [fedHeaders.signature]: _s, ...rest }) => rest);
    await refusedPush((h) => h, undefined, { deviceId: device.deviceId, secret: Buffer.alloc(32, 7).toString('base64url') });
  });

  it('refuses a replayed nonce, whichever request carries it', async () => {
    const nonce = 'replayed-nonce-000000000001';
    const first = await fedCall(central.url, device, 'GET', '/checkpoint', undefined, (h) => ({ ...h, [fedHeaders.nonce]: nonce }));
    expect(first.status).toBe(401); // the nonce is part of the signature: changing it after signing is a wrong signature
    const signedWith = await import('./signature.js');
    const path = '/fed/v1/checkpoint';
    const headers = signedWith.signedHeaders(device, 'GET', path, undefined, Date.now(), nonce);
    expect((await fetch(`${central.url}${path}`, { headers })).status).toBe(200);
    const before = await databaseDigest(central.central.db);
    const again = await fetch(`${central.url}${path}`, { headers });
    expect(again.status).toBe(401);
    expect(((await again.json()) as { error: { message: string } }).error.message).toMatch(/nonce/);
    expect(await databaseDigest(central.central.db)).toEqual(before);
  });

  it('keeps nonces until their window has passed', async () => {
    expect(await dropExpiredNonces(central.central.db)).toBe(0);
    const [row] = await central.central.db.query<{ n: number }>('SELECT count(*)::int AS n FROM fed_nonces');
    expect(row!.n).toBeGreaterThan(0);
  });

  it('refuses an unknown device and a revoked one', async () => {
    await refusedPush((h) => h, undefined, { deviceId: '0190a0a0-0000-7000-8000-000000000001', secret: device.secret });
    const other = await enrollDevice(central, device.storeId);
    expect((await fedCall(central.url, other, 'GET', '/checkpoint')).status).toBe(200);
    expect(await revokeDevice(central.central.db, other.deviceId)).toBe(true);
    const before = await databaseDigest(central.central.db);
    const reply = await fedCall(central.url, other, 'POST', '/push', { events: nextEvents(other, 1) });
    expect(reply.status).toBe(401);
    expect(await databaseDigest(central.central.db)).toEqual(before);
  });

  it('limits requests per device in the database (429 past the limit)', async () => {
    const limited = await enrollDevice(central);
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) statuses.push((await fedCall(central.url, limited, 'GET', '/checkpoint')).status);
    expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429]);
    expect((await fedCall(central.url, device, 'GET', '/checkpoint')).status).toBe(200);
  });

  it('spends an enrollment code once', async () => {
    const { createEnrollmentCode } = await import('./enrollment.js');
    const { code } = await createEnrollmentCode(central.central.db, {});
    const enroll = (deviceId: string) =>
      fetch(`${central.url}/fed/v1/enroll`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code, deviceId, storeId: '0190a0a0-0000-7000-8000-0000000000aa', deviceName: 'Caja 2', ownEvents: 5 }),
      });
    expect((await enroll('0190a0a0-0000-7000-8000-0000000000b1')).status).toBe(200);
    expect((await enroll('0190a0a0-0000-7000-8000-0000000000b2')).status).toBe(401);
  });

  it('lets a terminal with sales of its own join only as its own store, and keeps a revoked device out', async () => {
    const { createEnrollmentCode } = await import('./enrollment.js');
    const attempt = async (body: Record<string, unknown>) => {
      const { code } = await createEnrollmentCode(central.central.db, { storeId: device.storeId });
      const before = await databaseDigest(central.central.db);
      const response = await fetch(`${central.url}/fed/v1/enroll`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code, deviceName: 'Caja 3', ...body }),
      });
      const after = await databaseDigest(central.central.db);
      return { status: response.status, unchanged: JSON.stringify({ ...after, enrollment_codes: '' }) === JSON.stringify({ ...before, enrollment_codes: '' }) };
    };
    const own = '0190a0a0-0000-7000-8000-0000000000d1';
    expect(await attempt({ deviceId: '0190a0a0-0000-7000-8000-0000000000d2', storeId: own, ownEvents: 3 })).toEqual({ status: 409, unchanged: true });
    const revoked = '0190a0a0-0000-7000-8000-0000000000d3';
    expect((await attempt({ deviceId: revoked, storeId: own, ownEvents: 0 })).status).toBe(200);
    await revokeDevice(central.central.db, revoked);
    expect(await attempt({ deviceId: revoked, storeId: device.storeId, ownEvents: 0 })).toEqual({ status: 403, unchanged: true });
  });
});
