import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PayloadOf } from '../../shared/events.js';
import { applyStockEvent, stockOf, type MovementsRow, type StockEvent } from './movements.model.js';

const envelope = (event_id: string) => ({ event_id, command_id: 'c', store_id: 's', device_id: 'd', device_seq: 1, version: 1, actor_id: 'a', hlc: event_id, created_at: 't', prev_hash: '', hash: '' });
const line = (lineId: string, productId: string, quantity: number) => ({ lineId, productId, quantity, location: 'store' });

const created = (id: string, lines: ReturnType<typeof line>[]) =>
  ({ ...envelope(id), type: 'SaleCreated', payload: { saleId: 'sale', lines } as unknown as PayloadOf<'SaleCreated'> }) as StockEvent;
const refunded = (id: string, lines: (ReturnType<typeof line> & { restock: boolean })[]) =>
  ({ ...envelope(id), type: 'SaleRefunded', payload: { saleId: 'sale', lines } as unknown as PayloadOf<'SaleRefunded'> }) as StockEvent;
const voided = (id: string) => ({ ...envelope(id), type: 'SaleVoided', payload: { saleId: 'sale' } as PayloadOf<'SaleVoided'> }) as StockEvent;

const fold = (events: StockEvent[]) => events.reduce<MovementsRow | undefined>((row, e) => applyStockEvent(row, e, 'sale'), undefined)!;

describe('stock movements of a sale', () => {
  it('a sale takes its lines off, a void puts them all back, a refund puts back only what it restocks', () => {
    const sale = created('e1', [line('l1', 'p1', 2000), line('l2', 'p2', 500)]);
    expect(stockOf([fold([sale])])).toEqual(new Map([['p1|store', -2000], ['p2|store', -500]]));
    expect(stockOf([fold([sale, voided('e2')])])).toEqual(new Map([['p1|store', 0], ['p2|store', 0]]));
    const refund = refunded('e2', [{ ...line('l1', 'p1', 1000), restock: true }, { ...line('l2', 'p2', 500), restock: false }]);
    expect(stockOf([fold([sale, refund])])).toEqual(new Map([['p1|store', -1000], ['p2|store', -500]]));
    expect(fold([sale, refund]).movements.map((m) => m.kind)).toEqual(['sale', 'sale', 'refund']);
  });

  it('stock is the sum of the signed movements, whatever the refunds (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 9000 }), { minLength: 1, maxLength: 4 }), fc.array(fc.tuple(fc.nat(3), fc.integer({ min: 1, max: 9000 }), fc.boolean()), { maxLength: 6 }), (sold, refunds) => {
        const lines = sold.map((q, i) => line(`l${i}`, `p${i % 2}`, q));
        const events = [created('e0', lines), ...refunds.map(([i, q, restock], k) => refunded(`e${k + 1}`, [{ ...lines[i % lines.length]!, quantity: q, restock }]))];
        const expected = new Map<string, number>();
        for (const l of lines) expected.set(`${l.productId}|store`, (expected.get(`${l.productId}|store`) ?? 0) - l.quantity);
        for (const [i, q, restock] of refunds) if (restock) { const p = `${lines[i % lines.length]!.productId}|store`; expected.set(p, expected.get(p)! + q); }
        expect(stockOf([fold(events)])).toEqual(expected);
      }),
    );
  });

  it('holds the same row whatever order the refunds of several terminals arrive in (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 9000 }), fc.boolean(), fc.nat()), { minLength: 1, maxLength: 6 }), fc.nat(6), (refunds, at) => {
        const lines = [line('l0', 'p0', 9000), line('l1', 'p1', 9000)];
        const events = refunds.map(([q, restock], k) => refunded(`e${k + 1}`, [{ ...lines[k % 2]!, quantity: q, restock }, { ...lines[(k + 1) % 2]!, quantity: q, restock: true }]));
        const shuffled = events.map((e, k) => ({ e, key: refunds[k]![2] })).sort((a, b) => a.key - b.key).map((x) => x.e);
        const sale = created('e0', lines);
        const arrived = fold([...shuffled.slice(0, at), sale, ...shuffled.slice(at)]);
        expect(arrived).toEqual(fold([sale, ...events]));
        // A replay of an event changes nothing.
        expect(applyStockEvent(arrived, events[0]!, 'sale')).toEqual(arrived);
      }),
    );
  });
});
