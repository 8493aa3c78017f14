import { afterAll, describe, expect, it } from 'vitest';
import type { PayloadOf } from '../../shared/events.js';
import { newId } from '../../shared/ids.js';
import type { Db } from '../db/types.js';
import { openDataDir } from '../runtime/open.js';
import { tempDir } from '../../test/support/tmp.js';
import { applyStockEvent, type StockEvent } from './movements.model.js';
import { stockMovementsProjection } from './movements.projection.js';

/**
 * Found by the soak (test/chaos/soak.test.ts): two terminals, each cut off, refund lines of the same sale; one node
 * receives the refunds one way round, another the other way. Both must store the same movement rows (position
 * included: the read models are compared by digest; rows are keyed by event and place within it, migration 0028), and stock must stay the sum of the movements.
 */
const [SALE, REFUND_EARLY, REFUND_LATE] = [newId(), newId(), newId()].sort();
const SALE_ID = newId();
const [P1, P2] = [newId(), newId()];
const STORE = newId();

const envelope = (event_id: string) => ({ event_id, command_id: 'c', store_id: STORE, device_id: 'd', device_seq: 1, version: 1, actor_id: 'a', hlc: event_id, created_at: 't', prev_hash: '', hash: '' });
const sale = { ...envelope(SALE!), type: 'SaleCreated', payload: { saleId: SALE_ID, lines: [{ productId: P1, quantity: 3000, location: 'store' }, { productId: P2, quantity: 1000, location: 'store' }] } as unknown as PayloadOf<'SaleCreated'> } as StockEvent;
const refund = (id: string, productId: string, quantity: number) =>
  ({ ...envelope(id), type: 'SaleRefunded', payload: { saleId: SALE_ID, lines: [{ productId, quantity, location: 'store', restock: true }] } as unknown as PayloadOf<'SaleRefunded'> }) as StockEvent;
const early = refund(REFUND_EARLY!, P1, 2000);
const late = refund(REFUND_LATE!, P2, 1000);

describe('stock movements of a sale refunded on two terminals', () => {
  it('the pure fold gives the same movements whichever refund arrives first', () => {
    const fold = (events: StockEvent[]) => events.reduce<ReturnType<typeof applyStockEvent> | undefined>((row, e) => applyStockEvent(row, e, SALE_ID), undefined)!;
    const oneWay = fold([sale, early, late]);
    const otherWay = fold([sale, late, early]);
    expect(otherWay.movements).toEqual(oneWay.movements);
    expect(oneWay.movements.map((m) => m.eventId)).toEqual([SALE, SALE, REFUND_EARLY, REFUND_LATE]);
  });

  describe('applied one event per transaction on PGlite', () => {
    const tmp = tempDir('mostrador-stock-converge-');
    afterAll(() => tmp.remove());

    const applyEach = async (db: Db, events: StockEvent[]) => {
      for (const event of events) {
        await db.write(async (tx) => {
          const held = await stockMovementsProjection.load(tx, STORE, [SALE_ID]);
          await stockMovementsProjection.save(tx, STORE, [applyStockEvent(held.get(SALE_ID), event, SALE_ID)]);
        });
      }
    };
    const tables = async (db: Db) => ({
      movements: await db.query('SELECT pos, product_id::text, quantity::int, kind, event_id::text FROM stock_movements WHERE store_id = $1 ORDER BY event_id, pos', [STORE]),
      levels: await db.query('SELECT product_id::text, quantity::int FROM stock_levels WHERE store_id = $1 ORDER BY product_id', [STORE]),
    });

    it('both nodes store the same rows at the same positions, and the same stock', async () => {
      const a = await openDataDir(`${tmp.dir}/a`);
      const b = await openDataDir(`${tmp.dir}/b`);
      try {
        await applyEach(a.db, [sale, early, late]);
        await applyEach(b.db, [sale, late, early]);
        const [ta, tb] = [await tables(a.db), await tables(b.db)];
        expect(tb).toEqual(ta);
        expect(ta.movements.map((m) => (m as { event_id: string }).event_id)).toEqual([SALE, SALE, REFUND_EARLY, REFUND_LATE]);
        expect(ta.levels).toEqual([{ product_id: P1, quantity: -1000 }, { product_id: P2, quantity: 0 }].sort((x, y) => x.product_id.localeCompare(y.product_id)));
      } finally {
        await a.close();
        await b.close();
      }
    }, 120_000);
  });
});
