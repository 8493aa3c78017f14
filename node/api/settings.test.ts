import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids.js';
import { startTestNode, type TestNode } from '../../test/support/node.js';

/** The settings through the API, as the back office and the counter use them. */
describe('settings.get and settings.update', () => {
  let t: TestNode;
  beforeAll(async () => {
    t = await startTestNode();
  }, 120_000);
  afterAll(async () => t?.stop());

  it('answers every key with its default on a new store', async () => {
    const res = await t.call('settings.get', {});
    expect(res.status).toBe(200);
    expect(res.body.result.values.mergeRepeatScans).toBe(true);
    expect(res.body.result.values.scaleNomenclature.length).toBeGreaterThan(0);
    expect(res.body.result.changed.storeName).toBeNull();
  });

  it('changes keys, records who and the previous value, and is idempotent by command id', async () => {
    const commandId = newId();
    const input = { changes: { storeName: '  Almacén La Esquina ', receiptFooter: ['Gracias', 'Vuelva pronto'], cashRounding: { mode: 'nearest', step: 10 } } };
    const first = await t.call('settings.update', input, { commandId });
    expect(first.status).toBe(200);
    expect(first.body.result.values.storeName).toBe('Almacén La Esquina');
    expect(first.body.result.values.cashRounding).toEqual({ mode: 'nearest', step: 10 });
    expect(first.body.result.changed.storeName).not.toBeNull();
    const again = await t.call('settings.update', input, { commandId });
    expect(again.body).toEqual(first.body);
    const read = await t.call('settings.get', {});
    expect(read.body.result.values.receiptFooter).toEqual(['Gracias', 'Vuelva pronto']);

    const events = await t.node.store.db.query<{ payload: { key: string; previous: unknown }; actor_id: string }>(
      `SELECT payload, actor_id FROM events WHERE type = 'SettingChanged' ORDER BY device_seq`,
    );
    expect(events.map((e) => e.payload.key).sort()).toEqual(['cashRounding', 'receiptFooter', 'storeName']);
    expect(events.find((e) => e.payload.key === 'storeName')?.payload.previous).toBe('Mi negocio');
    expect(events.every((e) => e.actor_id.length > 0)).toBe(true);
  });

  it('writes no event when nothing differs', async () => {
    const before = await t.node.store.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM events`);
    const res = await t.call('settings.update', { changes: { storeName: 'Almacén La Esquina' } });
    expect(res.status).toBe(200);
    const after = await t.node.store.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM events`);
    expect(after[0]!.n).toBe(before[0]!.n);
  });
});
