import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase } from '../../test/support/postgres.js';
import { enrollDevice, startTestCentral } from '../../test/support/central.js';
import { runCentralCli } from './cli.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;

beforeAll(async () => {
  database = await createTestDatabase('mostrador_central_cli');
}, 60_000);

afterAll(async () => {
  vi.unstubAllEnvs();
  await database?.drop();
});

async function run(sub: string, values: Record<string, string> = {}): Promise<{ code: number; printed: string }> {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (lines.push(String(chunk)), true));
  try {
    const code = await runCentralCli(sub, { dataDir: '/nonexistent', ...values });
    return { code, printed: lines.join('') };
  } finally {
    spy.mockRestore();
  }
}

describe('mostrador central (CLI)', () => {
  it('makes an enrollment code a terminal can use, lists and revokes the device', async () => {
    vi.stubEnv('DATABASE_URL', database.url);
    const storeId = '0190a0a0-0000-7000-8000-00000000c11a';
    const made = await run('enroll-code', { store: storeId, name: 'Almacén Rosa' });
    expect(made.code).toBe(0);
    const code = /enrollment code: (\S+)/.exec(made.printed)![1]!;
    const central = await startTestCentral({ databaseUrl: database.url });
    try {
      const response = await fetch(`${central.url}/fed/v1/enroll`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code, deviceId: '0190a0a0-0000-7000-8000-00000000c11b', storeId, deviceName: 'Caja 1', ownEvents: 0 }),
      });
      expect(response.status).toBe(200);
      const other = await enrollDevice(central);
      expect((await run('devices', { store: storeId })).printed).toMatch(/0190a0a0-0000-7000-8000-00000000c11b {2}Caja 1 {2}held up to 0 {2}never reported\n$/);
      expect(await run('reconcile', { device: '0190a0a0-0000-7000-8000-00000000c11b' })).toMatchObject({ code: 0 });
      expect((await run('devices', { store: storeId })).printed).toMatch(/never reported · reconcile asked\n$/);
      expect(await run('reconcile', { device: '0190a0a0-0000-7000-8000-0000000000ff' })).toMatchObject({ code: 1 });
      expect(await run('revoke', { device: '0190a0a0-0000-7000-8000-00000000c11b' })).toMatchObject({ code: 0 });
      expect((await run('devices', { store: storeId })).printed).toMatch(/REVOKED/);
      expect((await run('devices', { store: other.storeId })).printed).not.toMatch(/REVOKED/);
      expect(await run('revoke', { device: '0190a0a0-0000-7000-8000-00000000c11b' })).toMatchObject({ code: 1 });
      expect(await run('nonsense')).toMatchObject({ code: 2 });
    } finally {
      await central.close();
    }
  }, 60_000);

  it('lets the operator in with the printed link and make codes through the admin API', async () => {
    const central = await startTestCentral({ databaseUrl: database.url });
    try {
      expect((await fetch(`${central.url}/admin/v1/devices`)).status).toBe(401);
      const code = new URL(central.signInUrl()).searchParams.get('code');
      const session = await fetch(`${central.url}/auth/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
      expect(session.status).toBe(200);
      const cookie = session.headers.get('set-cookie')!.split(';')[0]!;
      const made = await fetch(`${central.url}/admin/v1/enrollment-codes`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: '{}' });
      expect(made.status).toBe(200);
      expect(((await made.json()) as { code: string }).code).toMatch(/^[A-Za-z0-9_-]{20}$/);
      const stores = await fetch(`${central.url}/admin/v1/stores`, { headers: { cookie } });
      expect(stores.status).toBe(200);
      const alerts = await fetch(`${central.url}/admin/v1/alerts`, { headers: { cookie } });
      expect(await alerts.json()).toEqual({ alerts: [] });
      const bad = await fetch(`${central.url}/admin/v1/devices/not-a-uuid/revoke`, { method: 'POST', headers: { cookie } });
      expect(bad.status).toBe(400);
    } finally {
      await central.close();
    }
  }, 60_000);
});
