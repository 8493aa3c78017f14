import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_NOMENCLATURE,
  gs1CheckDigit,
  gs1Valid,
  interpretScan,
  makeScaleLabel,
  nomenclatureSchema,
  priceCheckDigit,
  type Nomenclature,
} from './barcodes.js';

/** An independent check digit, written the way the GS1 leaflet explains it (positions counted from the left). */
function checkFromLeft(body: string): number {
  const n = body.length + 1;
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const posFromRight = n - i; // the check digit is position 1
    sum += Number(body[i]) * (posFromRight % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

// Real codes, check digits verified by hand.
const REAL = [
  ['4006381333931', 'EAN-13 (Stabilo pen)'],
  ['5901234123457', 'EAN-13 (GS1 example)'],
  ['9780306406157', 'ISBN-13'],
  ['7790895000997', 'EAN-13 (Argentina, 779)'],
  ['96385074', 'EAN-8'],
  ['036000291452', 'UPC-A'],
  ['10614141000415', 'GTIN-14'],
] as const;

describe('GS1 check digits', () => {
  it.each(REAL)('%s (%s) is valid and its digit is computed both ways', (code) => {
    expect(gs1Valid(code)).toBe(true);
    expect(gs1CheckDigit(code.slice(0, -1))).toBe(Number(code.at(-1)));
    expect(checkFromLeft(code.slice(0, -1))).toBe(Number(code.at(-1)));
  });

  it.each(REAL)('%s with its last digit changed is refused', (code) => {
    const wrong = code.slice(0, -1) + String((Number(code.at(-1)) + 1) % 10);
    expect(gs1Valid(wrong)).toBe(false);
    expect(interpretScan(wrong, [])).toEqual({ kind: 'invalid', reason: 'checkDigit' });
  });

  it('agrees with the independent computation on any body', () => {
    fc.assert(
      fc.property(fc.constantFrom(7, 11, 12, 13), fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 0, max: 2 ** 31 }), (len, a, b) => {
        const body = (String(a) + String(b)).padStart(len, '0').slice(-len);
        expect(gs1CheckDigit(body)).toBe(checkFromLeft(body));
      }),
    );
  });

  it('catches every single-digit error', () => {
    const code = '5901234123457';
    for (let i = 0; i < code.length; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === code[i]) continue;
        expect(gs1Valid(code.slice(0, i) + d + code.slice(i + 1))).toBe(false);
      }
    }
  });
});

describe('price-verifier digit (GS1 General Specifications 7.9.3)', () => {
  it.each([
    ['2875', 9],
    ['14685', 6],
    ['0000', 0],
    ['00000', 0],
  ])('%s → %i', (value, digit) => {
    expect(priceCheckDigit(value)).toBe(digit);
  });
});

describe('interpretScan', () => {
  const nomenclature: Nomenclature = [
    { prefix: '20', kind: 'weight', itemCodeLength: 5, decimals: 3, priceCheckDigit: false },
    { prefix: '21', kind: 'price', itemCodeLength: 5, decimals: 2, priceCheckDigit: false },
    { prefix: '22', kind: 'price', itemCodeLength: 4, decimals: 2, priceCheckDigit: true },
    { prefix: '23', kind: 'weight', itemCodeLength: 4, decimals: 2, priceCheckDigit: false },
  ];

  // Labels built by hand: body, then the EAN-13 check digit from the independent function.
  const label = (body: string) => body + String(checkFromLeft(body));

  it('reads a weight label: item code and grams', () => {
    // 20 | 00123 | 01250 → 1.250 kg
    expect(interpretScan(label('200012301250'), nomenclature)).toEqual({ kind: 'scale', prefix: '20', itemCode: '00123', by: 'weight', quantity: 1250 });
  });

  it('reads a weight label with two decimals as thousandths', () => {
    // 23 | 0456 | 000075 → 0.75 kg = 750 g
    expect(interpretScan(label('230456000075'), nomenclature)).toEqual({ kind: 'scale', prefix: '23', itemCode: '0456', by: 'weight', quantity: 750 });
  });

  it('reads a price label into minor units of the currency', () => {
    // 21 | 04567 | 12345 → 123.45
    expect(interpretScan(label('210456712345'), nomenclature)).toEqual({ kind: 'scale', prefix: '21', itemCode: '04567', by: 'price', price: 12345 });
    // The same label in a currency without minor units (CLP): 123.45 → 123.
    expect(interpretScan(label('210456712345'), nomenclature, { currencyDigits: 0 })).toMatchObject({ price: 123 });
  });

  it('checks the price-verifier digit when the prefix has one', () => {
    // 22 | 1234 | 9 | 02875 … a 5-digit value: verifier of 02875 computed by the library, then one that is off by one.
    const good = makeScaleLabel(nomenclature[2]!, '1234', 2875);
    expect(good.slice(6, 7)).toBe(String(priceCheckDigit('02875')));
    expect(interpretScan(good, nomenclature)).toEqual({ kind: 'scale', prefix: '22', itemCode: '1234', by: 'price', price: 2875 });
    const badBody = good.slice(0, 6) + String((Number(good[6]) + 1) % 10) + good.slice(7, 12);
    expect(interpretScan(label(badBody), nomenclature)).toEqual({ kind: 'invalid', reason: 'priceCheckDigit' });
  });

  it('takes an in-store prefix the nomenclature does not list as a plain code', () => {
    const code = label('290000012345');
    expect(interpretScan(code, nomenclature)).toEqual({ kind: 'plain', code });
  });

  it('takes EAN, UPC and Code 128 labels with letters as plain codes', () => {
    expect(interpretScan('7790895000997', nomenclature)).toEqual({ kind: 'plain', code: '7790895000997' });
    expect(interpretScan('036000291452', nomenclature)).toEqual({ kind: 'plain', code: '036000291452' });
    expect(interpretScan(' ABC-123/x ', nomenclature)).toEqual({ kind: 'plain', code: 'ABC-123/x' });
    expect(interpretScan('12345', nomenclature)).toEqual({ kind: 'plain', code: '12345' });
  });

  it('refuses what no label carries', () => {
    expect(interpretScan('', nomenclature)).toEqual({ kind: 'invalid', reason: 'empty' });
    expect(interpretScan('caña\u0007', nomenclature)).toEqual({ kind: 'invalid', reason: 'characters' });
    expect(interpretScan('A'.repeat(49), nomenclature)).toEqual({ kind: 'invalid', reason: 'tooLong' });
  });

  it('round-trips any label it builds, for the default nomenclature and all layouts', () => {
    const prefixArb = fc
      .record({
        prefix: fc.constantFrom(...(['20', '21', '25', '29'] as const)),
        kind: fc.constantFrom('weight' as const, 'price' as const),
        itemCodeLength: fc.integer({ min: 3, max: 6 }),
        decimals: fc.integer({ min: 0, max: 3 }),
        priceCheckDigit: fc.boolean(),
      })
      .filter((p) => nomenclatureSchema.safeParse([p]).success);
    fc.assert(
      fc.property(prefixArb, fc.nat(), fc.nat(), (p, item, value) => {
        const len = 10 - p.itemCodeLength - (p.priceCheckDigit ? 1 : 0);
        const itemCode = String(item % 10 ** p.itemCodeLength).padStart(p.itemCodeLength, '0');
        const v = value % 10 ** len;
        const scan = interpretScan(makeScaleLabel(p, itemCode, v), [p], { currencyDigits: 3 });
        expect(scan).toMatchObject({ kind: 'scale', itemCode });
        if (scan.kind === 'scale' && scan.by === 'weight') expect(scan.quantity).toBe(v * 10 ** (3 - p.decimals));
        if (scan.kind === 'scale' && scan.by === 'price') expect(scan.price).toBe(v * 10 ** (3 - p.decimals));
      }),
    );
    expect(nomenclatureSchema.safeParse(DEFAULT_NOMENCLATURE).success).toBe(true);
  });

  it('refuses a nomenclature with a prefix twice or an impossible verifier layout', () => {
    const base = { kind: 'weight', itemCodeLength: 5, decimals: 3, priceCheckDigit: false } as const;
    expect(nomenclatureSchema.safeParse([{ prefix: '20', ...base }, { prefix: '20', ...base }]).success).toBe(false);
    expect(nomenclatureSchema.safeParse([{ prefix: '20', ...base, itemCodeLength: 3, priceCheckDigit: true }]).success).toBe(false);
    expect(nomenclatureSchema.safeParse([{ prefix: '30', ...base }]).success).toBe(false);
  });
});
