import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../../shared/contract/index.js';
import { startNode, type RunningNode } from '../app.js';
import type { RunningCentral } from '../central/app.js';
import type { DeviceOverview } from '../central/device-status.js';
import { createEnrollmentCode } from '../central/enrollment.js';
import { commandCall, queryCall } from '../../test/support/calls.js';
import { startTestCentral } from '../../test/support/central.js';
import { createTestDatabase } from '../../test/support/postgres.js';
import { tempDir } from '../../test/support/tmp.js';
import { federationActions } from './actions.js';

/**
 * Seeing the federation (issue 14 item 11): the terminal's status carries its last reconciliation, reconcile-now runs
 * one, and the central's device table shows what only the terminal knows (from its reports), and can ask it to
 * reconcile.
 */
describe('the federation status, on the terminal and at the central', { timeout: 240_000 }, () => {
  const tmp = tempDir('mostrador-fed-status-');
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let central: RunningCentral;
  let node: RunningNode;

  const admin = async <T,>(method: 'GET' | 'POST', path: string): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${central.url}/admin/v1${path}`, { method, headers: { authorization: `Bearer ${central.auth.secret}` } });
    return { status: response.status, body: (await response.json()) as T };
  };
  const deviceAtCentral = async () => (await admin<{ device: DeviceOverview }>('GET', `/devices/${node.store.identity.deviceId}`)).body.device;

  beforeAll(async () => {
    database = await createTestDatabase('mostrador_fed_status');
    central = await startTestCentral({ databaseUrl: database.url });
    node = await startNode({ dataDir: tmp.dir, port: 0, federation: { pollMs: 3_600_000, realtime: false, timeoutMs: 20_000 } });
    const { code } = await createEnrollmentCode(central.central.db, {});
    await node.federation!.enroll({ centralUrl: central.url, code, deviceName: 'Caja 1' });
    // The first round after enrolling reconciles (a reconnect); let it finish so the test's own runs are its own.
    await node.federation!.syncNow();
    await node.federation!.reconciled();
  }, 120_000);

  afterAll(async () => {
    await node?.close();
    await central?.close();
    await database?.drop();
    tmp.remove();
  });

  it('reconcile now answers its result in the status, by the API, the control socket and at the central', async () => {
    await node.handlers['products.create'](contract['products.create'].input.parse({ name: 'Yerba', price: 1000 }), commandCall(node.own));
    const before = Date.now();
    const status = await node.federation!.reconcileNow();
    expect(status.backlog).toBe(0);
    // In sync, or converged when the central's grant of a fiscal range (asked after the round) had not been pulled yet.
    expect(['in-sync', 'converged']).toContain(status.lastReconcile!.outcome);
    expect(status.lastReconcile!.pushed).toBe(0);
    expect(Date.parse(status.lastReconcile!.at)).toBeGreaterThanOrEqual(before - 1000);

    // The API method answers the same shape, and a cashier may not run it.
    const answered = contract['federation.reconcileNow'].output.parse(await node.handlers['federation.reconcileNow']({}, queryCall(node.own)));
    expect(answered.lastReconcile).toMatchObject({ outcome: 'in-sync', pulled: 0, pushed: 0 });
    expect(contract['federation.reconcileNow'].roles).not.toContain('cashier');

    // The CLI's ask through the control socket.
    const line = await federationActions(node.federation!)({ ask: 'reconcileNow' });
    expect(line).toMatch(/^reconciled: .*last reconcile in-sync at /);

    // The central's table shows what the terminal reported after that run.
    const device = await deviceAtCentral();
    expect(device).toMatchObject({ name: 'Caja 1', online: true, backlog: 0, breaker: 'closed', lastReconcile: { outcome: 'in-sync' }, reconcileAskedAt: null });
    expect(device.appVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(Date.parse(device.lastContactAt!)).toBeGreaterThanOrEqual(before - 1000);
    // The whole status travels, so fields the table does not pick out are there too.
    expect(device.status).toMatchObject({ enrolled: true, deadLetter: null, centralUrl: central.url });
  });

  it('the operator asks a device to reconcile; the next round runs it and the request clears', async () => {
    const previous = (await deviceAtCentral()).lastReconcile!.at;
    const asked = await admin<{ asked: boolean; askedAt: string }>('POST', `/devices/${node.store.identity.deviceId}/reconcile`);
    expect(asked.status).toBe(200);
    expect((await deviceAtCentral()).reconcileAskedAt).toBe(asked.body.askedAt);
    // No WebSocket in this test: the round the "more" would have caused is run here.
    await node.federation!.syncNow();
    await node.federation!.reconciled();
    const device = await deviceAtCentral();
    expect(device.reconcileAskedAt).toBeNull();
    expect(Date.parse(device.lastReconcile!.at)).toBeGreaterThan(Date.parse(previous));
    expect((await node.federation!.status()).lastReconcile!.at).toBe(device.lastReconcile!.at);
    // Asked for nothing more: another round does not reconcile again.
    await node.federation!.syncNow();
    expect((await deviceAtCentral()).lastReconcile!.at).toBe(device.lastReconcile!.at);

    // An unknown device is a 404 in words; a device list per store has it too.
    const unknown = await admin<{ error: { message: string } }>('POST', `/devices/0190a0a0-0000-7000-8000-000000000000/reconcile`);
    expect(unknown.status).toBe(404);
    const listed = await admin<{ devices: DeviceOverview[] }>('GET', `/devices?storeId=${node.own.storeId}`);
    expect(listed.body.devices.map((d) => d.deviceId)).toEqual([node.store.identity.deviceId]);
  });
});
