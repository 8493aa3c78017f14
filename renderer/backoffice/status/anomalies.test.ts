import { describe, expect, it } from 'vitest';
import type { OverRefundView } from '../../../shared/contract/index.js';
import { translator } from '../../i18n/translate.js';
import { anomalyText } from './anomalies.js';

const now = new Date(2026, 11, 7, 18, 0).getTime();
const at = (h: number) => new Date(2026, 11, 7, h, 0).toISOString();
/** Intl puts a no-break space between the currency sign and the amount. */
const plain = (lines: string[]) => lines.map((l) => l.replace(/\u00a0/g, ' '));
const item: OverRefundView = {
  saleId: 's1',
  fiscal: { series: 'B-0001', docType: 'ticket', number: 12, rangeId: 'g1' },
  deviceId: '01900000-0000-7000-8000-00000000aaaa',
  createdAt: at(9),
  currency: 'ARS',
  voided: false,
  lines: [{ lineId: 'l1', productId: 'p1', name: 'Yerba 1 kg', sold: 2000, refunded: 3000, over: 1000, soldAmount: 500000, refundedAmount: 750000, overAmount: 250000 }],
  refunds: [
    { refundId: 'r1', eventId: 'e1', deviceId: '01900000-0000-7000-8000-00000000aaaa', at: at(10), by: 'ana', creditNote: { series: 'NC-0001', docType: 'creditNote', number: 3, rangeId: 'g2' }, lines: [{ lineId: 'l1', quantity: 2000, amount: 500000 }] },
    { refundId: 'r2', eventId: 'e2', deviceId: '01900000-0000-7000-8000-00000000bbbb', at: at(11), by: 'beto', creditNote: null, lines: [{ lineId: 'l1', quantity: 1000, amount: 250000 }] },
  ],
};

describe('an over-refund in words for the owner', () => {
  it('says what was sold and given back, how much too many, and which terminal gave back what', () => {
    const text = anomalyText(item, translator('es'), 'es-AR', now);
    expect(text.title).toBe('Venta B-0001 N.º 12 · hoy a las 09:00');
    expect(plain(text.lines)).toEqual(['Yerba 1 kg: se vendió 2 por $ 5.000,00 y se devolvió 3 por $ 7.500,00: 1 de más ($ 2.500,00).']);
    expect(plain(text.refunds)).toEqual([
      'Devolución NC-0001 N.º 3 en la caja …aaaa, hoy a las 10:00: $ 5.000,00.',
      'Devolución sin número en la caja …bbbb, hoy a las 11:00: $ 2.500,00.',
    ]);
  });

  it('tells a refund of a voided sale apart', () => {
    const text = anomalyText({ ...item, voided: true }, translator('es'), 'es-AR', now);
    expect(text.lines[0]).toMatch(/^Yerba 1 kg: la venta ya estaba anulada \(la anulación devolvió todo\) y además se devolvió 3 por/);
  });
});
