import type { z } from 'zod';
import type { CashSession } from '../../shared/contract/cash.js';
import type { approvalRef, counterEvents } from '../../shared/domains/counter.events.js';
import { assertNever } from '../../shared/errors.js';
import type { PayloadOfDef } from '../../shared/eventdef.js';

type Approval = z.infer<typeof approvalRef>;
type Count = { denomination: number; count: number };
type Amounts = { kind: string; amount: number }[];

/** A row of the till sessions read model (cash_sessions). */
export interface CashSessionRow {
  id: string;
  deviceId: string;
  cashierId: string;
  status: 'open' | 'closed';
  openedAt: string;
  openedBy: string;
  float: Count[];
  floatTotal: number;
  closedAt: string | null;
  closedBy: string | null;
  zNumber: number | null;
  cashCount: Count[] | null;
  counted: Amounts | null;
  expected: Amounts | null;
  closeApproval: Approval | null;
  version: number;
}

/** What the session projection folds: the till's own events (typed by their agreed shapes). */
interface Envelope {
  device_id: string;
  actor_id: string;
  created_at: string;
}
export type CashSessionEvent =
  | (Envelope & { type: 'CashSessionOpened'; payload: PayloadOfDef<typeof counterEvents.CashSessionOpened> })
  | (Envelope & { type: 'CashSessionClosed'; payload: PayloadOfDef<typeof counterEvents.CashSessionClosed> });

/**
 * Pure: the session after one event. A device's events arrive in its chain's order, so a close follows its open;
 * should a close ever arrive first (a damaged copy being repaired), a placeholder keeps it rather than losing it.
 */
export function applyCashSessionEvent(row: CashSessionRow | undefined, event: CashSessionEvent, id: string): CashSessionRow {
  switch (event.type) {
    case 'CashSessionOpened': {
      const p = event.payload;
      const opened = {
        deviceId: p.deviceId,
        cashierId: p.cashierId,
        openedAt: event.created_at,
        openedBy: event.actor_id,
        float: p.float.map((c) => ({ denomination: c.denomination, count: c.count })),
        floatTotal: p.floatTotal,
      };
      if (row) return { ...row, ...opened, version: row.version + 1 };
      return { id, ...opened, status: 'open', closedAt: null, closedBy: null, zNumber: null, cashCount: null, counted: null, expected: null, closeApproval: null, version: 1 };
    }
    case 'CashSessionClosed': {
      const p = event.payload;
      const base: CashSessionRow = row ?? {
        id,
        deviceId: event.device_id,
        cashierId: '',
        status: 'open',
        openedAt: event.created_at,
        openedBy: event.actor_id,
        float: [],
        floatTotal: 0,
        closedAt: null,
        closedBy: null,
        zNumber: null,
        cashCount: null,
        counted: null,
        expected: null,
        closeApproval: null,
        version: 0,
      };
      return {
        ...base,
        status: 'closed',
        closedAt: event.created_at,
        closedBy: p.closedBy,
        zNumber: p.zNumber,
        cashCount: p.cashCount.map((c) => ({ denomination: c.denomination, count: c.count })),
        counted: p.counted.map((t) => ({ kind: t.kind, amount: t.amount })),
        expected: p.expected.map((t) => ({ kind: t.kind, amount: t.amount })),
        closeApproval: p.approval,
        version: base.version + 1,
      };
    }
    default:
      return assertNever(event, 'cash session event');
  }
}

/** The API's view of a session. */
export const toCashSession = (row: CashSessionRow): CashSession => ({
  id: row.id,
  deviceId: row.deviceId,
  cashierId: row.cashierId,
  status: row.status,
  openedAt: row.openedAt,
  openedBy: row.openedBy,
  float: row.float,
  floatTotal: row.floatTotal,
  closedAt: row.closedAt,
  closedBy: row.closedBy,
  zNumber: row.zNumber,
});
