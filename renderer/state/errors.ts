import { AppError } from '../../shared/errors.js';

/** Everything a screen shows as an error is an AppError; a stray exception becomes an Internal one. */
export const toAppError = (e: unknown): AppError =>
  e instanceof AppError ? e : new AppError('Internal', e instanceof Error ? e.message : String(e));
