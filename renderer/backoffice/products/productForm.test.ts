import { describe, expect, it } from 'vitest';
import { product } from '../../test/fixtures.js';
import { emptyProductForm, formFromProduct, placeIssues, splitBarcodes, toCreateInput, toPatch } from './productForm.js';

describe('product form', () => {
  it('parses prices typed either way and splits barcodes', () => {
    const v = { ...emptyProductForm, name: ' Yerba ', price: '1.234,50', barcodes: '7790001, 7790002,,', sku: ' ' };
    expect(toCreateInput(v, 'ARS')).toEqual({
      ok: true,
      input: { name: 'Yerba', price: 123_450, barcodes: ['7790001', '7790002'], unit: 'unit', trackStock: true },
    });
    expect(toCreateInput({ ...v, price: '1234.50' }, 'ARS')).toMatchObject({ input: { price: 123_450 } });
    expect(toCreateInput({ ...v, price: 'doce' }, 'ARS')).toEqual({ ok: false, field: 'price' });
    expect(splitBarcodes(' a b;c ')).toEqual(['a', 'b', 'c']);
  });

  it('sends only what changed, clearing emptied optional fields', () => {
    const p = product({ sku: 'Y-1', barcodes: ['1', '2'] });
    const v = formFromProduct(p);
    expect(toPatch(p, v)).toBeUndefined();
    expect(toPatch(p, { ...v, sku: '', unit: 'kg' })).toEqual({ sku: null, unit: 'kg' });
    expect(toPatch(p, { ...v, barcodes: '2, 1' })).toEqual({ barcodes: ['2', '1'] });
  });

  it('places node issues next to their fields', () => {
    const { byField, rest } = placeIssues([
      { path: 'patch.name', message: 'name cannot be empty' },
      { path: 'barcodes.1', message: 'bad barcode' },
      { path: 'price', message: 'is too large' },
      { path: 'version', message: 'stale' },
    ]);
    expect(byField).toEqual({ name: 'name cannot be empty', barcodes: 'bad barcode', price: 'is too large' });
    expect(rest).toEqual(['version: stale']);
  });
});
