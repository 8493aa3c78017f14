import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids.js';
import { databaseDigest } from '../../test/support/digest.js';
import { startTestNode, type TestNode } from '../../test/support/node.js';

/**
 * The till refuses every bad input with a 4xx and a message a person can act on, and changes nothing: the digest of
 * every table is the same before and after. (The contract-wide suite covers the envelope; these are the values and
 * the states: a second open, a closed till.)
 */
type Case = [label: string, method: string, input: unknown, status: number];

const HUGE = 'x'.repeat(200_000);
const NOT_A_NOTE = 333; // no currency has a note or coin of 3,33

const whileOpen: Case[] = [
  ['open: a second session on this terminal', 'cash.open', { float: [] }, 409],
  ['open: a negative count', 'cash.open', { float: [{ denomination: 100, count: -1 }] }, 400],
  ['open: a fractional count', 'cash.open', { float: [{ denomination: 100, count: 1.5 }] }, 400],
  ['open: a count as text', 'cash.open', { float: [{ denomination: 100, count: '3' }] }, 400],
  ['open: a count of NaN', 'cash.open', { float: [{ denomination: 100, count: 'NaN' }] }, 400],
  ['open: an absurd count', 'cash.open', { float: [{ denomination: 100, count: 1e9 }] }, 400],
  ['open: a zero denomination', 'cash.open', { float: [{ denomination: 0, count: 1 }] }, 400],
  ['open: a negative denomination', 'cash.open', { float: [{ denomination: -100, count: 1 }] }, 400],
  ['open: a denomination twice', 'cash.open', { float: [{ denomination: 100, count: 1 }, { denomination: 100, count: 2 }] }, 400],
  ['open: a float not a list', 'cash.open', { float: 1000 }, 400],
  ['open: no float', 'cash.open', {}, 400],
  ['open: an unknown field', 'cash.open', { float: [], cashier: 'x' }, 400],
  ['open: a row with an unknown field', 'cash.open', { float: [{ denomination: 100, count: 1, note: true }] }, 400],
  ['open: too many rows', 'cash.open', { float: Array.from({ length: 41 }, (_, i) => ({ denomination: i + 1, count: 1 })) }, 400],
  ['move: a negative amount', 'cash.move', { kind: 'in', amount: -500, reason: 'cambio' }, 400],
  ['move: a zero amount', 'cash.move', { kind: 'out', amount: 0, reason: 'nada' }, 400],
  ['move: a fractional amount', 'cash.move', { kind: 'in', amount: 10.5, reason: 'cambio' }, 400],
  ['move: an amount as text', 'cash.move', { kind: 'in', amount: '100', reason: 'cambio' }, 400],
  ['move: an amount past the money bound', 'cash.move', { kind: 'in', amount: 1e16, reason: 'cambio' }, 400],
  ['move: no reason', 'cash.move', { kind: 'in', amount: 100 }, 400],
  ['move: a blank reason', 'cash.move', { kind: 'in', amount: 100, reason: '   ' }, 400],
  ['move: a huge reason', 'cash.move', { kind: 'out', amount: 100, reason: HUGE }, 400],
  ['move: a reason of 201 characters', 'cash.move', { kind: 'out', amount: 100, reason: 'x'.repeat(201) }, 400],
  ['move: a reason with NUL', 'cash.move', { kind: 'out', amount: 100, reason: 'pago\u0000' }, 400],
  ['move: a reason with a bidi override', 'cash.move', { kind: 'out', amount: 100, reason: 'pago \u202E0001' }, 400],
  ['move: an unknown kind', 'cash.move', { kind: 'borrow', amount: 100, reason: 'x' }, 400],
  ['move: a no-sale with an amount', 'cash.move', { kind: 'noSale', amount: 100, reason: 'x' }, 400],
  ['move: an approval that is not an id', 'cash.move', { kind: 'noSale', reason: 'x', approvalId: 'supervisor' }, 400],
  ['close: a negative count', 'cash.close', { cashCount: [{ denomination: 100, count: -2 }] }, 400],
  ['close: a denomination the store does not have', 'cash.close', { cashCount: [{ denomination: NOT_A_NOTE, count: 1 }] }, 400],
  ['close: other counts for cash', 'cash.close', { cashCount: [], otherCounts: [{ kind: 'cash', amount: 1 }] }, 400],
  ['close: a tender counted twice', 'cash.close', { cashCount: [], otherCounts: [{ kind: 'card', amount: 1 }, { kind: 'card', amount: 2 }] }, 400],
  ['close: a negative card total', 'cash.close', { cashCount: [], otherCounts: [{ kind: 'card', amount: -1 }] }, 400],
  ['close: the expected figure sent along', 'cash.close', { cashCount: [], expected: 1000 }, 400],
  ['close: no count', 'cash.close', {}, 400],
  ['x: a session id that is not an id', 'cash.x', { tillSessionId: 'today' }, 400],
  ['x: an unknown session', 'cash.x', { tillSessionId: '01a22800-0000-7000-8000-000000000999' }, 404],
  ['z: of the open session', 'cash.z', { tillSessionId: 'SESSION' }, 409],
  ['z: number 0', 'cash.z', { zNumber: 0 }, 400],
  ['z: a negative number', 'cash.z', { zNumber: -1 }, 400],
  ['z: a number as text', 'cash.z', { zNumber: '1' }, 400],
  ['z: a number not yet given', 'cash.z', { zNumber: 99 }, 404],
  ['z: both a number and a session', 'cash.z', { zNumber: 1, tillSessionId: '01a22800-0000-7000-8000-000000000999' }, 400],
  ['zList: a limit of 0', 'cash.zList', { limit: 0 }, 400],
  ['zList: a limit of a million', 'cash.zList', { limit: 1_000_000 }, 400],
  ['zList: a page that is not a time', 'cash.zList', { before: 'yesterday' }, 400],
  ['zList: a page in year 0', 'cash.zList', { before: '0000-01-01T00:00:00Z' }, 400],
];

const afterClose: Case[] = [
  ['move: on a closed till', 'cash.move', { kind: 'in', amount: 100, reason: 'tarde' }, 409],
  ['move: a no-sale on a closed till', 'cash.move', { kind: 'noSale', reason: 'tarde' }, 409],
  ['close: a closed till again', 'cash.close', { cashCount: [] }, 409],
  ['x: with no open session', 'cash.x', {}, 409],
];

describe('the till refuses bad inputs and changes nothing', () => {
  let t: TestNode;
  let sessionId: string;
  beforeAll(async () => {
    t = await startTestNode();
    const opened = await t.call('cash.open', { float: [{ denomination: 100, count: 10 }] }, { commandId: newId() });
    expect(opened.status).toBe(200);
    sessionId = opened.body.result.id;
    expect((await t.call('cash.move', { kind: 'in', amount: 100, reason: 'cambio' }, { commandId: newId() })).status).toBe(200);
  }, 120_000);
  afterAll(async () => t?.stop());

  const refused = async ([, method, raw, status]: Case) => {
    const input = JSON.parse(JSON.stringify(raw).replace('"SESSION"', JSON.stringify(sessionId)));
    const before = await databaseDigest(t.node.store.db);
    const res = await t.call(method, input, { commandId: newId(), headers: { 'accept-language': 'es' } });
    expect(res.status).toBe(status);
    expect(typeof res.body.error.message).toBe('string');
    expect(res.body.error.message).not.toMatch(/zod|undefined|\[object|NaN/i);
    expect(await databaseDigest(t.node.store.db)).toEqual(before);
  };

  describe('while the till is open', () => {
    it.each(whileOpen)('%s', async (...c) => refused(c));
  });

  describe('once it is closed', () => {
    beforeAll(async () => {
      const closed = await t.call('cash.close', { cashCount: [{ denomination: 100, count: 11 }] }, { commandId: newId() });
      expect(closed.status).toBe(200);
      expect(closed.body.result.totals.overShort).toBe(0);
    }, 60_000);
    it.each(afterClose)('%s', async (...c) => refused(c));
  });
});
