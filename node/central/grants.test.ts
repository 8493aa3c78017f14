import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WireEvent } from '../../shared/federation.js';
import { newId } from '../../shared/ids.js';
import { createTestDatabase } from '../../test/support/postgres.js';
import { enrollDevice, fedCall, nextEvents, startTestCentral, type TestDevice } from '../../test/support/central.js';
import type { RunningCentral } from './app.js';
import type { GrantResult } from './grants.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let one: RunningCentral;
let two: RunningCentral;
/** A third process whose ranges expire at once, to see expiry and reclaim. */
let brief: RunningCentral;

beforeAll(async () => {
  database = await createTestDatabase('mostrador_central_grants');
  const rateLimit = { max: 10_000, windowMs: 60_000 };
  one = await startTestCentral({ databaseUrl: database.url, rateLimit, grants: { size: 100, ttlMs: 3600_000, graceMs: 3600_000 } });
  two = await startTestCentral({ databaseUrl: database.url, rateLimit, grants: { size: 100, ttlMs: 3600_000, graceMs: 3600_000 } });
  brief = await startTestCentral({ databaseUrl: database.url, rateLimit, grants: { size: 10, ttlMs: 1, graceMs: 1 } });
}, 120_000);

afterAll(async () => {
  await Promise.all([one?.close(), two?.close(), brief?.close()]);
  await database?.drop();
});

const ask = (central: RunningCentral, device: TestDevice, series = 'B-0001', docType = 'ticket') =>
  fedCall<GrantResult>(central.url, device, 'POST', '/fiscal/ranges', { series, docType });

interface RangeRow {
  device_id: string;
  series: string;
  doc_type: string;
  first_number: number;
  last_number: number;
  state: string;
}

const rangesOf = (storeId: string) =>
  one.central.db.query<RangeRow>(
    `SELECT device_id::text AS device_id, series, doc_type, first_number, last_number, state FROM central_fiscal_ranges
     WHERE store_id = $1 ORDER BY series, doc_type, first_number`,
    [storeId],
  );

function expectNoOverlap(ranges: RangeRow[]) {
  for (let i = 1; i < ranges.length; i++) {
    const [a, b] = [ranges[i - 1]!, ranges[i]!];
    if (a.series === b.series && a.doc_type === b.doc_type) expect(b.first_number).toBeGreaterThan(a.last_number);
  }
}

describe('fiscal ranges granted by the central (R6)', () => {
  it('a thousand concurrent requests across two processes: no overlap, one active and one queued per device', async () => {
    const first = await enrollDevice(one);
    const devices = [first, ...(await Promise.all(Array.from({ length: 199 }, () => enrollDevice(one, first.storeId))))];
    const replies = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => ask(i % 2 ? one : two, devices[i % devices.length]!, 'B-0001', i % 5 === 4 ? 'creditNote' : 'ticket')),
    );
    expect(replies.filter((r) => r.status !== 200)).toEqual([]);
    const ranges = await rangesOf(first.storeId);
    expectNoOverlap(ranges);
    const perDevice = new Map<string, number>();
    for (const r of ranges) perDevice.set(`${r.device_id}/${r.doc_type}`, (perDevice.get(`${r.device_id}/${r.doc_type}`) ?? 0) + 1);
    expect(Math.max(...perDevice.values())).toBe(2);
    expect(replies.filter((r) => r.body.granted).length).toBe(ranges.length);
    // Every grant is an event in the store's log, for the device to pull.
    const [logged] = await one.central.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM events WHERE store_id = $1 AND type = 'FiscalRangeGranted'`,
      [first.storeId],
    );
    expect(logged!.n).toBe(ranges.length);
    const pulled = await fedCall<{ events: WireEvent[] }>(one.url, devices[7]!, 'GET', '/pull?after=0&limit=5000');
    const mine = pulled.body.events.filter((e) => e.type === 'FiscalRangeGranted' && (e.payload as { deviceId: string }).deviceId === devices[7]!.deviceId);
    expect(mine.length).toBeGreaterThanOrEqual(2);
    expect(mine[0]!.payload).toMatchObject({ series: 'B-0001', grantedBy: 'central' });
  }, 180_000);

  it('never grants over the ranges a standalone store gave itself before it joined', async () => {
    const storeId = newId();
    const standalone = await enrollDevice(one, storeId, { codeStore: null, ownEvents: 3 });
    const selfRange = { rangeId: newId(), series: 'B-0001', docType: 'ticket', deviceId: standalone.deviceId, first: 1, last: 1000, grantedBy: 'self', expiresAt: null };
    const events = nextEvents(standalone, 1, 'FiscalRangeGranted', () => selfRange);
    expect((await fedCall(one.url, standalone, 'POST', '/push', { events })).body).toMatchObject({ inserted: 1 });
    const newcomer = await enrollDevice(one, storeId);
    const reply = await ask(two, newcomer);
    expect(reply.body).toMatchObject({ granted: true, range: { first: 1001, last: 1100 } });
    // A self-granted range over the central's is stored as it happened, and raised as an alert.
    const overlapping = { ...selfRange, rangeId: newId(), first: 1050, last: 1060 };
    await fedCall(one.url, standalone, 'POST', '/push', { events: nextEvents(standalone, 1, 'FiscalRangeGranted', () => overlapping) });
    const alerts = await one.central.db.query<{ reason: string }>('SELECT reason FROM central_alerts WHERE store_id = $1', [storeId]);
    expect(alerts.map((a) => a.reason)).toEqual([expect.stringMatching(/B-0001 ticket 1050-1060 overlaps range .* \(1001-1100, granted by central\)/)]);
  });

  it('reclaims an expired range after its grace, records the unused numbers as gaps, never reuses them', async () => {
    const device = await enrollDevice(one);
    const granted = await ask(brief, device, 'A-0001');
    expect(granted.body.granted).toBe(true);
    const { rangeId, first } = granted.body.range;
    const sale = nextEvents(device, 1, 'SaleCreated', () => ({ fiscal: { series: 'A-0001', docType: 'ticket', number: first + 2, rangeId } }));
    await fedCall(one.url, device, 'POST', '/push', { events: sale });
    await new Promise((resolve) => setTimeout(resolve, 20)); // past the 1 ms life and grace of this process's policy
    const next = await ask(brief, device, 'A-0001');
    expect(next.body.range.first).toBe(first + 10);
    const gaps = await one.central.db.query<{ first_number: number; last_number: number }>(
      'SELECT first_number, last_number FROM fiscal_gaps WHERE store_id = $1',
      [device.storeId],
    );
    expect(gaps).toEqual([{ first_number: first + 3, last_number: first + 9 }]);
    expect((await rangesOf(device.storeId)).map((r) => r.state)).toEqual(['reclaimed', 'open']);
  });

  it('grants nothing while the asking terminal holds more of a device than the central (restored from a backup)', async () => {
    const pusher = await enrollDevice(one);
    const asker = await enrollDevice(one, pusher.storeId);
    await fedCall(one.url, pusher, 'POST', '/push', { events: nextEvents(pusher, 3) });
    const askKnowing = (seq: number) =>
      fedCall<GrantResult>(one.url, asker, 'POST', '/fiscal/ranges', { series: 'R-0001', docType: 'ticket', known: [{ deviceId: pusher.deviceId, seq }] });
    const refused = await askKnowing(5);
    expect(refused.status).toBe(409);
    expect(JSON.stringify(refused.body)).toContain('reconciliation');
    expect(await rangesOf(pusher.storeId)).toEqual([]);
    // Once the central holds as much as the terminal knows of, it grants.
    await fedCall(one.url, pusher, 'POST', '/push', { events: nextEvents(pusher, 2) });
    const granted = await askKnowing(5);
    expect(granted.status).toBe(200);
    expect(granted.body.granted).toBe(true);
  });

  it('refuses a malformed request', async () => {
    const device = await enrollDevice(one);
    expect((await fedCall(one.url, device, 'POST', '/fiscal/ranges', { series: '', docType: 'ticket' })).status).toBe(400);
    expect((await fedCall(one.url, device, 'POST', '/fiscal/ranges', { series: 'B', docType: 'invoice' })).status).toBe(400);
  });
});
