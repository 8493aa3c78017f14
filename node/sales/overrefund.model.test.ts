import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../shared/canonical.js';
import type { PayloadOf } from '../../shared/events.js';
import { formatHlc } from '../../shared/hlc.js';
import { excessByLine, overRefundOf, overRefundReason } from './overrefund.model.js';
import { applySaleEvent, type SaleEvent, type SaleRow } from './sales.model.js';

const SALE = '01900000-0000-7000-8000-000000000001';
const DEVICES = ['01900000-0000-7000-8000-00000000000a', '01900000-0000-7000-8000-00000000000b'] as const;
const LINES = [
  { lineId: '01900000-0000-7000-8000-0000000000f1', productId: '01900000-0000-7000-8000-0000000000e1', quantity: 3000, total: 300000 },
  { lineId: '01900000-0000-7000-8000-0000000000f2', productId: '01900000-0000-7000-8000-0000000000e2', quantity: 1500, total: 120000 },
];

let ids = 0;
const uuid = () => `01900000-0000-7000-8000-${String(++ids).padStart(12, '0')}`;

const envelope = (type: SaleEvent['type'], payload: unknown, device: string, wall: number): SaleEvent =>
  ({ event_id: uuid(), type, payload, device_id: device, actor_id: 'cajero', created_at: new Date(wall).toISOString(), hlc: formatHlc({ wall, counter: 0, node: device }) }) as unknown as SaleEvent;

const created = envelope(
  'SaleCreated',
  {
    saleId: SALE,
    fiscal: { series: 'B-0001', docType: 'ticket', number: 7 },
    tillSessionId: uuid(),
    lines: LINES.map((l) => ({ ...l, name: `Producto ${l.lineId.slice(-2)}`, unit: 'unit', unitPrice: l.total, discount: 0, taxRateBp: 2100, location: 'main' })),
    ticketDiscount: 0,
    tenders: [{ kind: 'cash', amount: 420000, received: 420000, reference: null }],
  } as unknown as PayloadOf<'SaleCreated'>,
  DEVICES[0],
  Date.UTC(2026, 11, 1, 12),
);

interface Asked {
  device: 0 | 1;
  line: 0 | 1;
  quantity: number;
  wall: number;
}

const refund = (a: Asked): SaleEvent =>
  envelope(
    'SaleRefunded',
    {
      refundId: uuid(),
      saleId: SALE,
      tillSessionId: uuid(),
      lines: [{ lineId: LINES[a.line]!.lineId, productId: LINES[a.line]!.productId, quantity: a.quantity, amount: a.quantity * 100, restock: true, location: 'main' }],
      total: a.quantity * 100,
      taxes: [],
      tenders: [{ kind: 'cash', amount: a.quantity * 100, reference: null }],
      creditNote: null,
      reason: 'prueba',
      approval: null,
    },
    DEVICES[a.device],
    a.wall,
  );

const fold = (events: readonly SaleEvent[]): SaleRow => events.reduce<SaleRow | undefined>((row, e) => applySaleEvent(row, e, SALE), undefined)!;

/**
 * Each device's refunds as it could have made them offline: each one within what its own view left of the line.
 * (Either device may have seen none of the other's refunds: the worst case.)
 */
const offlineRefunds = fc
  .array(fc.record({ device: fc.constantFrom(0 as const, 1 as const), line: fc.constantFrom(0 as const, 1 as const), quantity: fc.integer({ min: 1, max: 3000 }), wall: fc.integer({ min: 1, max: 10_000 }) }), { maxLength: 8 })
  .map((asked) => {
    const left = new Map<string, number>();
    return asked.filter((a) => {
      const key = `${a.device}|${a.line}`;
      const done = left.get(key) ?? 0;
      if (done + a.quantity > LINES[a.line]!.quantity) return false;
      left.set(key, done + a.quantity);
      return true;
    });
  });

describe('over-refunds (pure)', () => {
  it('for any refunds of two devices in any arrival order: over = max(0, refunded − sold) per line, the same everywhere', () => {
    fc.assert(
      fc.property(offlineRefunds, fc.array(fc.nat(), { minLength: 9, maxLength: 9 }), fc.nat(9), (asked, keys, createdAt) => {
        const events = asked.map((a) => refund({ ...a, wall: Date.UTC(2026, 11, 1, 13) + a.wall }));
        // One node's arrival order: a shuffle of the refunds, the sale anywhere among them.
        const shuffled = events.map((e, i) => ({ e, k: keys[i]! })).sort((x, y) => x.k - y.k).map((x) => x.e);
        const arrival = [...shuffled.slice(0, createdAt), created, ...shuffled.slice(createdAt)];
        const here = fold(arrival);
        const there = fold([created, ...events]);
        expect(canonicalJson(here)).toBe(canonicalJson(there));
        expect(canonicalJson(overRefundOf(here) ?? null)).toBe(canonicalJson(overRefundOf(there) ?? null));
        const expected = new Map<string, number>();
        for (const [i, line] of LINES.entries()) {
          const total = asked.filter((a) => a.line === i).reduce((s, a) => s + a.quantity, 0);
          if (total > line.quantity) expected.set(line.lineId, total - line.quantity);
        }
        expect(excessByLine(here)).toEqual(expected);
        const found = overRefundOf(here);
        expect(found?.lines.map((l) => [l.lineId, l.over]) ?? []).toEqual([...expected]);
        for (const line of found?.lines ?? []) {
          expect(line.refunded - line.sold).toBe(line.over);
          expect(line.overAmount).toBe(Math.max(0, line.refundedAmount - line.soldAmount));
          // Every refund of the line is named, with its device.
          const reason = overRefundReason(found!, line);
          for (const r of found!.refunds.filter((x) => x.lines.some((l) => l.lineId === line.lineId))) expect(reason).toContain(r.refundId);
        }
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 300) },
    );
  });

  it('names the sale, the line, sold against refunded and both devices; a voided sale refunded at all is over-refunded', () => {
    const a = refund({ device: 0, line: 0, quantity: 2000, wall: Date.UTC(2026, 11, 1, 13) });
    const b = refund({ device: 1, line: 0, quantity: 2000, wall: Date.UTC(2026, 11, 1, 14) });
    const found = overRefundOf(fold([created, a, b]))!;
    expect(found.lines).toEqual([
      { lineId: LINES[0]!.lineId, productId: LINES[0]!.productId, name: 'Producto f1', sold: 3000, refunded: 4000, over: 1000, soldAmount: 300000, refundedAmount: 400000, overAmount: 100000 },
    ]);
    expect(found.refunds.map((r) => r.deviceId)).toEqual([...DEVICES]);
    const reason = overRefundReason(found, found.lines[0]!);
    expect(reason).toMatch(/^over-refund on B-0001 7, line \S+ "Producto f1" \(product \S+\): sold 3 for 300000, refunded 4 for 400000 \(1 and 100000 too many\)/);
    expect(reason).toContain(DEVICES[0]);
    expect(reason).toContain(DEVICES[1]);
    // Within what was sold: nothing to say.
    expect(overRefundOf(fold([created, a]))).toBeUndefined();
    expect(overRefundOf(fold([a, b]))).toBeUndefined(); // the sale not held yet
    const voided = envelope('SaleVoided', { saleId: SALE, tillSessionId: uuid(), reason: 'x', creditNote: null, approval: null }, DEVICES[0], Date.UTC(2026, 11, 1, 15));
    expect(overRefundOf(fold([created, voided, b]))).toMatchObject({ voided: true, lines: [{ over: 2000, overAmount: 200000 }] });
  });
});
