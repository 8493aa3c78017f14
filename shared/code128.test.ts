import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CODE128_PATTERNS, code128Values, code128Widths } from './code128.js';

/** A reader written apart from the encoder: widths → symbols → text, checking the check symbol on the way. */
function decode(widths: number[]): string {
  const symbols: number[] = [];
  for (let i = 0; i < widths.length - 7; i += 6) symbols.push(CODE128_PATTERNS.indexOf(widths.slice(i, i + 6).join('')));
  expect(widths.slice(-7).join('')).toBe('2331112');
  const [start, ...rest] = symbols;
  const check = rest.pop()!;
  let weighted = start!;
  rest.forEach((v, k) => (weighted += v * (k + 1)));
  expect(weighted % 103).toBe(check);
  let set = start === 105 ? 'C' : 'B';
  let text = '';
  for (const v of rest) {
    // In set C, 99 is the digits "99" and 100 goes to B; in set B, 99 goes to C.
    if (set === 'C') {
      if (v === 100) set = 'B';
      else text += String(v).padStart(2, '0');
    } else if (v === 99) set = 'C';
    else text += String.fromCharCode(v + 32);
  }
  return text;
}

describe('Code 128', () => {
  it('has 107 distinct symbols of 11 modules (the stop 13), with an even bar width sum', () => {
    expect(new Set(CODE128_PATTERNS).size).toBe(107);
    CODE128_PATTERNS.forEach((p, i) => {
      const widths = [...p].map(Number);
      expect(widths.reduce((a, b) => a + b, 0)).toBe(i === 106 ? 13 : 11);
      expect(widths.filter((_, k) => k % 2 === 0).reduce((a, b) => a + b, 0) % 2).toBe(0);
    });
  });

  it('encodes "Wikipedia" in set B with check symbol 88 (worked by hand)', () => {
    expect(code128Values('Wikipedia')).toEqual([104, 55, 73, 75, 73, 80, 69, 68, 73, 65, 88, 106]);
  });

  it('packs an even run of digits in set C: 1234567890 → check 85', () => {
    expect(code128Values('1234567890')).toEqual([105, 12, 34, 56, 78, 90, 85, 106]);
  });

  it('switches to set C for a long run of digits at the end, keeping an odd first digit in B', () => {
    const values = code128Values('V-123456789');
    expect(values.slice(0, 6)).toEqual([104, 54, 13, 17, 99, 23]);
    expect(decode(code128Widths('V-123456789'))).toBe('V-123456789');
  });

  it('round-trips any printable ASCII text through a separate reader', () => {
    const char = fc.oneof(fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), fc.constantFrom('0', '1', '5', '9'));
    fc.assert(
      fc.property(fc.array(char, { minLength: 1, maxLength: 40 }), (chars) => {
        const text = chars.join('');
        expect(decode(code128Widths(text))).toBe(text);
      }),
    );
  });

  it('refuses what it cannot carry', () => {
    expect(() => code128Values('ñandú')).toThrow();
    expect(() => code128Values('')).toThrow();
  });
});
