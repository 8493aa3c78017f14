import { assertNever } from '../../shared/errors.js';
import type { EventOf } from '../../shared/events.js';

/** A range of fiscal numbers one device holds for one series; `next` is the next number to use (last + 1: used up). */
export interface RangeRow {
  rangeId: string;
  deviceId: string;
  series: string;
  docType: 'ticket' | 'creditNote';
  first: number;
  last: number;
  next: number;
  grantedBy: 'self' | 'central';
  expiresAt: string | null;
  /** False while only numbers consumed from it have arrived (another device's sales before the grant). */
  granted: boolean;
}

export type FiscalEvent = EventOf<'FiscalRangeGranted' | 'SaleCreated' | 'SaleVoided' | 'SaleRefunded'>;

/** The fiscal number an event consumed, if any. */
export function consumedBy(event: FiscalEvent) {
  switch (event.type) {
    case 'FiscalRangeGranted':
      return null;
    case 'SaleCreated':
      return event.payload.fiscal;
    case 'SaleVoided':
    case 'SaleRefunded':
      return event.payload.creditNote;
    default:
      return assertNever(event, 'fiscal event');
  }
}

/** Pure: a range after its grant or after a document consumed one of its numbers (numbers only move forward). */
export function applyFiscalEvent(row: RangeRow | undefined, event: FiscalEvent, rangeId: string): RangeRow {
  if (event.type === 'FiscalRangeGranted') {
    const p = event.payload;
    return { rangeId, deviceId: p.deviceId, series: p.series, docType: p.docType, first: p.first, last: p.last, next: Math.max(row?.next ?? p.first, p.first), grantedBy: p.grantedBy, expiresAt: p.expiresAt, granted: true };
  }
  const used = consumedBy(event);
  if (!used) throw new Error(`${event.type} ${event.event_id} consumed no fiscal number but was routed to its range`);
  if (row) return { ...row, next: Math.max(row.next, used.number + 1), ...(row.granted ? {} : { first: Math.min(row.first, used.number), last: Math.max(row.last, used.number) }) };
  return { rangeId, deviceId: event.device_id, series: used.series, docType: used.docType, first: used.number, last: used.number, next: used.number + 1, grantedBy: 'central', expiresAt: null, granted: false };
}

export const numbersLeft = (row: RangeRow): number => Math.max(0, row.last - row.next + 1);
