import { z } from 'zod';

/**
 * Text a person types: trimmed, bounded, and free of control characters (PostgreSQL's jsonb refuses NUL, and a
 * stray control character in a product name breaks receipts).
 */
const CONTROL = /[\u0000-\u001f\u007f]/;

export const textSchema = (max: number, label = 'text') =>
  z
    .string({ error: `${label} must be text` })
    .trim()
    .min(1, `${label} cannot be empty`)
    .max(max, `${label} is too long (at most ${max} characters)`)
    .refine((s) => !CONTROL.test(s), `${label} contains control characters`);

export const optionalTextSchema = (max: number, label = 'text') =>
  z
    .string({ error: `${label} must be text` })
    .trim()
    .max(max, `${label} is too long (at most ${max} characters)`)
    .refine((s) => !CONTROL.test(s), `${label} contains control characters`);
