import type { CashMovement, CashReport, TenderSummary } from '../../shared/contract/cash.js';
import type { CashEntryRow } from './entries.model.js';
import { toCashSession, type CashSessionRow } from './sessions.model.js';

/**
 * Pure: the X or Z of a session from its rows. The X is computed now; the Z is the same figures for a closed
 * session, with the expected and counted amounts the close recorded (its event), so a Z reads the same forever.
 */

const KNOWN_ORDER = ['cash', 'card', 'transfer'];

const order = (a: string, b: string) => {
  const ia = KNOWN_ORDER.indexOf(a);
  const ib = KNOWN_ORDER.indexOf(b);
  if (ia >= 0 || ib >= 0) return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
  return a < b ? -1 : a > b ? 1 : 0;
};

type Line = Omit<TenderSummary, 'expected' | 'counted' | 'overShort'>;

const emptyLine = (kind: string): Line => ({ kind, float: 0, sales: 0, refunds: 0, voids: 0, cashIn: 0, cashOut: 0 });

/** Per tender kind, what the drawer (or the card batch, the bank) should hold: float + sales − refunds + in − out. */
export function tenderLines(session: Pick<CashSessionRow, 'floatTotal'>, entries: readonly CashEntryRow[]): Map<string, Line & { expected: number }> {
  const lines = new Map<string, Line>([['cash', { ...emptyLine('cash'), float: session.floatTotal }]]);
  const line = (kind: string) => {
    let l = lines.get(kind);
    if (!l) lines.set(kind, (l = emptyLine(kind)));
    return l;
  };
  for (const e of entries) {
    for (const [kind, amount] of Object.entries(e.tenders)) {
      const l = line(kind);
      if (e.kind === 'sale') {
        if (e.voided) l.voids += amount;
        else l.sales += amount;
      } else if (e.kind === 'refund') l.refunds += amount;
      else if (e.kind === 'in') l.cashIn += amount;
      else if (e.kind === 'out') l.cashOut += amount;
    }
  }
  const out = new Map<string, Line & { expected: number }>();
  for (const kind of [...lines.keys()].sort(order)) {
    const l = lines.get(kind)!;
    out.set(kind, { ...l, expected: l.float + l.sales - l.refunds + l.cashIn - l.cashOut });
  }
  return out;
}

function netTaxes(entries: readonly CashEntryRow[]) {
  const byRate = new Map<number, { rateBp: number; base: number; tax: number }>();
  for (const e of entries) {
    const sign = e.kind === 'sale' && !e.voided ? 1 : e.kind === 'refund' ? -1 : 0;
    if (sign === 0) continue;
    for (const t of e.taxes) {
      const acc = byRate.get(t.rateBp) ?? { rateBp: t.rateBp, base: 0, tax: 0 };
      acc.base += sign * t.base;
      acc.tax += sign * t.tax;
      byRate.set(t.rateBp, acc);
    }
  }
  return [...byRate.values()].sort((a, b) => a.rateBp - b.rateBp);
}

const toMovement = (e: CashEntryRow): CashMovement => ({
  id: e.id,
  kind: e.kind as CashMovement['kind'],
  amount: e.total,
  reason: e.reason ?? '',
  at: e.at,
  by: e.actorId,
  approvedBy: e.approval?.supervisorId ?? null,
});

export interface ReportInput {
  session: CashSessionRow;
  entries: readonly CashEntryRow[];
  currency: string;
  /** When an X is read (a Z is dated by its close). */
  now: Date;
}

/** The X (open session) or the Z (closed session) of a session. */
export function cashReport({ session, entries, currency, now }: ReportInput): CashReport {
  const isZ = session.status === 'closed';
  const lines = tenderLines(session, entries);
  // A Z's expected and counted figures are those its close recorded (the event); a kind only they name is kept.
  const recordedExpected = new Map((session.expected ?? []).map((t) => [t.kind, t.amount]));
  const counted = new Map((session.counted ?? []).map((t) => [t.kind, t.amount]));
  if (isZ) for (const kind of [...recordedExpected.keys(), ...counted.keys()]) if (!lines.has(kind)) lines.set(kind, { ...emptyLine(kind), expected: 0 });
  const tenders: TenderSummary[] = [...lines.values()]
    .sort((a, b) => order(a.kind, b.kind))
    .map((l) => {
      const expected = isZ ? (recordedExpected.get(l.kind) ?? l.expected) : l.expected;
      // a tender the close did not count (only non-cash ones below zero) stands as expected
      const c = isZ ? (counted.get(l.kind) ?? (l.kind === 'cash' ? 0 : expected)) : null;
      return { ...l, expected, counted: c, overShort: c === null ? null : c - expected };
    });
  const standing = entries.filter((e) => e.kind === 'sale' && !e.voided);
  const voided = entries.filter((e) => e.kind === 'sale' && e.voided);
  const refunds = entries.filter((e) => e.kind === 'refund');
  const count = (kind: CashEntryRow['kind']) => entries.filter((e) => e.kind === kind).length;
  const sum = (rows: readonly CashEntryRow[]) => rows.reduce((a, e) => a + e.total, 0);
  const sumOf = (pick: (t: TenderSummary) => number | null) => tenders.reduce((a, t) => a + (pick(t) ?? 0), 0);
  return {
    kind: isZ ? 'Z' : 'X',
    session: toCashSession(session),
    currency,
    at: isZ ? session.closedAt! : now.toISOString(),
    tenders,
    counts: { sales: standing.length, refunds: refunds.length, voids: voided.length, cashIn: count('in'), cashOut: count('out'), noSale: count('noSale') },
    totals: {
      sales: sum(standing),
      refunds: sum(refunds),
      voids: sum(voided),
      net: sum(standing) - sum(refunds),
      expected: sumOf((t) => t.expected),
      counted: isZ ? sumOf((t) => t.counted) : null,
      overShort: isZ ? sumOf((t) => t.overShort) : null,
    },
    taxes: netTaxes(entries),
    movements: entries.filter((e) => e.kind === 'in' || e.kind === 'out' || e.kind === 'noSale').map(toMovement),
    cashCount: session.cashCount ?? [],
    closeApprovedBy: session.closeApproval?.supervisorId ?? null,
  };
}
