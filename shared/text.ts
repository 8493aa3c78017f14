import { z } from 'zod';
import { because } from './issues.js';
import type { FieldMessageKey } from './messages.js';

/**
 * Text a person types and others read (names, categories, reasons): trimmed, normalised to NFC (so "é" typed two
 * ways is one name), bounded, and unable to lie or to break what stores it. Refused:
 * - half of a UTF-16 surrogate pair: PostgreSQL's jsonb refuses it, after validation would have passed;
 * - C0 and C1 controls, DEL, and line/paragraph separators: NUL breaks jsonb, the rest break receipts and rows;
 * - bidi controls (embeddings, overrides, isolates and the LRM/RLM/ALM marks): they reorder what is shown, so
 *   "Gaseosa $1000" could be stored as a name whose price reads otherwise;
 * - Unicode noncharacters (U+FDD0–FDEF, U+xFFFE/xFFFF): never meant for interchange;
 * - a value with nothing visible in it (zero-width spaces, fillers, blanks only).
 * Zero-width joiners and variation selectors inside visible text stay: emoji and some scripts need them.
 */
const LONE_SURROGATE = /\p{Surrogate}/u;
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const BIDI = /\p{Bidi_Control}/u;
const NONCHARACTER = /\p{Noncharacter_Code_Point}/u;
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\u2800]/gu;
const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u;

/** The first rule a text breaks, as a message key; undefined when it is fine (an empty text is fine here). */
export function textProblem(text: string): FieldMessageKey | undefined {
  if (LONE_SURROGATE.test(text)) return 'textBroken';
  if (CONTROL.test(text)) return 'textControl';
  if (BIDI.test(text)) return 'textBidi';
  if (NONCHARACTER.test(text)) return 'textNoncharacter';
  if (text !== '' && !VISIBLE.test(text.replace(INVISIBLE, ''))) return 'textInvisible';
  return undefined;
}

const readable = (schema: z.ZodString) =>
  schema.check((ctx) => {
    const key = textProblem(ctx.value);
    if (!key) return;
    const { error, params } = because(key);
    ctx.issues.push({ code: 'custom', message: error, params, input: ctx.value });
  });

const base = (label: string) => z.string({ error: `${label} must be text` }).trim().normalize('NFC');

export const textSchema = (max: number, label = 'text') =>
  readable(
    base(label)
      .min(1, `${label} cannot be empty`)
      .max(max, `${label} is too long (at most ${max} characters)`),
  );

export const optionalTextSchema = (max: number, label = 'text') =>
  readable(base(label).max(max, `${label} is too long (at most ${max} characters)`));
