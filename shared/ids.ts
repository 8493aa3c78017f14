import { v7 as uuidv7, validate, version } from 'uuid';
import { z } from 'zod';
import { because } from './issues.js';

/** Time-ordered ids (uuid v7): event ids, command ids, device and store ids. */
export const newId = (): string => uuidv7();

export const isUuidV7 = (value: string): boolean => validate(value) && version(value) === 7;

/**
 * Ids arrive in any case but are kept in lower case, as PostgreSQL prints them: an id that enters an event's hash
 * as typed and comes back from the database lower-cased would break the hash chain.
 */
export const uuidSchema = z.string().uuid('must be a UUID').toLowerCase();
export const commandIdSchema = z
  .string()
  .refine(isUuidV7, because('notACommandId'))
  .toLowerCase();
