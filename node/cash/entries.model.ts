import type { z } from 'zod';
import type { approvalRef, counterEvents } from '../../shared/domains/counter.events.js';
import { assertNever } from '../../shared/errors.js';
import type { PayloadOfDef } from '../../shared/eventdef.js';

type Approval = z.infer<typeof approvalRef>;
export type TaxLine = { rateBp: number; base: number; tax: number };

export type CashEntryKind = 'sale' | 'refund' | 'in' | 'out' | 'noSale';

/**
 * A row of the till entries read model (cash_session_entries): one sale, refund or drawer move of a session, with
 * its money by tender kind (always positive; the kind says which way it went). A sale's row is keyed by the sale's
 * id, so its void marks it in place.
 */
export interface CashEntryRow {
  id: string;
  tillSessionId: string;
  kind: CashEntryKind;
  /** Money by tender kind: what a sale took, what a refund gave back, the cash moved in or out. */
  tenders: Record<string, number>;
  /** A sale's Σ tenders (total after rounding), a refund's total, a move's amount. */
  total: number;
  taxes: TaxLine[];
  voided: boolean;
  voidSessionId: string | null;
  /** False while only a sale's void has arrived here (its creation not yet). */
  known: boolean;
  /** A refund's original sale. */
  saleId: string | null;
  reason: string | null;
  approval: Approval | null;
  actorId: string;
  at: string;
}

interface Envelope {
  actor_id: string;
  created_at: string;
}
type Of<T extends keyof typeof counterEvents> = Envelope & { type: T; payload: PayloadOfDef<(typeof counterEvents)[T]> };

/** The events that move money in a till session: the till's own ledger and the sales domain's sales. */
export type CashEntryEvent = Of<'CashLedgerEntryCreated'> | Of<'SaleCreated'> | Of<'SaleVoided'> | Of<'SaleRefunded'>;

/** The key of the entry an event touches. */
export function entryKeyOf(event: CashEntryEvent): string {
  switch (event.type) {
    case 'CashLedgerEntryCreated':
      return event.payload.entryId;
    case 'SaleCreated':
    case 'SaleVoided':
      return event.payload.saleId;
    case 'SaleRefunded':
      return event.payload.refundId;
    default:
      return assertNever(event, 'cash entry event');
  }
}

function byKind(tenders: readonly { kind: string; amount: number }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of tenders) out[t.kind] = (out[t.kind] ?? 0) + t.amount;
  return out;
}

const blank = (id: string, tillSessionId: string, kind: CashEntryKind, event: Envelope): CashEntryRow => ({
  id,
  tillSessionId,
  kind,
  tenders: {},
  total: 0,
  taxes: [],
  voided: false,
  voidSessionId: null,
  known: false,
  saleId: null,
  reason: null,
  approval: null,
  actorId: event.actor_id,
  at: event.created_at,
});

/**
 * Pure: the entry after one event. A sale and its void commute (either order gives the same row), so the rows
 * converge whichever arrives first.
 */
export function applyCashEntryEvent(row: CashEntryRow | undefined, event: CashEntryEvent, id: string): CashEntryRow {
  switch (event.type) {
    case 'CashLedgerEntryCreated': {
      const p = event.payload;
      return {
        ...blank(id, p.tillSessionId, p.kind, event),
        tenders: p.kind === 'noSale' ? {} : { cash: p.amount },
        total: p.amount,
        known: true,
        reason: p.reason,
        approval: p.approval,
      };
    }
    case 'SaleCreated': {
      const p = event.payload;
      const tenders = byKind(p.tenders);
      return {
        ...blank(id, p.tillSessionId, 'sale', event),
        tenders,
        total: Object.values(tenders).reduce((a, b) => a + b, 0),
        taxes: p.taxes.map((t) => ({ rateBp: t.rateBp, base: t.base, tax: t.tax })),
        voided: row?.voided ?? false,
        voidSessionId: row?.voidSessionId ?? null,
        known: true,
        actorId: p.cashierId,
      };
    }
    case 'SaleVoided': {
      const base = row ?? blank(id, event.payload.tillSessionId, 'sale', event);
      return { ...base, voided: true, voidSessionId: event.payload.tillSessionId };
    }
    case 'SaleRefunded': {
      const p = event.payload;
      return {
        ...blank(id, p.tillSessionId, 'refund', event),
        tenders: byKind(p.tenders),
        total: p.total,
        taxes: p.taxes.map((t) => ({ rateBp: t.rateBp, base: t.base, tax: t.tax })),
        known: true,
        saleId: p.saleId,
        reason: p.reason,
        approval: p.approval,
      };
    }
    default:
      return assertNever(event, 'cash entry event');
  }
}
