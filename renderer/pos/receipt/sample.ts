import type { Receipt } from '../../../shared/receipt.js';

/**
 * A sale receipt with every part a receipt can have (weighed goods, a discount, two tax rates, cash rounding, split
 * tender with change), for the settings screen's preview and the layout tests. Figures add up as the sale does.
 */
export function sampleReceipt(store: Receipt['store'], currency = 'ARS', copy = false): Receipt {
  return {
    kind: 'sale',
    documentId: '01900000-0000-7000-8000-000000000001',
    saleId: '01900000-0000-7000-8000-000000000001',
    store,
    fiscal: { series: 'B-0001', docType: 'ticket', number: 1234, rangeId: '01900000-0000-7000-8000-000000000002' },
    currency,
    lines: [
      { name: 'Yerba Mate Playadito 1kg', quantity: 2000, unit: 'unit', unitPrice: 450_000, discount: 0, total: 900_000, taxRateBp: 2100 },
      { name: 'Queso cremoso La Serenísima (por kilo)', quantity: 1250, unit: 'kg', unitPrice: 980_000, discount: 25_000, total: 1_200_000, taxRateBp: 2100 },
      { name: 'Pan francés', quantity: 500, unit: 'kg', unitPrice: 240_000, discount: 0, total: 120_000, taxRateBp: 1050 },
    ],
    ticketDiscount: 20_000,
    total: 2_200_000,
    rounding: -50,
    taxes: [
      { rateBp: 2100, base: 1_727_273, tax: 362_727 },
      { rateBp: 1050, base: 108_416, tax: 11_384 },
    ],
    tenders: [
      { kind: 'card', amount: 1_000_000, received: 1_000_000, reference: 'VISA 4321' },
      { kind: 'cash', amount: 1_199_950, received: 1_500_000, reference: null },
    ],
    change: 300_050,
    cashier: 'María G.',
    issuedAt: '2026-11-29T14:32:05.000Z',
    barcode: 'V-0001-00001234',
    copy,
  };
}
