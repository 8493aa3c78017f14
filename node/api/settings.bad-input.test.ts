import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids.js';
import { databaseDigest } from '../../test/support/digest.js';
import { startTestNode, type TestNode } from '../../test/support/node.js';

/**
 * settings.update refuses every bad value with a 400 and a message for the field, and changes nothing: the digest
 * of every table is the same before and after. (The contract-wide suite covers the envelope; these are the values.)
 */
const nomenclatureEntry = { prefix: '20', kind: 'weight', itemCodeLength: 5, decimals: 3, priceCheckDigit: false };
const limit = { maxPercentBp: 1000, maxAmount: null };

const BAD: [string, unknown][] = [
  ['no changes', {}],
  ['an unknown key', { colour: 'red' }],
  ['empty store name', { storeName: '   ' }],
  ['store name too long', { storeName: 'x'.repeat(61) }],
  ['store name with NUL', { storeName: 'Kiosco\u0000' }],
  ['store name with a bidi override', { storeName: 'Kiosco \u202Eoferta' }],
  ['store name a number', { storeName: 42 }],
  ['nine header lines', { receiptHeader: Array.from({ length: 9 }, (_, i) => `Línea ${i}`) }],
  ['a header line too long', { receiptHeader: ['x'.repeat(49)] }],
  ['a footer line with a control character', { receiptFooter: ['Gracias\u0007'] }],
  ['footer not a list', { receiptFooter: 'Gracias' }],
  ['no denominations', { cashDenominations: [] }],
  ['denominations not largest first', { cashDenominations: [100, 500] }],
  ['a denomination twice', { cashDenominations: [500, 500, 100] }],
  ['a zero denomination', { cashDenominations: [500, 0] }],
  ['a negative denomination', { cashDenominations: [500, -100] }],
  ['a fractional denomination', { cashDenominations: [500, 0.5] }],
  ['a huge denomination', { cashDenominations: [1e16] }],
  ['rounding without a step', { cashRounding: { mode: 'nearest' } }],
  ['rounding to 1', { cashRounding: { mode: 'nearest', step: 1 } }],
  ['rounding mode unknown', { cashRounding: { mode: 'up', step: 10 } }],
  ['rounding step as text', { cashRounding: { mode: 'nearest', step: '10' } }],
  ['no tax rates', { taxRates: [] }],
  ['a tax rate twice', { taxRates: [{ rateBp: 2100, label: 'IVA' }, { rateBp: 2100, label: 'IVA bis' }] }],
  ['a tax rate over 100 %', { taxRates: [{ rateBp: 10_001, label: 'x' }] }],
  ['a negative tax rate', { taxRates: [{ rateBp: -1, label: 'x' }] }],
  ['a tax rate without label', { taxRates: [{ rateBp: 2100, label: '' }] }],
  ['discount limits missing a role', { discountLimits: { supervisor: limit, cashier: limit } }],
  ['discount limits for the owner', { discountLimits: { supervisor: limit, cashier: limit, stockClerk: limit, owner: limit } }],
  ['a discount limit over 100 %', { discountLimits: { supervisor: limit, cashier: { maxPercentBp: 20_000, maxAmount: null }, stockClerk: limit } }],
  ['a negative discount amount', { discountLimits: { supervisor: limit, cashier: { maxPercentBp: 10, maxAmount: -1 }, stockClerk: limit } }],
  ['negative over/short threshold', { overShortThreshold: -1 }],
  ['NaN over/short threshold', { overShortThreshold: 'NaN' }],
  ['fractional over/short threshold', { overShortThreshold: 1.5 }],
  ['a scale prefix outside 20–29', { scaleNomenclature: [{ ...nomenclatureEntry, prefix: '30' }] }],
  ['a scale prefix twice', { scaleNomenclature: [nomenclatureEntry, nomenclatureEntry] }],
  ['a verifier over a 6-digit value', { scaleNomenclature: [{ ...nomenclatureEntry, itemCodeLength: 3, priceCheckDigit: true }] }],
  ['four weight decimals', { scaleNomenclature: [{ ...nomenclatureEntry, decimals: 4 }] }],
  ['eleven scale prefixes', { scaleNomenclature: Array.from({ length: 11 }, () => nomenclatureEntry) }],
  ['scanner gap of 0 ms', { scannerTiming: { maxKeyGapMs: 0, minLength: 4 } }],
  ['scanner gap of a second', { scannerTiming: { maxKeyGapMs: 1000, minLength: 4 } }],
  ['scanner minimum length 2', { scannerTiming: { maxKeyGapMs: 50, minLength: 2 } }],
  ['merge repeat scans as text', { mergeRepeatScans: 'yes' }],
  ['idle timeout 0', { idleTimeoutMinutes: 0 }],
  ['idle timeout of months', { idleTimeoutMinutes: 100_000 }],
  ['a fiscal series with a space', { fiscalSeries: { ticket: 'B 0001', creditNote: 'NC-0001' } }],
  ['an empty fiscal series', { fiscalSeries: { ticket: '', creditNote: 'NC-0001' } }],
  ['a fiscal series too long', { fiscalSeries: { ticket: 'B'.repeat(21), creditNote: 'NC-0001' } }],
  ['stock policy null', { stockBlockOffline: null }],
  ['a huge string', { storeName: 'x'.repeat(200_000) }],
];

describe('settings.update refuses bad values and changes nothing', () => {
  let t: TestNode;
  beforeAll(async () => {
    t = await startTestNode();
    const ok = await t.call('settings.update', { changes: { storeName: 'Kiosco', idleTimeoutMinutes: 20 } });
    expect(ok.status).toBe(200);
  }, 120_000);
  afterAll(async () => t?.stop());

  it.each(BAD)('%s', async (_label, changes) => {
    const before = await databaseDigest(t.node.store.db);
    const res = await t.call('settings.update', { changes }, { commandId: newId(), headers: { 'accept-language': 'es' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('ValidationError');
    expect(typeof res.body.error.message).toBe('string');
    expect(res.body.error.message).not.toMatch(/zod|undefined|\[object/i);
    expect(await databaseDigest(t.node.store.db)).toEqual(before);
  });

  it('still has the values set before', async () => {
    const res = await t.call('settings.get', {});
    expect(res.body.result.values).toMatchObject({ storeName: 'Kiosco', idleTimeoutMinutes: 20 });
  });
});
