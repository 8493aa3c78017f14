import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, type CommandName } from '../../shared/contract/index.js';
import { newId } from '../../shared/ids.js';
import { startTestNode, type TestNode } from '../../test/support/node.js';
import type { CommandCall } from '../handlers.js';
import { cashHandlers } from '../cash/cash.handlers.js';

/** The till through the API: open, moves, X, close with a blind count, the Z; one open session per terminal. */
describe('the till', () => {
  let t: TestNode;
  let denominations: number[];
  const cmd = (method: string, input: unknown, commandId = newId()) => t.call(method, input, { commandId });

  beforeAll(async () => {
    t = await startTestNode();
    const res = await t.call('cash.settings', {});
    expect(res.status).toBe(200);
    denominations = res.body.result.denominations;
  }, 120_000);
  afterAll(async () => t?.stop());

  /** A command as a cashier would send it (the API's caller here is the owner). */
  const asCashier = <K extends CommandName>(method: K, input: unknown) => {
    const call: CommandCall = {
      principal: { actorId: 'cashier-ana', staffRole: 'cashier', via: 'session' },
      store: t.node.own,
      requestId: newId(),
      signal: new AbortController().signal,
      commandId: newId(),
    };
    const parsed = contract[method].input.parse(input);
    return t.node.commands.run(method, (cashHandlers as any)[method], parsed as never, call);
  };

  it('has no open session and no X before opening', async () => {
    expect((await t.call('cash.current', {})).body.result).toEqual({ session: null });
    const x = await t.call('cash.x', {});
    expect(x.status).toBe(409);
    expect(x.body.error.code).toBe('Conflict');
    const move = await cmd('cash.move', { kind: 'in', amount: 100, reason: 'cambio' });
    expect(move.status).toBe(409);
  });

  it('opens with a float counted by denomination, once per terminal, idempotent by command id', async () => {
    const [big, small] = [denominations[0]!, denominations.at(-1)!];
    const input = { float: [{ denomination: big, count: 2 }, { denomination: small, count: 5 }, { denomination: denominations[1]!, count: 0 }] };
    const commandId = newId();
    const res = await cmd('cash.open', input, commandId);
    expect(res.status).toBe(200);
    const session = res.body.result;
    expect(session).toMatchObject({ status: 'open', floatTotal: 2 * big + 5 * small, zNumber: null, closedAt: null });
    expect(session.float).toEqual([{ denomination: big, count: 2 }, { denomination: small, count: 5 }]);
    expect((await cmd('cash.open', input, commandId)).body).toEqual(res.body);
    const second = await cmd('cash.open', input);
    expect(second.status).toBe(409);
    expect(second.body.error.message).toMatch(/already open/);
    expect((await t.call('cash.current', {})).body.result.session).toEqual(session);
  });

  it('records cash in and out and a no-sale, and the X shows what the drawer should hold', async () => {
    expect((await cmd('cash.move', { kind: 'in', amount: 5000, reason: 'Cambio del banco' })).status).toBe(200);
    const out = await cmd('cash.move', { kind: 'out', amount: 1200, reason: 'Pago a proveedor' });
    expect(out.status).toBe(200);
    expect(out.body.result).toMatchObject({ kind: 'out', amount: 1200, reason: 'Pago a proveedor', approvedBy: null });
    expect((await cmd('cash.move', { kind: 'noSale', reason: 'Cliente pidió cambio' })).status).toBe(200);
    const x = (await t.call('cash.x', {})).body.result;
    const float = (await t.call('cash.current', {})).body.result.session.floatTotal;
    expect(x.kind).toBe('X');
    expect(x.tenders[0]).toMatchObject({ kind: 'cash', float, cashIn: 5000, cashOut: 1200, expected: float + 3800, counted: null, overShort: null });
    expect(x.counts).toMatchObject({ cashIn: 1, cashOut: 1, noSale: 1, sales: 0 });
    expect(x.movements.map((m: { kind: string }) => m.kind)).toEqual(['in', 'out', 'noSale']);
    expect(x.totals.counted).toBeNull();
  });

  it("refuses a cashier's no-sale without a supervisor's approval", async () => {
    await expect(asCashier('cash.move', { kind: 'noSale', reason: 'abrir cajón' })).rejects.toMatchObject({ code: 'Forbidden' });
    // a cashier's cash in needs none
    const coin = denominations.at(-1)!;
    await expect(asCashier('cash.move', { kind: 'in', amount: coin, reason: 'moneda' })).resolves.toMatchObject({ kind: 'in', amount: coin, by: 'cashier-ana' });
  });

  it("refuses a cashier's close past the over/short threshold without approval, and changes nothing", async () => {
    const before = (await t.call('cash.x', {})).body.result;
    await expect(asCashier('cash.close', { cashCount: [] })).rejects.toMatchObject({ code: 'Forbidden' });
    expect((await t.call('cash.current', {})).body.result.session.status).toBe('open');
    expect((await t.call('cash.x', {})).body.result.tenders).toEqual(before.tenders);
  });

  let z: any;
  it('closes with a blind count into Z 1: expected vs counted, over/short', async () => {
    const x = (await t.call('cash.x', {})).body.result;
    const expected = x.tenders[0].expected;
    // count the expected cash with the largest notes and coins, then one smallest coin too many
    let left = expected;
    const count = denominations.map((d) => {
      const n = Math.floor(left / d);
      left -= n * d;
      return { denomination: d, count: n };
    });
    expect(left).toBe(0);
    const small = denominations.at(-1)!;
    count[count.length - 1]!.count += 1;
    const res = await cmd('cash.close', { cashCount: count });
    expect(res.status).toBe(200);
    z = res.body.result;
    expect(z.kind).toBe('Z');
    expect(z.session).toMatchObject({ status: 'closed', zNumber: 1 });
    expect(z.tenders[0]).toMatchObject({ kind: 'cash', expected, counted: expected + small, overShort: small });
    expect(z.totals).toMatchObject({ expected, counted: expected + small, overShort: small });
    expect(z.cashCount.every((c: { count: number }) => c.count > 0)).toBe(true);
  });

  it('keeps the Z as it was, refuses moves and a second close, and allows a new session with Z 2', async () => {
    expect((await t.call('cash.current', {})).body.result).toEqual({ session: null });
    expect((await cmd('cash.move', { kind: 'in', amount: 10, reason: 'tarde' })).status).toBe(409);
    expect((await cmd('cash.close', { cashCount: [] })).status).toBe(409);
    expect((await t.call('cash.z', { zNumber: 1 })).body.result).toEqual(z);
    expect((await t.call('cash.z', { tillSessionId: z.session.id })).body.result).toEqual(z);
    expect((await t.call('cash.x', { tillSessionId: z.session.id })).body.result).toEqual(z);
    expect((await t.call('cash.z', { zNumber: 2 })).status).toBe(404);

    const opened = await cmd('cash.open', { float: [] });
    expect(opened.status).toBe(200);
    expect((await t.call('cash.z', { tillSessionId: opened.body.result.id })).status).toBe(409);
    const closed = await cmd('cash.close', { cashCount: [] });
    expect(closed.status).toBe(200);
    expect(closed.body.result.session.zNumber).toBe(2);
    expect(closed.body.result.totals.overShort).toBe(0);

    const list = (await t.call('cash.zList', {})).body.result;
    expect(list.items.map((i: { zNumber: number }) => i.zNumber)).toEqual([2, 1]);
    expect(list.items[1]).toMatchObject({ overShort: z.totals.overShort, counted: z.totals.counted });
    const paged = (await t.call('cash.zList', { limit: 1 })).body.result;
    expect(paged.items).toHaveLength(1);
    const next = (await t.call('cash.zList', { limit: 1, before: paged.next })).body.result;
    expect(next.items.map((i: { zNumber: number }) => i.zNumber)).toEqual([1]);
  });

  it('rebuilds the same read models from the journal (no drift)', async () => {
    const { allProjections, route } = await import('../domains.js');
    const { verifyReadModels } = await import('../journal/verify.js');
    const mine = allProjections.filter((p) => p.name === 'cashSessions' || p.name === 'cashEntries');
    expect(mine).toHaveLength(2);
    expect(await verifyReadModels(t.node.store.db, t.node.own.storeId, mine, route)).toEqual([]);
  });
});
