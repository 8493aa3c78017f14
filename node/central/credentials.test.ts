import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatHlc } from '../../shared/hlc.js';
import { newId } from '../../shared/ids.js';
import type { WireCredential } from '../../shared/federation.js';
import { enrollDevice, fedCall, startTestCentral, type TestDevice } from '../../test/support/central.js';
import { createTestDatabase } from '../../test/support/postgres.js';
import type { RunningCentral } from './app.js';
import { revokeDevice } from './enrollment.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let central: RunningCentral;
let first: TestDevice;
let second: TestDevice;
let elsewhere: TestDevice;

beforeAll(async () => {
  database = await createTestDatabase('mostrador_central_creds');
  central = await startTestCentral({ databaseUrl: database.url });
  first = await enrollDevice(central);
  second = await enrollDevice(central, first.storeId);
  elsewhere = await enrollDevice(central);
}, 120_000);

afterAll(async () => {
  await central?.close();
  await database?.drop();
});

const PARAMS = { N: 16_384, r: 8, p: 1, keylen: 32 };
const b64 = (seed: string) => Buffer.from(seed.padEnd(32, '.')).toString('base64');
const credential = (device: TestDevice, userId: string, wall: number, hash: string, kind: WireCredential['kind'] = 'pin'): WireCredential => ({
  userId,
  kind,
  hash: b64(hash),
  salt: b64(`salt-${hash}`),
  params: PARAMS,
  hlc: formatHlc({ wall, counter: 0, node: device.deviceId }),
});
const push = (device: TestDevice, credentials: WireCredential[]) => fedCall<{ stored: number; stale: number }>(central.url, device, 'POST', '/credentials', { credentials });
const pull = (device: TestDevice, after = '0', limit?: number) =>
  fedCall<{ credentials: WireCredential[]; cursor: string; more: boolean }>(central.url, device, 'GET', `/credentials?after=${after}${limit ? `&limit=${limit}` : ''}`);

describe('credentials through the central', () => {
  const cashier = newId();
  const owner = newId();

  it('keeps the newest version of each credential per store, and hands it to the store’s other devices by cursor', async () => {
    expect((await push(first, [credential(first, cashier, 1_000, 'pin-1'), credential(first, owner, 1_000, 'pw-1', 'password')])).body).toEqual({ stored: 2, stale: 0 });
    const page = await pull(second);
    expect(page.status).toBe(200);
    expect(page.body.credentials.map((c) => [c.userId, c.kind, Buffer.from(c.hash, 'base64').toString().replace(/\.+$/, '')])).toEqual([
      [cashier, 'pin', 'pin-1'],
      [owner, 'password', 'pw-1'],
    ]);
    expect(page.body.credentials[0]).toEqual(credential(first, cashier, 1_000, 'pin-1'));

    // The second device changes the PIN later; the first device's older change, arriving after it, is stale.
    expect((await push(second, [credential(second, cashier, 2_000, 'pin-2')])).body).toEqual({ stored: 1, stale: 0 });
    expect((await push(first, [credential(first, cashier, 1_500, 'pin-late')])).body).toEqual({ stored: 0, stale: 1 });
    const next = await pull(first, page.body.cursor);
    expect(next.body.credentials).toEqual([credential(second, cashier, 2_000, 'pin-2')]);
    expect(next.body.more).toBe(false);
    expect((await pull(first, next.body.cursor)).body).toEqual({ credentials: [], cursor: next.body.cursor, more: false, restarted: false });
    // A cursor from before a restore of the central's database (past its counter): the answer starts over.
    const past = await pull(first, '999');
    expect(past.body).toMatchObject({ restarted: true, cursor: next.body.cursor, more: false });
    expect(past.body.credentials.map((c) => c.userId)).toEqual([owner, cashier]);
    // Pages: the limit is honoured and `more` says there is another.
    const small = await pull(first, '0', 1);
    expect(small.body).toMatchObject({ more: true, credentials: [{ userId: owner }] });
  });

  it('gives another store nothing, refuses input that is not a hash, and a revoked device gets nothing at all', async () => {
    expect((await pull(elsewhere)).body.credentials).toEqual([]);
    const good = credential(first, cashier, 3_000, 'pin-3');
    for (const bad of [
      { ...good, pin: '1234' },
      { ...good, params: { ...PARAMS, N: 1 << 22 } },
      { ...good, params: { ...PARAMS, N: 10_000 } },
      { ...good, hash: 'not base64!' },
      { ...good, hlc: 'yesterday' },
      { ...good, kind: 'fingerprint' },
    ]) {
      const reply = await push(first, [bad as WireCredential]);
      expect(reply.status, JSON.stringify(bad)).toBe(400);
    }
    expect((await push(first, [])).status).toBe(400);
    expect((await pull(first, 'x')).status).toBe(400);
    await revokeDevice(central.central.db, second.deviceId);
    expect((await pull(second)).status).toBe(401);
    expect((await push(second, [credential(second, cashier, 9_000, 'pin-revoked')])).status).toBe(401);
    const held = await central.central.db.query<{ hlc: string }>('SELECT hlc FROM central_credentials WHERE store_id = $1 AND user_id = $2', [first.storeId, cashier]);
    expect(held).toEqual([{ hlc: formatHlc({ wall: 2_000, counter: 0, node: second.deviceId }) }]);
  });
});
