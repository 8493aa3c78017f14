import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PayloadOf } from '../../shared/events.js';
import { newId } from '../../shared/ids.js';
import { createTestDatabase } from '../../test/support/postgres.js';
import { enrollDevice, fedCall, nextEvents, startTestCentral, type TestDevice } from '../../test/support/central.js';
import { openCounter, openTill, product, type Counter } from '../sales/testing/counter.js';
import type { RunningCentral } from './app.js';
import type { PushResult } from './ingest.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let central: RunningCentral;
let counter: Counter;

beforeAll(async () => {
  database = await createTestDatabase('mostrador_central_anomalies');
  central = await startTestCentral({ databaseUrl: database.url });
  counter = await openCounter();
}, 120_000);

afterAll(async () => {
  await counter?.close();
  await central?.close();
  await database?.drop();
});

const push = async (device: TestDevice, events: ReturnType<typeof nextEvents>) => {
  const reply = await fedCall<PushResult>(central.url, device, 'POST', '/push', { events });
  expect(reply.status).toBe(200);
  return reply.body;
};

/** A real sale and refund made by a counter (valid payloads), to be pushed as two devices' events. */
async function saleAndRefund() {
  const till = await openTill(counter);
  const productId = await product(counter, { name: 'Aceite 1 l', price: 300000, taxRateBp: 2100 });
  const sale = await counter.run('sales.complete', { tillSessionId: till, lines: [{ productId, quantity: 2000 }], tenders: [{ kind: 'cash', received: 600000 }] });
  const view = await counter.ask('sales.find', { code: sale.saleId });
  await counter.run('sales.refund', { saleId: sale.saleId, tillSessionId: till, lines: [{ lineId: view.lines[0].lineId, quantity: 2000 }], refundTo: 'cash', reason: 'roto' });
  const payloadOf = async <T>(type: string) =>
    (await counter.store.db.query<{ payload: T }>('SELECT payload FROM events WHERE type = $1 AND payload->>\'saleId\' = $2', [type, sale.saleId]))[0]!.payload;
  return { created: await payloadOf<PayloadOf<'SaleCreated'>>('SaleCreated'), refunded: await payloadOf<PayloadOf<'SaleRefunded'>>('SaleRefunded'), productId };
}

const alertsOf = (storeId: string) =>
  central.central.db.query<{ kind: string; device_id: string; event_id: string; reason: string; alert_key: string | null }>(
    'SELECT kind, device_id::text AS device_id, event_id, reason, alert_key FROM central_alerts WHERE store_id = $1 ORDER BY raised_at',
    [storeId],
  );

describe('over-refunds at the central', () => {
  it('alerts once per over-refunded line, names the sale, the line, the quantities, the money and both devices', async () => {
    const a = await enrollDevice(central);
    const b = await enrollDevice(central, a.storeId);
    const { created, refunded, productId } = await saleAndRefund();
    const sold = nextEvents(a, 1, 'SaleCreated', () => created);
    const refundA = nextEvents(a, 1, 'SaleRefunded', () => refunded);
    // B's refund of the same line, made offline against a view where nothing was refunded yet.
    const otherRefund = { ...refunded, refundId: newId(), creditNote: null, lines: refunded.lines.map((l) => ({ ...l, quantity: 1000, amount: 300000 })), total: 300000 };
    const refundB = nextEvents(b, 1, 'SaleRefunded', () => otherRefund);

    expect(await push(a, sold)).toMatchObject({ inserted: 1, refused: null });
    expect(await push(b, refundB)).toMatchObject({ inserted: 1, refused: null });
    expect(await alertsOf(a.storeId)).toEqual([]);
    expect(await push(a, refundA)).toMatchObject({ inserted: 1, refused: null });

    const alerts = await alertsOf(a.storeId);
    expect(alerts).toHaveLength(1);
    const [alert] = alerts;
    expect(alert).toMatchObject({ kind: 'overRefund', alert_key: `overRefund:${created.saleId}:${created.lines[0]!.lineId}` });
    // The refund that went past in clock order (B's, sealed last), whatever the order they reached the central in.
    expect([alert!.device_id, alert!.event_id]).toEqual([b.deviceId, refundB[0]!.event_id]);
    const fiscal = `${created.fiscal!.series} ${created.fiscal!.number}`;
    expect(alert!.reason).toContain(`over-refund on ${fiscal}`);
    expect(alert!.reason).toContain(`"Aceite 1 l" (product ${productId})`);
    expect(alert!.reason).toContain('sold 2 for 600000, refunded 3 for 900000 (1 and 300000 too many)');
    for (const id of [a.deviceId, b.deviceId, refunded.refundId, otherRefund.refundId]) expect(alert!.reason).toContain(id);

    // Duplicates and a resend of everything add nothing.
    expect(await push(a, [...sold, ...refundA])).toMatchObject({ inserted: 0, duplicates: 2 });
    expect(await push(b, refundB)).toMatchObject({ inserted: 0, duplicates: 1 });
    expect(await alertsOf(a.storeId)).toEqual(alerts);

    // A third refund of the line: still one alert for it, its reason now naming the three.
    const third = { ...otherRefund, refundId: newId() };
    await push(b, nextEvents(b, 1, 'SaleRefunded', () => third));
    const now = await alertsOf(a.storeId);
    expect(now).toHaveLength(1);
    expect(now[0]!.reason).toContain(third.refundId);
    expect(now[0]!.reason).toContain('refunded 4 for 1200000');

    // The operator's list shows it.
    const listed = await fetch(`${central.url}/admin/v1/alerts?storeId=${a.storeId}`, { headers: { authorization: `Bearer ${central.auth.secret}` } });
    expect(listed.status).toBe(200);
    const body = (await listed.json()) as { alerts: { kind: string; reason: string; deviceId: string }[] };
    expect(body.alerts).toEqual([expect.objectContaining({ kind: 'overRefund', deviceId: b.deviceId, reason: now[0]!.reason })]);
  });
});
