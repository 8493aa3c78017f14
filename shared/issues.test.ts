import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { because, issueMessage } from './issues.js';
import { isFieldMessageKey, renderMessage, userMessages } from './messages.js';

const schema = z.strictObject({
  name: z.string().min(1).max(5),
  code: z.string().min(3),
  price: z.number().int().min(0).max(100),
  qty: z.number().gt(0).lt(10),
  floor: z.number().min(5),
  id: z.string().uuid(),
  unit: z.enum(['unit', 'kg']),
  on: z.boolean(),
  tags: z.array(z.string()).min(1).max(2),
  nested: z.object({ a: z.string() }),
  custom: z.string().refine((s) => s === 'ok', because('badBarcode')),
  plain: z.string().refine((s) => s === 'ok', 'an English message of someone else'),
});

const valid = { name: 'a', code: 'abc', price: 1, qty: 1, floor: 5, id: '0190a0b0-0000-7000-8000-000000000000', unit: 'kg', on: true, tags: ['a'], nested: { a: 'x' }, custom: 'ok', plain: 'ok' };

/** The key (and params) each field's first issue maps to, parsed the way the API parses (`reportInput`). */
function keysFor(input: Record<string, unknown>) {
  const parsed = schema.safeParse(input, { reportInput: true });
  if (parsed.success) return {};
  const out: Record<string, unknown> = {};
  for (const issue of parsed.error.issues) {
    const path = issue.path.join('.');
    if (!(path in out)) {
      const { key, params } = issueMessage(issue);
      out[path] = params && key !== 'badBarcode' ? { key, params } : key;
    }
  }
  return out;
}

describe('zod issues as catalog keys', () => {
  it('the valid sample is valid', () => {
    expect(keysFor(valid)).toEqual({});
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['a missing field', { name: undefined }, { name: 'fieldRequired' }],
    ['wrong types', { name: 1, price: 'x', on: 'yes', tags: 'a', nested: [] }, { name: 'fieldMustBeText', price: 'fieldMustBeNumber', on: 'fieldMustBeYesNo', tags: 'fieldMustBeList', nested: 'fieldMustBeObject' }],
    ['NaN-like numbers', { price: Number.NaN, qty: Number.POSITIVE_INFINITY }, { price: 'fieldMustBeNumber', qty: 'fieldMustBeNumber' }],
    ['a fraction', { price: 1.5 }, { price: 'fieldMustBeWhole' }],
    ['empty and short text', { name: '', code: 'ab' }, { name: 'textEmpty', code: { key: 'textTooShort', params: { min: 3 } } }],
    ['long text', { name: 'abcdef' }, { name: { key: 'textTooLong', params: { max: 5 } } }],
    ['number bounds', { price: -1, floor: 4 }, { price: 'numberNegative', floor: { key: 'numberTooSmall', params: { min: 5 } } }],
    ['number above', { price: 101 }, { price: { key: 'numberTooLarge', params: { max: 100 } } }],
    ['2^53', { price: 2 ** 53 }, { price: { key: 'numberTooLarge', params: { max: Number.MAX_SAFE_INTEGER } } }],
    ['exclusive bounds', { qty: 0 }, { qty: { key: 'numberAbove', params: { min: 0 } } }],
    ['exclusive upper bound', { qty: 10 }, { qty: { key: 'numberBelow', params: { max: 10 } } }],
    ['list bounds', { tags: [] }, { tags: { key: 'listTooShort', params: { min: 1 } } }],
    ['long list', { tags: ['a', 'b', 'c'] }, { tags: { key: 'listTooLong', params: { max: 2 } } }],
    ['not a uuid', { id: '------------------------------------' }, { id: 'notAnId' }],
    ['not an option', { unit: 'litro' }, { unit: { key: 'fieldChoice', params: { options: '"unit", "kg"' } } }],
    ['unknown keys', { zz: 1, yy: 2 }, { '': { key: 'fieldUnknown', params: { keys: 'zz, yy' } } }],
    ['a rule of ours', { custom: 'no' }, { custom: 'badBarcode' }],
    ['a rule that names no key', { plain: 'no' }, { plain: 'fieldInvalid' }],
  ])('%s', (_label, change, expected) => {
    expect(keysFor({ ...valid, ...change })).toEqual(expected);
  });

  it('because() gives zod an English message and the API the key', () => {
    const parsed = z.string().refine(() => false, because('nothingToChange')).safeParse('x');
    expect(parsed.error?.issues[0]).toMatchObject({ message: 'There is nothing to change.', params: { messageKey: 'nothingToChange' } });
  });
});

describe('the message catalog', () => {
  it('says every message in Spanish and in English, differently', () => {
    const named = { min: 1, max: 2, options: '"a"', keys: 'x', barcode: '1', owner: 'o', role: 'r', method: 'm', path: 'name', key: 'textEmpty' };
    // Any other parameter (a domain's amount, a count, a date) gets a value that reads as text, a number and money.
    const params = new Proxy(named, {
      get: (target, key) => (key in target ? target[key as keyof typeof named] : { amount: 1234, currency: 'ARS', valueOf: () => 3, toString: () => '3' }),
    });
    for (const key of Object.keys(userMessages) as (keyof typeof userMessages)[]) {
      const es = renderMessage('es', key, params);
      const en = renderMessage('en', key, params);
      expect(es.length, key).toBeGreaterThan(5);
      expect(en.length, key).toBeGreaterThan(5);
      expect(es, key).not.toBe(en);
    }
  });

  it('names the field of a validation summary in the reader’s words, numbers in their format', () => {
    const summary = { path: 'patch.name', key: 'textTooLong', params: { max: 12000 } } as const;
    expect(renderMessage('es', 'invalidInput', summary)).toBe('Los datos no son válidos — nombre: Es demasiado largo: como máximo 12.000 caracteres.');
    expect(renderMessage('en', 'invalidInput', summary)).toBe('The input is not valid — name: Is too long: at most 12,000 characters.');
    expect(renderMessage('es', 'invalidInput', { path: 'zz.qq', key: 'fieldRequired' })).toBe('Los datos no son válidos — zz.qq: Falta este dato.');
    expect(isFieldMessageKey('textBidi')).toBe(true);
    expect(isFieldMessageKey('productNotFound')).toBe(false);
  });
});
