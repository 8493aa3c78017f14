import type { z } from 'zod';
import { isFieldMessageKey, renderMessage, type FieldMessageKey } from './messages.js';

/**
 * zod's issues turned into keys of our message catalog, so a field message can be said in the caller's language
 * (zod's own messages are English only). Built-in checks are read by their code; a rule of ours says its key with
 * `because(...)`; anything else is a plain "not valid" rather than English leaking through.
 */
export interface IssueMessage {
  key: FieldMessageKey;
  params?: Record<string, unknown>;
}

/** Options for `.refine(...)`/a custom check: the English message for zod, and the key for the API. */
export function because<K extends FieldMessageKey>(key: K, params: Record<string, unknown> = {}) {
  return { error: renderMessage('en', key, params), params: { ...params, messageKey: key } };
}

const TYPE_KEYS: Record<string, FieldMessageKey> = {
  string: 'fieldMustBeText',
  number: 'fieldMustBeNumber',
  int: 'fieldMustBeWhole',
  boolean: 'fieldMustBeYesNo',
  array: 'fieldMustBeList',
  tuple: 'fieldMustBeList',
  object: 'fieldMustBeObject',
};

const NUMERIC = new Set(['number', 'int', 'bigint']);

export function issueMessage(issue: z.core.$ZodIssue): IssueMessage {
  switch (issue.code) {
    case 'custom': {
      const key = issue.params?.messageKey;
      return isFieldMessageKey(key) ? { key, params: issue.params } : { key: 'fieldInvalid' };
    }
    case 'invalid_type':
      // The input is there only when parsed with `reportInput` (see node/api/errors.ts): then a missing field is
      // told apart from a wrong-typed one.
      if ('input' in issue && issue.input === undefined) return { key: 'fieldRequired' };
      return { key: TYPE_KEYS[issue.expected] ?? 'fieldInvalid' };
    case 'too_small':
      return tooSmall(issue.origin, Number(issue.minimum), issue.inclusive !== false);
    case 'too_big':
      return tooBig(issue.origin, Number(issue.maximum), issue.inclusive !== false);
    case 'invalid_format':
      return { key: issue.format === 'uuid' || issue.format === 'guid' ? 'notAnId' : 'fieldInvalid' };
    case 'invalid_value':
      return { key: 'fieldChoice', params: { options: issue.values.map((v) => JSON.stringify(v)).join(', ') } };
    case 'unrecognized_keys':
      return { key: 'fieldUnknown', params: { keys: issue.keys.join(', ') } };
    default:
      return { key: 'fieldInvalid' };
  }
}

function tooSmall(origin: string, min: number, inclusive: boolean): IssueMessage {
  if (origin === 'string') return min <= 1 ? { key: 'textEmpty' } : { key: 'textTooShort', params: { min } };
  if (NUMERIC.has(origin)) {
    if (!inclusive) return { key: 'numberAbove', params: { min } };
    return min === 0 ? { key: 'numberNegative' } : { key: 'numberTooSmall', params: { min } };
  }
  if (origin === 'array' || origin === 'set') return { key: 'listTooShort', params: { min } };
  return { key: 'fieldInvalid' };
}

function tooBig(origin: string, max: number, inclusive: boolean): IssueMessage {
  if (origin === 'string') return { key: 'textTooLong', params: { max } };
  if (NUMERIC.has(origin)) return inclusive ? { key: 'numberTooLarge', params: { max } } : { key: 'numberBelow', params: { max } };
  if (origin === 'array' || origin === 'set') return { key: 'listTooLong', params: { max } };
  return { key: 'fieldInvalid' };
}
