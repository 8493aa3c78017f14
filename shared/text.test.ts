import { describe, expect, it } from 'vitest';
import { optionalTextSchema, textProblem, textSchema } from './text.js';

const name = textSchema(120, 'name');
const optional = optionalTextSchema(40, 'SKU');

/** The message key a schema refuses a value with (undefined when it accepts it). */
function refusal(schema: typeof name, value: string): unknown {
  const parsed = schema.safeParse(value);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0]!;
  return issue.code === 'custom' ? issue.params?.messageKey : issue.code;
}

describe('visible text', () => {
  it.each([
    ['Yerba Mate 1kg', 'Yerba Mate 1kg'],
    ['Azúcar Ñandú', 'Azúcar Ñandú'],
    ['  Leche 1L \u00a0', 'Leche 1L'],
    ['Gaseosa $1000', 'Gaseosa $1000'],
    ['🍺 Cerveza', '🍺 Cerveza'],
    ['Combo 👨\u200d👩\u200d👧', 'Combo 👨\u200d👩\u200d👧'],
    ['Café ☕\ufe0f', 'Café ☕\ufe0f'],
    ['شاي أخضر', 'شاي أخضر'],
    ['\u2800x', '\u2800x'],
    ['-', '-'],
    ['5', '5'],
  ])('accepts %j as %j', (input, stored) => {
    expect(name.parse(input)).toBe(stored);
  });

  it('stores one spelling of each letter (NFC), so "é" typed two ways is one name', () => {
    expect(name.parse('Cafe\u0301')).toBe('Caf\u00e9');
    expect(name.parse('N\u0303oquis')).toBe('\u00d1oquis');
    // The bound counts what is stored: 120 decomposed "é" are 240 code units typed, 120 stored.
    expect(name.parse('e\u0301'.repeat(120))).toBe('\u00e9'.repeat(120));
  });

  it.each([
    // half of a surrogate pair: PostgreSQL's jsonb refuses it
    ['\ud800', 'textBroken'],
    ['Yerba\udc00', 'textBroken'],
    ['a\udbffb', 'textBroken'],
    ['\udc00\ud800', 'textBroken'],
    // C0, DEL, C1 and line separators
    ['a\u0000b', 'textControl'],
    ['a\u001bb', 'textControl'],
    ['a\u007fb', 'textControl'],
    ['a\u0080b', 'textControl'],
    ['a\u0085b', 'textControl'],
    ['a\u009fb', 'textControl'],
    ['a\u2028b', 'textControl'],
    ['a\u2029b', 'textControl'],
    // bidi embeddings, overrides, isolates and marks: "Gaseosa $1000" must not be able to read otherwise
    ['Gaseosa \u202e0001$', 'textBidi'],
    ['a\u202ab', 'textBidi'],
    ['a\u202bb', 'textBidi'],
    ['a\u202cb', 'textBidi'],
    ['a\u202db', 'textBidi'],
    ['a\u2066b', 'textBidi'],
    ['a\u2067b', 'textBidi'],
    ['a\u2068b', 'textBidi'],
    ['a\u2069b', 'textBidi'],
    ['$\u200f1000', 'textBidi'],
    ['a\u200eb', 'textBidi'],
    ['a\u061cb', 'textBidi'],
    // noncharacters
    ['a\ufdd0b', 'textNoncharacter'],
    ['a\ufdefb', 'textNoncharacter'],
    ['a\ufffeb', 'textNoncharacter'],
    ['a\uffffb', 'textNoncharacter'],
    ['a\u{1fffe}b', 'textNoncharacter'],
    ['a\u{10ffff}b', 'textNoncharacter'],
    // nothing visible
    ['\u200b', 'textInvisible'],
    ['\u200b\u200c\u200d', 'textInvisible'],
    ['\u2060', 'textInvisible'],
    ['\u00ad', 'textInvisible'],
    ['\u3164', 'textInvisible'],
    ['\u115f\u1160', 'textInvisible'],
    ['\u2800\u2800', 'textInvisible'],
    ['\ufe0f', 'textInvisible'],
    ['\u{e0041}\u{e0042}', 'textInvisible'],
    ['\u0301', 'textInvisible'],
    // empty after trimming, too long
    ['', 'too_small'],
    [' \t\u3000\ufeff ', 'too_small'],
    ['x'.repeat(121), 'too_big'],
  ])('refuses %j (%s)', (input, key) => {
    expect(refusal(name, input)).toBe(key);
  });

  it('optional text may be empty but not invisible, and follows the same rules otherwise', () => {
    expect(optional.parse('  ')).toBe('');
    expect(optional.parse('YM-1')).toBe('YM-1');
    expect(refusal(optional, '\u200b')).toBe('textInvisible');
    expect(refusal(optional, 'YM\u202e1')).toBe('textBidi');
    expect(refusal(optional, 'YM\ud8001')).toBe('textBroken');
  });

  it('refuses what is not a string, with zod’s type issue', () => {
    for (const value of [1, null, undefined, ['a'], { a: 1 }, true]) {
      expect(name.safeParse(value).success).toBe(false);
    }
  });

  it('textProblem is the rule alone: fine text, and the empty string, have none', () => {
    expect(textProblem('')).toBeUndefined();
    expect(textProblem('Ñoquis caseros')).toBeUndefined();
    expect(textProblem('\u202e')).toBe('textBidi');
  });
});
