import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids.js';
import { databaseDigest } from '../../test/support/digest.js';
import { startTestNode, type TestNode } from '../../test/support/node.js';

const line = (over: Record<string, unknown> = {}) => ({
  lineId: newId(),
  productId: newId(),
  name: 'Yerba Mate 1kg',
  barcode: '7790001000011',
  quantity: 2000,
  unit: 'unit',
  unitPrice: 450000,
  listPrice: 450000,
  discount: 0,
  taxRateBp: 2100,
  approvalId: null,
  ...over,
});

const ticket = (ticketId: string, revision: number, lines: unknown[], over: Record<string, unknown> = {}) => ({
  ticketId,
  revision,
  status: 'open',
  label: '',
  lines,
  ticketDiscount: 0,
  ticketDiscountApprovalId: null,
  ...over,
});

describe('the open ticket, kept by the node', { timeout: 60_000 }, () => {
  let t: TestNode;
  beforeAll(async () => {
    t = await startTestNode();
  });
  afterAll(() => t?.stop());

  const list = async () => {
    const res = await t.call('tickets.list', {});
    expect(res.status).toBe(200);
    return res.body.result.tickets as { ticketId: string; revision: number; lines: unknown[]; status: string }[];
  };

  it('keeps the newest revision and ignores a late, older save', async () => {
    const id = newId();
    expect((await t.call('tickets.save', ticket(id, 2, [line(), line()]))).body.result).toEqual({ ticketId: id, revision: 2 });
    // The save of revision 1 arrives after revision 2 (two requests in flight): it changes nothing.
    expect((await t.call('tickets.save', ticket(id, 1, [line()]))).body.result).toEqual({ ticketId: id, revision: 2 });
    // The same revision again (a retry) is the same answer and the same row.
    expect((await t.call('tickets.save', ticket(id, 2, [line()]))).body.result).toEqual({ ticketId: id, revision: 2 });
    const kept = (await list()).find((k) => k.ticketId === id);
    expect(kept?.lines).toHaveLength(2);
  });

  it('writes no event for a save: the open ticket is working state, not history', async () => {
    const count = async () => Number((await t.node.store.db.query<{ n: string }>('SELECT count(*) AS n FROM events'))[0]!.n);
    const before = await count();
    const id = newId();
    for (let r = 1; r <= 5; r++) await t.call('tickets.save', ticket(id, r, [line({ quantity: r * 1000 })]));
    expect(await count()).toBe(before);
  });

  it('keeps several tickets, parked and open, and closes one so that a late save cannot bring it back', async () => {
    const parked = newId();
    const open = newId();
    await t.call('tickets.save', ticket(parked, 1, [line()], { status: 'parked', label: 'Señora del perro' }));
    await t.call('tickets.save', ticket(open, 1, [line()]));
    const both = await list();
    expect(both.find((k) => k.ticketId === parked)?.status).toBe('parked');
    expect((await t.call('tickets.close', { ticketId: open })).body.result).toEqual({ ticketId: open, closed: true });
    expect((await t.call('tickets.close', { ticketId: open })).body.result).toEqual({ ticketId: open, closed: false });
    await t.call('tickets.save', ticket(open, 2, [line()]));
    const after = await list();
    expect(after.map((k) => k.ticketId)).not.toContain(open);
    expect(after.map((k) => k.ticketId)).toContain(parked);
  });

  it('records a removed line and an abandoned ticket in the journal, and forgets the abandoned ticket', async () => {
    const id = newId();
    const kept = line({ quantity: 1500, unit: 'kg', unitPrice: 200000, taxRateBp: 1050 });
    await t.call('tickets.save', ticket(id, 1, [kept, line()]));
    const removed = await t.call('tickets.removeLine', { ticketId: id, productId: newId(), name: 'Yerba Mate 1kg', quantity: 2000, amount: 900000 }, { commandId: newId() });
    expect(removed.status).toBe(200);
    await t.call('tickets.save', ticket(id, 2, [kept]));
    const abandoned = await t.call('tickets.abandon', { ticketId: id, reason: 'El cliente se fue' }, { commandId: newId() });
    expect(abandoned.status).toBe(200);
    expect(abandoned.body.result).toEqual({ ticketId: id, lines: 1, amount: 300000 });
    expect((await list()).map((k) => k.ticketId)).not.toContain(id);
    const events = await t.node.store.db.query<{ type: string; payload: { ticketId: string } }>(
      "SELECT type, payload FROM events WHERE type IN ('TicketLineRemoved', 'TicketAbandoned') ORDER BY device_seq",
    );
    expect(events.filter((e) => e.payload.ticketId === id).map((e) => e.type)).toEqual(['TicketLineRemoved', 'TicketAbandoned']);
    // Abandoning it again: it is not open any more, and nothing changes.
    const digest = await databaseDigest(t.node.store.db);
    const again = await t.call('tickets.abandon', { ticketId: id, reason: 'otra vez' }, { commandId: newId() });
    expect(again.status).toBe(404);
    expect(again.body.error.message).toMatch(/no longer open/);
    expect(await databaseDigest(t.node.store.db)).toEqual(digest);
  });

  it('forgets the ticket in the transaction of the sale that names it', async () => {
    const product = await t.call('products.create', { name: 'Pan', price: 150000, barcodes: [] });
    expect(product.status).toBe(200);
    const till = await t.call('cash.open', { float: [] }, { commandId: newId() });
    expect(till.status, JSON.stringify(till.body)).toBe(200);
    const id = newId();
    await t.call('tickets.save', ticket(id, 1, [line({ productId: product.body.result.id, unitPrice: 150000, listPrice: 150000 })]));
    const sale = await t.call(
      'sales.complete',
      { tillSessionId: till.body.result.id, ticketId: id, lines: [{ productId: product.body.result.id, quantity: 1000 }], tenders: [{ kind: 'cash', received: 200000 }] },
      { commandId: newId() },
    );
    expect(sale.status, JSON.stringify(sale.body)).toBe(200);
    expect((await list()).map((k) => k.ticketId)).not.toContain(id);
    // A save of it still on its way changes nothing.
    await t.call('tickets.save', ticket(id, 2, [line()]));
    expect((await list()).map((k) => k.ticketId)).not.toContain(id);
  });

  it('survives a restart of the node (a reload, a quit or a crash finds the ticket)', async () => {
    const id = newId();
    await t.call('tickets.save', ticket(id, 7, [line(), line(), line()]));
    const dir = t.dataDir;
    await t.node.close();
    t = await startTestNode(dir);
    const kept = (await list()).find((k) => k.ticketId === id);
    expect(kept?.revision).toBe(7);
    expect(kept?.lines).toHaveLength(3);
  });
});
