import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids.js';
import { databaseDigest } from '../../test/support/digest.js';
import { startTestNode, type TestNode } from '../../test/support/node.js';

const goodLine = () => ({
  lineId: newId(),
  productId: newId(),
  name: 'Azúcar',
  barcode: null,
  quantity: 1000,
  unit: 'unit',
  unitPrice: 1000,
  listPrice: 1000,
  discount: 0,
  taxRateBp: 0,
  approvalId: null,
});
const goodTicket = (over: Record<string, unknown> = {}) => ({
  ticketId: newId(),
  revision: 1,
  status: 'open',
  label: '',
  lines: [goodLine()],
  ticketDiscount: 0,
  ticketDiscountApprovalId: null,
  ...over,
});
const withLine = (over: Record<string, unknown>) => goodTicket({ lines: [{ ...goodLine(), ...over }] });

/** The tickets' methods refuse what a cashier's screen (or a hostile caller) could send wrong, changing nothing. */
const cases: [string, string, unknown][] = [
  ['tickets.save', 'negative quantity', withLine({ quantity: -1000 })],
  ['tickets.save', 'zero quantity', withLine({ quantity: 0 })],
  ['tickets.save', 'NaN-like quantity', withLine({ quantity: 'NaN' })],
  ['tickets.save', 'fractional quantity', withLine({ quantity: 1.5 })],
  ['tickets.save', 'huge quantity', withLine({ quantity: 1e15 })],
  ['tickets.save', 'negative price', withLine({ unitPrice: -1 })],
  ['tickets.save', 'unknown unit', withLine({ unit: 'litre' })],
  ['tickets.save', 'huge name', withLine({ name: 'x'.repeat(10_000) })],
  ['tickets.save', 'control characters in name', withLine({ name: 'a\u0000b' })],
  ['tickets.save', 'bad barcode', withLine({ barcode: 'ab cd' })],
  ['tickets.save', 'tax rate over 100%', withLine({ taxRateBp: 20_000 })],
  ['tickets.save', 'extra field', withLine({ admin: true })],
  ['tickets.save', 'too many lines', goodTicket({ lines: Array.from({ length: 301 }, goodLine) })],
  ['tickets.save', 'revision zero', goodTicket({ revision: 0 })],
  ['tickets.save', 'unknown status', goodTicket({ status: 'closed' })],
  ['tickets.save', 'not a ticket id', goodTicket({ ticketId: 'abc' })],
  ['tickets.save', 'negative ticket discount', goodTicket({ ticketDiscount: -5 })],
  ['tickets.save', 'label too long', goodTicket({ label: 'x'.repeat(41) })],
  ['tickets.close', 'not an id', { ticketId: 'x' }],
  ['tickets.list', 'extra field', { storeId: newId() }],
  ['tickets.removeLine', 'negative amount', { ticketId: newId(), productId: newId(), name: 'a', quantity: 1, amount: -1 }],
  ['tickets.removeLine', 'empty name', { ticketId: newId(), productId: newId(), name: '  ', quantity: 1, amount: 1 }],
  ['tickets.abandon', 'no reason', { ticketId: newId() }],
  ['tickets.abandon', 'a ticket that is not open', { ticketId: newId(), reason: 'se fue' }],
];

describe('bad input to the tickets methods', { timeout: 120_000 }, () => {
  let t: TestNode;
  beforeAll(async () => {
    t = await startTestNode();
    expect((await t.call('tickets.save', goodTicket())).status).toBe(200);
  });
  afterAll(() => t?.stop());

  it.each(cases)('%s refuses %s with a 4xx and an actionable message, changing nothing', async (method, _label, input) => {
    const before = await databaseDigest(t.node.store.db);
    const res = await t.call(method, input, { commandId: method.startsWith('tickets.re') || method === 'tickets.abandon' ? newId() : undefined });
    expect(res.status, JSON.stringify(res.body)).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(typeof res.body.error.message).toBe('string');
    expect(res.body.error.message.length).toBeGreaterThan(5);
    expect(await databaseDigest(t.node.store.db)).toEqual(before);
  });

  it('a good save does change the table (so "unchanged" above means something)', async () => {
    const before = await databaseDigest(t.node.store.db);
    expect((await t.call('tickets.save', goodTicket())).status).toBe(200);
    expect((await databaseDigest(t.node.store.db)).open_ticket).not.toEqual(before.open_ticket);
  });
});
