import { describe, expect, it } from 'vitest';
import { receiptSchema } from '../../../shared/receipt.js';
import { translator } from '../../i18n/index.js';
import { center, COLUMNS, layoutReceipt, pair, wrap, type Paper } from './layout.js';
import { pageCss } from './print.js';
import { sampleReceipt } from './sample.js';

const store = { name: 'Almacén Don José', header: ['Av. Siempreviva 742', 'CUIT 20-12345678-9'], footer: ['¡Gracias por su compra!'] };
const t = translator('es');
const text = (paper: Paper, copy = false) =>
  layoutReceipt(sampleReceipt(store, 'ARS', copy), { paper, locale: 'es-AR', t, timeZone: 'America/Argentina/Buenos_Aires' }).map((l) => l.text);

describe('receipt layout', () => {
  it('the sample is a valid receipt', () => {
    expect(receiptSchema.safeParse(sampleReceipt(store)).success).toBe(true);
  });

  it.each([58, 80] as const)('never writes past the %i mm paper width', (paper) => {
    for (const line of text(paper)) expect(line.length).toBeLessThanOrEqual(COLUMNS[paper]);
  });

  it.each([58, 80] as const)('shows every part of a sale on %i mm', (paper) => {
    const all = text(paper).join('\n');
    expect(all).toContain('Almacén Don José');
    expect(all).toContain('CUIT 20-12345678-9');
    expect(all).toContain('B-0001 N° 00001234');
    expect(all).toContain('Atendió: María G.');
    expect(all).toMatch(/29\/11\/2026,? 11:32:05/);
    expect(all).toMatch(/1,250 kg x \$ 9\.800,00\/kg/);
    expect(all).toMatch(/Descuento +-\$ 250,00/);
    expect(all).toMatch(/Descuento del ticket +-\$ 200,00/);
    expect(all).toMatch(/TOTAL +\$ 22\.000,00/);
    expect(all).toMatch(/Redondeo +-\$ 0,50/);
    expect(all).toMatch(/TOTAL A PAGAR +\$ 21\.999,50/);
    expect(all).toMatch(/Tarjeta +\$ 10\.000,00/);
    expect(all).toContain('Ref. VISA 4321');
    expect(all).toMatch(/Recibido +\$ 15\.000,00/);
    expect(all).toMatch(/Vuelto +\$ 3\.000,50/);
    expect(all).toMatch(/Impuesto 21% .*\$ 3\.627,27/);
    expect(all).toMatch(/Impuesto 10,5% .*\$ 113,84/);
    expect(all).toContain('¡Gracias por su compra!');
    expect(all).not.toContain('COPIA');
  });

  it('marks a reprint as a copy', () => {
    expect(text(58, true).join('\n')).toContain('*** COPIA ***');
  });

  it('names a tax rate as the store does, and a credit note by its document type', () => {
    const receipt = { ...sampleReceipt(store), kind: 'refund' as const, fiscal: { series: 'NC-0001', docType: 'creditNote' as const, number: 7, rangeId: '01900000-0000-7000-8000-000000000003' } };
    const lines = layoutReceipt(receipt, { paper: 80, locale: 'es-AR', t, taxLabels: new Map([[2100, 'IVA 21%']]) }).map((l) => l.text).join('\n');
    expect(lines).toContain('NOTA DE CRÉDITO');
    expect(lines).toContain('NC-0001 N° 00000007');
    expect(lines).toMatch(/IVA 21% \(\$ 17\.272,73\) +\$ 3\.627,27/);
  });

  it('wraps, pairs and centers within the width', () => {
    expect(wrap('Una descripción bastante larga de un producto', 16)).toEqual(['Una descripción', 'bastante larga', 'de un producto']);
    expect(wrap('X'.repeat(20), 8)).toEqual(['XXXXXXXX', 'XXXXXXXX', 'XXXX']);
    expect(wrap('  Ref. una referencia larga', 16)).toEqual(['  Ref. una', '  referencia', '  larga']);
    expect(pair('Total', '$ 10', 12)).toEqual(['Total   $ 10']);
    expect(pair('Un nombre muy largo', '$ 1.000,00', 16)).toEqual(['Un nombre muy', 'largo $ 1.000,00']);
    expect(center('ab', 6)).toBe('  ab');
  });

  it('sizes the printed page to the paper', () => {
    expect(pageCss(58, 120)).toBe('@page { size: 58mm 120mm; margin: 0; }');
  });
});
