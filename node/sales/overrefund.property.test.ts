import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDraft, EventEnvelope, PayloadOf } from '../../shared/events.js';
import { newId } from '../../shared/ids.js';
import { allProjections, route } from '../domains.js';
import { emptyHead, sealEvents, type ChainHead } from '../journal/chain.js';
import { applyRemoteEvents } from '../journal/remote.js';
import { verifyReadModels } from '../journal/verify.js';
import { openCounter, type Counter } from './testing/counter.js';

const SOLD = [3000, 1500];
const PRODUCTS = [newId(), newId()];

/** Each device's refunds as it could make them offline: every one within what its own view left of the line. */
const offline = fc
  .array(fc.record({ device: fc.nat(1), line: fc.nat(1), quantity: fc.integer({ min: 1, max: 3000 }) }), { minLength: 1, maxLength: 6 })
  .map((asked) => {
    const done = new Map<string, number>();
    return asked.filter((a) => {
      const key = `${a.device}|${a.line}`;
      if ((done.get(key) ?? 0) + a.quantity > SOLD[a.line]!) return false;
      done.set(key, (done.get(key) ?? 0) + a.quantity);
      return true;
    });
  });

/**
 * Two nodes of a store receive the same sale and the refunds of two devices (each device's events in its own chain
 * order) in different interleavings, through remote apply one event at a time: both hold the same sale row and stock
 * movements, find the same over-refund, equal to max(0, refunded − sold) per line, and rebuild to what they hold.
 */
describe('over-refunds across nodes (property)', () => {
  const nodes: Counter[] = [];
  const devices = [newId(), newId()];
  // Each node keeps its own copy of the devices' chains (each node is its own store here).
  const heads: Map<string, ChainHead>[] = [new Map(), new Map()];

  beforeAll(async () => {
    nodes.push(await openCounter(), await openCounter());
  }, 180_000);
  afterAll(async () => {
    for (const n of nodes) await n.close();
  });

  /** The same event (same id, time and place in its device's chain) as each node's store holds it. */
  const seal = (node: number, device: string, draft: EventDraft, at: number, eventId: string): EventEnvelope => {
    const c = nodes[node]!;
    const { events, head } = sealEvents(heads[node]!.get(device) ?? emptyHead(device), [draft], {
      storeId: c.own.storeId,
      deviceId: device,
      commandId: newId(),
      actorId: 'cajero',
      now: new Date(at),
      newId: () => eventId,
    });
    heads[node]!.set(device, head);
    return events[0]!;
  };

  it('finds the same over-refund on every node, whatever the interleaving', async () => {
    await fc.assert(
      fc.asyncProperty(offline, fc.array(fc.boolean(), { minLength: 14, maxLength: 14 }), fc.array(fc.boolean(), { minLength: 14, maxLength: 14 }), async (asked, pick0, pick1) => {
        const saleId = newId();
        const lineIds = [newId(), newId()];
        const created: EventDraft = {
          type: 'SaleCreated',
          payload: {
            saleId,
            tillSessionId: newId(),
            ticketId: null,
            cashierId: 'cajero',
            currency: 'ARS',
            lines: lineIds.map((lineId, i) => ({ lineId, productId: PRODUCTS[i]!, name: `P${i}`, barcode: null, quantity: SOLD[i]!, unit: 'unit', unitPrice: 100_000, listPrice: 100_000, discount: 0, total: (SOLD[i]! / 1000) * 100_000, taxRateBp: 2100, location: 'store' })),
            ticketDiscount: 0,
            total: 450_000,
            rounding: 0,
            taxes: [],
            tenders: [{ tenderId: newId(), kind: 'cash', amount: 450_000, received: 450_000, reference: null }],
            change: 0,
            fiscal: null,
            approvals: [],
          } satisfies PayloadOf<'SaleCreated'>,
        };
        const refund = (a: { line: number; quantity: number }): EventDraft => ({
          type: 'SaleRefunded',
          payload: {
            refundId: newId(),
            saleId,
            tillSessionId: newId(),
            lines: [{ lineId: lineIds[a.line]!, productId: PRODUCTS[a.line]!, quantity: a.quantity, amount: a.quantity * 100, restock: true, location: 'store' }],
            total: a.quantity * 100,
            taxes: [],
            tenders: [{ kind: 'cash', amount: a.quantity * 100, reference: null }],
            creditNote: null,
            reason: 'prueba',
            approval: null,
          },
        });
        const drafts = [created, ...asked.map(refund)];
        const owners = [0, ...asked.map((a) => a.device)];
        const start = Date.now();
        const eventIds = drafts.map(() => newId());
        const views = [];
        for (const [n, picks] of [pick0, pick1].entries()) {
          // Each device's events in chain order; the two streams merged as the picks say.
          const streams = [0, 1].map((d) => drafts.map((draft, i) => ({ draft, i })).filter((x) => owners[x.i] === d).map((x) => seal(n, devices[d]!, x.draft, start + x.i, eventIds[x.i]!)));
          const order: EventEnvelope[] = [];
          for (let k = 0; streams[0]!.length + streams[1]!.length > 0; k++) order.push(streams[picks[k % picks.length]! && streams[1]!.length > 0 ? 1 : streams[0]!.length > 0 ? 0 : 1]!.shift()!);
          const c = nodes[n]!;
          for (const event of order) {
            expect(await applyRemoteEvents(c.store.db, { storeId: c.own.storeId, deviceId: c.store.identity.deviceId, mode: 'remote' }, [event], route)).toMatchObject({ applied: 1, parked: [], refused: [] });
          }
          const [row] = await c.store.db.query<{ row: unknown }>('SELECT row FROM sales WHERE store_id = $1 AND id = $2', [c.own.storeId, saleId]);
          const moves = await c.store.db.query('SELECT pos, product_id::text, location, quantity::int, kind FROM stock_movements WHERE store_id = $1 AND source_id = $2 ORDER BY event_id, pos', [c.own.storeId, saleId]);
          const anomaly = (await c.ask('sales.anomalies', {})).items.find((i: { saleId: string }) => i.saleId === saleId);
          const lines = (await c.ask('sales.find', { code: saleId })).lines.map((l: { overRefunded: number }) => l.overRefunded);
          views.push({ row: row!.row, moves, anomaly: anomaly ?? null, lines });
        }
        expect(views[1]).toEqual(views[0]);
        const expected = SOLD.map((sold, i) => Math.max(0, asked.filter((a) => a.line === i).reduce((s, a) => s + a.quantity, 0) - sold));
        expect(views[0]!.lines).toEqual(expected);
        expect(views[0]!.anomaly === null).toBe(expected.every((x) => x === 0));
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 8) },
    );
    for (const c of nodes) expect(await verifyReadModels(c.store.db, c.own.storeId, allProjections, route)).toEqual([]);
  }, 600_000);
});
