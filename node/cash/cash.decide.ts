import type { StaffRole } from '../../shared/contract/index.js';
import { AppError, fieldIssue } from '../../shared/errors.js';
import type { EventDraft } from '../../shared/events.js';
import type { approvalRef } from '../../shared/domains/counter.events.js';
import type { z } from 'zod';
import type { CashEntryRow } from './entries.model.js';
import { tenderLines } from './report.js';
import type { CashSessionRow } from './sessions.model.js';

/** Pure rules of the till: state and command in, events out (or a refusal a person can act on). */

export type Count = { denomination: number; count: number };
type ApprovalRef = z.infer<typeof approvalRef>;

/** Roles that need a supervisor's approval for a no-sale opening or an over/short past the threshold. */
export const needsApproval = (role: StaffRole): boolean => role === 'cashier';

/** Every counted denomination must be one of the store's notes or coins (a typo in cents is caught here). */
export function checkDenominations(count: readonly Count[], denominations: readonly number[], currency: string, field: string): void {
  const known = new Set(denominations);
  const issues = count.flatMap((c, i) =>
    known.has(c.denomination) ? [] : [fieldIssue(`${field}.${i}.denomination`, 'unknownDenomination', { denomination: c.denomination, currency })],
  );
  if (issues.length > 0) throw AppError.t('ValidationError', 'unknownDenomination', issues[0]!.params as { denomination: number; currency: string }, issues);
}

/** Σ denomination × count, largest first, rows of zero kept out (the count as the drawer held it). */
export function countTotal(count: readonly Count[]): number {
  return count.reduce((a, c) => a + c.denomination * c.count, 0);
}

const tidy = (count: readonly Count[]): Count[] =>
  count.filter((c) => c.count > 0).map((c) => ({ denomination: c.denomination, count: c.count })).sort((a, b) => b.denomination - a.denomination);

export interface OpenCommand {
  tillSessionId: string;
  deviceId: string;
  cashierId: string;
  float: readonly Count[];
  denominations: readonly number[];
  currency: string;
}

/** Opens a session, unless this device already has one open (one per terminal). */
export function decideOpen(open: CashSessionRow | undefined, cmd: OpenCommand): EventDraft[] {
  if (open) throw AppError.t('Conflict', 'tillAlreadyOpen', { openedAt: open.openedAt, cashierId: open.cashierId });
  checkDenominations(cmd.float, cmd.denominations, cmd.currency, 'float');
  const float = tidy(cmd.float);
  return [
    {
      type: 'CashSessionOpened',
      payload: { tillSessionId: cmd.tillSessionId, deviceId: cmd.deviceId, cashierId: cmd.cashierId, float, floatTotal: countTotal(float) },
    },
  ];
}

export type MoveCommand = { entryId: string; kind: 'in' | 'out'; amount: number; reason: string } | { entryId: string; kind: 'noSale'; reason: string };

/** A drawer move in an open session (the caller checked it is open, and got the approval a no-sale needs). */
export function decideMove(session: CashSessionRow, cmd: MoveCommand, approval: ApprovalRef | null): EventDraft[] {
  return [
    {
      type: 'CashLedgerEntryCreated',
      payload: {
        entryId: cmd.entryId,
        tillSessionId: session.id,
        kind: cmd.kind,
        amount: cmd.kind === 'noSale' ? 0 : cmd.amount,
        reason: cmd.reason,
        approval,
      },
    },
  ];
}

export interface CloseFigures {
  expected: { kind: 'cash' | 'card' | 'transfer'; amount: number }[];
  counted: { kind: 'cash' | 'card' | 'transfer'; amount: number }[];
  /** The largest |counted − expected| over tenders. */
  worst: number;
}

type Kind = CloseFigures['expected'][number]['kind'];
const isKind = (k: string): k is Kind => k === 'cash' || k === 'card' || k === 'transfer';

/**
 * Expected vs counted per tender at the close. Cash is the blind count; another tender left out of `otherCounts`
 * counts as expected (its record is the payment terminal's, not a drawer); a count cannot be negative, so such a
 * tender whose expected figure is below zero is left uncounted (the Z shows it as expected, no over/short).
 */
export function closeFigures(session: CashSessionRow, entries: readonly CashEntryRow[], cashCount: readonly Count[], otherCounts: readonly { kind: string; amount: number }[]): CloseFigures {
  const lines = tenderLines(session, entries);
  const others = new Map(otherCounts.map((o) => [o.kind, o.amount]));
  for (const kind of others.keys()) if (!lines.has(kind)) lines.set(kind, { kind, float: 0, sales: 0, refunds: 0, voids: 0, cashIn: 0, cashOut: 0, expected: 0 });
  const expected: CloseFigures['expected'] = [];
  const counted: CloseFigures['counted'] = [];
  let worst = 0;
  for (const [kind, line] of lines) {
    if (!isKind(kind)) continue; // a tender kind from a newer release: not counted by this build
    expected.push({ kind, amount: line.expected });
    const c = kind === 'cash' ? countTotal(cashCount) : (others.get(kind) ?? (line.expected >= 0 ? line.expected : undefined));
    // Not counted and below zero (more refunded than taken by card): nothing to count, and no over/short either.
    if (c === undefined) continue;
    counted.push({ kind, amount: c });
    worst = Math.max(worst, Math.abs(c - line.expected));
  }
  return { expected, counted, worst };
}

export interface CloseCommand {
  session: CashSessionRow;
  zNumber: number;
  cashCount: readonly Count[];
  figures: CloseFigures;
  closedBy: string;
  approval: ApprovalRef | null;
}

export function decideClose(cmd: CloseCommand): EventDraft[] {
  if (cmd.session.status !== 'open') throw AppError.t('Conflict', 'tillSessionClosed', { zNumber: cmd.session.zNumber });
  return [
    {
      type: 'CashSessionClosed',
      payload: {
        tillSessionId: cmd.session.id,
        zNumber: cmd.zNumber,
        cashCount: tidy(cmd.cashCount),
        counted: cmd.figures.counted,
        expected: cmd.figures.expected,
        closedBy: cmd.closedBy,
        approval: cmd.approval,
      },
    },
  ];
}
