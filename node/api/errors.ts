import type { z } from 'zod';
import { AppError, type FieldIssue } from '../../shared/errors.js';
import { issueMessage } from '../../shared/issues.js';
import { renderMessage } from '../../shared/messages.js';

/**
 * A zod failure as a ValidationError whose field messages come from our catalog, so the API says them in the
 * caller's language (AppError.toWire); the summary names the first field at fault.
 */
export function fromZod(error: z.ZodError): AppError {
  const keyed = error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), ...issueMessage(issue) }));
  const issues: FieldIssue[] = keyed.map((i) => ({ ...i, message: renderMessage('en', i.key, i.params) }));
  return AppError.t('ValidationError', 'invalidInput', keyed[0] ?? { path: '', key: 'fieldInvalid' }, issues);
}

/** Parses a caller's value or throws the ValidationError; `reportInput` lets a missing field be told from a wrong one. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value, { reportInput: true });
  if (!parsed.success) throw fromZod(parsed.error);
  return parsed.data;
}

/** Framework errors for a caller's mistakes become 4xx with a message a person can act on; anything else is ours. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const e = error as { code?: string; statusCode?: number; message?: string };
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('PayloadTooLarge', 'The request is too large (at most 1 MB).');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('UnsupportedMediaType', 'Send the request as JSON (Content-Type: application/json).');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('ValidationError', 'The request body is empty; send a JSON object.');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('ValidationError', 'The request body is not valid JSON.');
  }
  if (error instanceof SyntaxError || e.statusCode === 400) {
    return new AppError('ValidationError', 'The request body is not valid JSON.');
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return new AppError('ValidationError', e.message ?? 'Bad request.');
  }
  return AppError.t('Internal', 'internal');
}
