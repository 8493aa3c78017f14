import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closeFigures, countTotal, decideClose, decideMove, decideOpen } from './cash.decide.js';
import { applyCashEntryEvent, entryKeyOf, type CashEntryEvent, type CashEntryRow } from './entries.model.js';
import { cashReport } from './report.js';
import { applyCashSessionEvent, type CashSessionEvent, type CashSessionRow } from './sessions.model.js';

/**
 * Property (issue 13): a Z's totals equal its sales, refunds, voids and cash movements, tender by tender, whatever
 * happened in the session and in whichever order a sale and its void arrive.
 */

const SESSION = '01a22800-0000-7000-8000-000000000001';
const DEVICE = '01a22800-0000-7000-8000-0000000000de';
const DENOMS = [10_000, 5_000, 1_000, 500, 100, 50, 10];
const uuid = (n: number) => `01a22800-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;
const env = (n: number) => ({ actor_id: 'cajera', created_at: new Date(Date.UTC(2026, 10, 29, 9, 0, n)).toISOString(), device_id: DEVICE, hlc: String(n).padStart(8, '0') });

type Kind = 'cash' | 'card' | 'transfer';
const kindArb = fc.constantFrom<Kind>('cash', 'card', 'transfer');
const amountArb = fc.integer({ min: 0, max: 500_000 });
const rateArb = fc.constantFrom(0, 1_050, 2_100);

const opArb = fc.oneof(
  fc.record({ op: fc.constant('sale' as const), tenders: fc.array(fc.record({ kind: kindArb, amount: amountArb }), { minLength: 1, maxLength: 3 }), rate: rateArb }),
  fc.record({ op: fc.constant('void' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('refund' as const), pick: fc.nat(), tenders: fc.array(fc.record({ kind: kindArb, amount: amountArb }), { minLength: 1, maxLength: 2 }), rate: rateArb }),
  fc.record({ op: fc.constantFrom('in' as const, 'out' as const), amount: fc.integer({ min: 1, max: 100_000 }) }),
  fc.record({ op: fc.constant('noSale' as const) }),
);

type Op = typeof opArb extends fc.Arbitrary<infer T> ? T : never;

const floatArb = fc.array(fc.record({ denomination: fc.constantFrom(...DENOMS), count: fc.integer({ min: 0, max: 50 }) }), { maxLength: 7 }).map((rows) => {
  const seen = new Set<number>();
  return rows.filter((r) => !seen.has(r.denomination) && seen.add(r.denomination));
});

const taxOf = (total: number, rateBp: number) => {
  const base = Math.round((total * 10_000) / (10_000 + rateBp));
  return [{ rateBp, base, tax: total - base }];
};

/** The session's events, from a list of operations (voids and refunds pick an earlier sale). */
function eventsOf(ops: Op[]): CashEntryEvent[] {
  const events: CashEntryEvent[] = [];
  const sales: string[] = [];
  const voided = new Set<string>();
  let n = 10;
  for (const o of ops) {
    n++;
    if (o.op === 'sale') {
      const saleId = uuid(n);
      sales.push(saleId);
      const total = o.tenders.reduce((a, t) => a + t.amount, 0);
      events.push({
        ...env(n),
        type: 'SaleCreated',
        payload: {
          saleId, tillSessionId: SESSION, ticketId: null, fiscal: null, currency: 'ARS', lines: [], ticketDiscount: 0, total, rounding: 0,
          taxes: taxOf(total, o.rate),
          tenders: o.tenders.map((t, i) => ({ tenderId: uuid(n * 10 + i), kind: t.kind, amount: t.amount, received: t.amount, reference: null })),
          change: 0, cashierId: 'cajera', approvals: [],
        },
      } as CashEntryEvent);
    } else if (o.op === 'void') {
      const standing = sales.filter((s) => !voided.has(s));
      if (standing.length === 0) continue;
      const saleId = standing[o.pick % standing.length]!;
      voided.add(saleId);
      events.push({ ...env(n), type: 'SaleVoided', payload: { saleId, tillSessionId: SESSION, reason: 'error', creditNote: null, approval: null } });
    } else if (o.op === 'refund') {
      if (sales.length === 0) continue;
      const total = o.tenders.reduce((a, t) => a + t.amount, 0);
      events.push({
        ...env(n),
        type: 'SaleRefunded',
        payload: {
          refundId: uuid(n), saleId: sales[o.pick % sales.length]!, tillSessionId: SESSION, lines: [], total, taxes: taxOf(total, o.rate),
          tenders: o.tenders.map((t) => ({ kind: t.kind, amount: t.amount, reference: null })), creditNote: null, reason: 'devuelto', approval: null,
        },
      } as unknown as CashEntryEvent);
    } else {
      const [draft] = decideMove({ id: SESSION } as CashSessionRow, o.op === 'noSale' ? { entryId: uuid(n), kind: 'noSale', reason: 'cambio' } : { entryId: uuid(n), kind: o.op, amount: o.amount, reason: 'caja' }, null);
      events.push({ ...env(n), ...(draft as { type: 'CashLedgerEntryCreated'; payload: CashEntryEvent['payload'] }) } as CashEntryEvent);
    }
  }
  return events;
}

function fold(events: readonly CashEntryEvent[]): CashEntryRow[] {
  const rows = new Map<string, CashEntryRow>();
  for (const e of events) {
    const key = entryKeyOf(e);
    rows.set(key, applyCashEntryEvent(rows.get(key), e, key));
  }
  return [...rows.values()].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : 1));
}

function openSession(float: { denomination: number; count: number }[]): CashSessionRow {
  const [draft] = decideOpen(undefined, { tillSessionId: SESSION, deviceId: DEVICE, cashierId: 'cajera', float, denominations: DENOMS, currency: 'ARS' });
  return applyCashSessionEvent(undefined, { ...env(1), ...draft } as CashSessionEvent, SESSION);
}

/** What each tender should show, summed straight from the events (independently of the read models). */
function expectedFromEvents(events: readonly CashEntryEvent[], floatTotal: number) {
  const voided = new Set(events.filter((e) => e.type === 'SaleVoided').map((e) => (e.payload as { saleId: string }).saleId));
  const out: Record<Kind, { sales: number; voids: number; refunds: number; cashIn: number; cashOut: number }> = {
    cash: { sales: 0, voids: 0, refunds: 0, cashIn: 0, cashOut: 0 },
    card: { sales: 0, voids: 0, refunds: 0, cashIn: 0, cashOut: 0 },
    transfer: { sales: 0, voids: 0, refunds: 0, cashIn: 0, cashOut: 0 },
  };
  let salesTotal = 0;
  let refundsTotal = 0;
  for (const e of events) {
    if (e.type === 'SaleCreated') {
      const isVoid = voided.has(e.payload.saleId);
      if (!isVoid) salesTotal += e.payload.total;
      for (const t of e.payload.tenders) out[t.kind][isVoid ? 'voids' : 'sales'] += t.amount;
    } else if (e.type === 'SaleRefunded') {
      refundsTotal += e.payload.total;
      for (const t of e.payload.tenders) out[t.kind].refunds += t.amount;
    } else if (e.type === 'CashLedgerEntryCreated') {
      if (e.payload.kind === 'in') out.cash.cashIn += e.payload.amount;
      if (e.payload.kind === 'out') out.cash.cashOut += e.payload.amount;
    }
  }
  const expected = (k: Kind) => (k === 'cash' ? floatTotal : 0) + out[k].sales - out[k].refunds + out[k].cashIn - out[k].cashOut;
  return { out, expected, salesTotal, refundsTotal };
}

describe("a Z's totals", () => {
  it('equal its sales, refunds, voids and cash movements, tender by tender, in any arrival order of a void', () => {
    fc.assert(
      fc.property(floatArb, fc.array(opArb, { maxLength: 40 }), floatArb, (float, ops, count) => {
        const session = openSession(float);
        const events = eventsOf(ops);
        const entries = fold(events);
        // a void may arrive before its sale (another copy of the log): same rows
        // (rows of different keys are independent, so the whole log backwards puts every void before its sale)
        const reordered = fold([...events].reverse());
        expect(new Map(reordered.map((r) => [r.id, r]))).toEqual(new Map(entries.map((r) => [r.id, r])));

        const figures = closeFigures(session, entries, count, []);
        const [close] = decideClose({ session, zNumber: 7, cashCount: count, figures, closedBy: 'cajera', approval: null });
        const closed = applyCashSessionEvent(session, { ...env(999), ...close } as CashSessionEvent, SESSION);
        const z = cashReport({ session: closed, entries, currency: 'ARS', now: new Date() });
        const want = expectedFromEvents(events, session.floatTotal);

        expect(z.kind).toBe('Z');
        expect(z.session.zNumber).toBe(7);
        expect(z.tenders[0]!.kind).toBe('cash');
        for (const line of z.tenders) {
          const k = line.kind as Kind;
          expect(line).toMatchObject(want.out[k]);
          expect(line.expected).toBe(want.expected(k));
          expect(line.counted).toBe(k === 'cash' ? countTotal(count) : want.expected(k));
          expect(line.overShort).toBe(line.counted! - line.expected);
        }
        for (const k of ['cash', 'card', 'transfer'] as const) {
          const moved = Object.values(want.out[k]).some((v) => v !== 0);
          if (moved) expect(z.tenders.some((t) => t.kind === k)).toBe(true);
        }
        expect(z.totals.sales).toBe(want.salesTotal);
        expect(z.totals.refunds).toBe(want.refundsTotal);
        expect(z.totals.net).toBe(want.salesTotal - want.refundsTotal);
        expect(z.totals.expected).toBe(z.tenders.reduce((a, t) => a + t.expected, 0));
        expect(z.totals.overShort).toBe(z.totals.counted! - z.totals.expected);
        expect(z.counts.sales + z.counts.voids).toBe(events.filter((e) => e.type === 'SaleCreated').length);
        expect(z.counts.voids).toBe(events.filter((e) => e.type === 'SaleVoided').length);
        expect(z.counts.refunds + z.counts.cashIn + z.counts.cashOut + z.counts.noSale).toBe(events.filter((e) => e.type === 'SaleRefunded' || e.type === 'CashLedgerEntryCreated').length);
        // net tax: base + tax per rate adds up to net sales
        expect(z.taxes.reduce((a, t) => a + t.base + t.tax, 0)).toBe(want.salesTotal - want.refundsTotal);
        // the X of the same session (before the close) shows the same expected figures, uncounted
        const x = cashReport({ session, entries, currency: 'ARS', now: new Date() });
        expect(x.tenders.map((t) => [t.kind, t.expected])).toEqual(z.tenders.filter((t) => x.tenders.some((u) => u.kind === t.kind)).map((t) => [t.kind, t.expected]));
        expect(x.totals.counted).toBeNull();
      }),
      { numRuns: 300 },
    );
  });
});
