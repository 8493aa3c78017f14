import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import { checkDenominations, closeFigures, decideClose, decideMove, decideOpen, needsApproval } from './cash.decide.js';
import { applyCashEntryEvent, type CashEntryEvent, type CashEntryRow } from './entries.model.js';
import { applyCashSessionEvent, type CashSessionEvent, type CashSessionRow } from './sessions.model.js';

const SESSION = '01a22800-0000-7000-8000-000000000001';
const DEVICE = '01a22800-0000-7000-8000-0000000000de';
const DENOMS = [2_000, 1_000, 500, 100, 50];
const env = { actor_id: 'ana', created_at: '2026-11-29T09:00:00.000Z', device_id: DEVICE, hlc: '1' };

const opened = (float = [{ denomination: 1_000, count: 3 }]): CashSessionRow => {
  const [draft] = decideOpen(undefined, { tillSessionId: SESSION, deviceId: DEVICE, cashierId: 'ana', float, denominations: DENOMS, currency: 'ARS' });
  return applyCashSessionEvent(undefined, { ...env, ...draft } as CashSessionEvent, SESSION);
};

const refusal = (fn: () => unknown): AppError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('opening the till', () => {
  it('records the float largest first without empty rows, and its total', () => {
    const [draft] = decideOpen(undefined, {
      tillSessionId: SESSION, deviceId: DEVICE, cashierId: 'ana', currency: 'ARS', denominations: DENOMS,
      float: [{ denomination: 100, count: 7 }, { denomination: 2_000, count: 0 }, { denomination: 1_000, count: 2 }],
    });
    expect(draft).toEqual({
      type: 'CashSessionOpened',
      payload: { tillSessionId: SESSION, deviceId: DEVICE, cashierId: 'ana', float: [{ denomination: 1_000, count: 2 }, { denomination: 100, count: 7 }], floatTotal: 2_700 },
    });
  });

  it('refuses a second open session on the terminal (409) and a note the store does not have (400, with the field)', () => {
    const open = opened();
    expect(refusal(() => decideOpen(open, { tillSessionId: SESSION, deviceId: DEVICE, cashierId: 'ana', float: [], denominations: DENOMS, currency: 'ARS' }))).toMatchObject({ code: 'Conflict', key: 'tillAlreadyOpen' });
    const bad = refusal(() => checkDenominations([{ denomination: 500, count: 1 }, { denomination: 300, count: 1 }], DENOMS, 'ARS', 'float'));
    expect(bad).toMatchObject({ code: 'ValidationError', key: 'unknownDenomination' });
    expect(bad.issues?.map((i) => i.path)).toEqual(['float.1.denomination']);
  });
});

describe('drawer moves', () => {
  it('records cash in/out with the amount and a no-sale with none', () => {
    const s = opened();
    expect(decideMove(s, { entryId: SESSION, kind: 'out', amount: 300, reason: 'proveedor' }, null)[0]!.payload).toMatchObject({ kind: 'out', amount: 300, tillSessionId: SESSION });
    expect(decideMove(s, { entryId: SESSION, kind: 'noSale', reason: 'cambio' }, null)[0]!.payload).toMatchObject({ kind: 'noSale', amount: 0 });
  });

  it('asks an approval only of cashiers', () => {
    expect(needsApproval('cashier')).toBe(true);
    expect(needsApproval('supervisor')).toBe(false);
    expect(needsApproval('owner')).toBe(false);
  });
});

describe('closing', () => {
  const sale = (id: string, tenders: { kind: 'cash' | 'card' | 'transfer'; amount: number }[]): CashEntryEvent =>
    ({
      ...env,
      type: 'SaleCreated',
      payload: {
        saleId: id, tillSessionId: SESSION, ticketId: null, fiscal: null, currency: 'ARS', lines: [], ticketDiscount: 0,
        total: tenders.reduce((a, t) => a + t.amount, 0), rounding: 0, taxes: [],
        tenders: tenders.map((t) => ({ tenderId: id, ...t, received: t.amount, reference: null })), change: 0, cashierId: 'ana', approvals: [],
      },
    }) as CashEntryEvent;
  const A = '01a22800-0000-7000-8000-00000000000a';
  const B = '01a22800-0000-7000-8000-00000000000b';
  const entries = (): CashEntryRow[] => [
    applyCashEntryEvent(undefined, sale(A, [{ kind: 'cash', amount: 1_500 }, { kind: 'card', amount: 4_000 }]), A),
    applyCashEntryEvent(undefined, sale(B, [{ kind: 'transfer', amount: 900 }]), B),
  ];

  it('compares the blind cash count with float + sales, and takes other tenders as expected unless counted', () => {
    const f = closeFigures(opened(), entries(), [{ denomination: 2_000, count: 2 }, { denomination: 500, count: 1 }], [{ kind: 'card', amount: 3_900 }]);
    expect(f.expected).toEqual([{ kind: 'cash', amount: 4_500 }, { kind: 'card', amount: 4_000 }, { kind: 'transfer', amount: 900 }]);
    expect(f.counted).toEqual([{ kind: 'cash', amount: 4_500 }, { kind: 'card', amount: 3_900 }, { kind: 'transfer', amount: 900 }]);
    expect(f.worst).toBe(100);
  });

  it('makes the Z once: a closed session refuses another close', () => {
    const s = opened();
    const f = closeFigures(s, entries(), [], []);
    const [draft] = decideClose({ session: s, zNumber: 3, cashCount: [], figures: f, closedBy: 'ana', approval: null });
    const closed = applyCashSessionEvent(s, { ...env, ...draft } as CashSessionEvent, SESSION);
    expect(closed).toMatchObject({ status: 'closed', zNumber: 3, closedBy: 'ana', version: 2 });
    expect(refusal(() => decideClose({ session: closed, zNumber: 4, cashCount: [], figures: f, closedBy: 'ana', approval: null }))).toMatchObject({
      code: 'Conflict',
      key: 'tillSessionClosed',
    });
  });

  it('marks a voided sale in place, in either order', () => {
    const v: CashEntryEvent = { ...env, type: 'SaleVoided', payload: { saleId: A, tillSessionId: SESSION, reason: 'error', creditNote: null, approval: null } };
    const saleFirst = applyCashEntryEvent(applyCashEntryEvent(undefined, sale(A, [{ kind: 'cash', amount: 1 }]), A), v, A);
    const voidFirst = applyCashEntryEvent(applyCashEntryEvent(undefined, v, A), sale(A, [{ kind: 'cash', amount: 1 }]), A);
    expect(saleFirst).toEqual(voidFirst);
    expect(saleFirst).toMatchObject({ voided: true, known: true, tenders: { cash: 1 } });
  });
});
