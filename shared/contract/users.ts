import { z } from 'zod';
import { command, everyone, local, managers, query, staffRoles } from './define.js';
import { textSchema } from '../text.js';
import { uuidSchema } from '../ids.js';
import { because } from '../issues.js';

/** The header a signed-in person's calls carry: the token `users.signIn` answered (the renderer keeps it per tab). */
export const PERSON_HEADER = 'x-mostrador-person';

export const staffRoleSchema = z.enum(staffRoles);

/** A cashier's PIN: 4 to 6 digits, typed on the PIN pad. */
export const pinSchema = z.string({ error: 'PIN must be text' }).regex(/^[0-9]{4,6}$/, because('pinShape'));
/** A manager's password: long enough to resist guessing offline, bounded so hashing it stays cheap. */
export const passwordSchema = z
  .string({ error: 'password must be text' })
  .min(8, because('passwordShort', { min: 8 }))
  .max(200, 'password is too long (at most 200 characters)')
  // Nothing a keyboard cannot type: a NUL or a line break in a password is a paste gone wrong.
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), because('textControl'));

/** What the sign-in screen shows for a person: a tile with their name, and which credential they type. */
export const userTileSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: staffRoleSchema,
  hasPin: z.boolean(),
  hasPassword: z.boolean(),
});
export type UserTile = z.infer<typeof userTileSchema>;

export const userSchema = userTileSchema.extend({
  active: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type User = z.infer<typeof userSchema>;

export const approvalActions = ['void', 'refund', 'discount', 'priceOverride', 'noSale', 'overShort'] as const;

const credentials = {
  pin: pinSchema.optional(),
  password: passwordSchema.optional(),
};

const exactlyOneCredential = (c: { pin?: string | undefined; password?: string | undefined }) => (c.pin === undefined) !== (c.password === undefined);

export const signInInput = z
  .strictObject({ userId: uuidSchema, ...credentials })
  .refine(exactlyOneCredential, because('pinOrPassword'));

export const approveInput = z
  .strictObject({ supervisorId: uuidSchema, action: z.enum(approvalActions), ...credentials })
  .refine(exactlyOneCredential, because('pinOrPassword'));

export const userCreateInput = z.strictObject({
  name: textSchema(80, 'name'),
  role: staffRoleSchema,
  ...credentials,
});

export const userUpdateInput = z.strictObject({
  id: uuidSchema,
  patch: z
    .strictObject({ name: textSchema(80, 'name').optional(), role: staffRoleSchema.optional(), active: z.boolean().optional() })
    .refine((p) => Object.keys(p).length > 0, because('nothingToChange')),
});

export const signedInSchema = z.object({
  /** Sent back as the `x-mostrador-person` header on every call; it ends at sign-out or after `idleSeconds` unused. */
  token: z.string(),
  user: userTileSchema,
  idleSeconds: z.number().int(),
});

export const userMethods = [
  query({
    name: 'users.directory',
    summary:
      'The sign-in screen: the active people as tiles (name, role, whether they sign in with a PIN or a password), and ' +
      '`setupNeeded` while no owner has a password yet (the first start). Callable before a person signs in.',
    input: z.strictObject({}),
    output: z.object({ setupNeeded: z.boolean(), users: z.array(userTileSchema) }),
    roles: everyone,
    open: true,
  }),
  query({
    name: 'users.me',
    summary: 'The person signed in on this call (null before anyone signs in), and the idle timeout.',
    input: z.strictObject({}),
    output: z.object({ user: userTileSchema.nullable(), idleSeconds: z.number().int() }),
    roles: everyone,
    open: true,
  }),
  command({
    name: 'users.setupOwner',
    summary:
      'First start only: creates the owner with a password (UserCreated). Refused once an owner has a password; ' +
      'from then on every call but the sign-in screen needs a signed-in person.',
    input: z.strictObject({ name: textSchema(80, 'name'), password: passwordSchema }),
    output: userSchema,
    roles: everyone,
    open: true,
  }),
  local({
    name: 'users.signIn',
    summary:
      'Signs a person in on top of the installation: cashiers and stock clerks with their PIN, owner and supervisors ' +
      'with their password. After 5 failures the person is locked out for a growing time (429 with `retry-after`). ' +
      'Signing in as someone else is the quick cashier switch: nothing is closed.',
    input: signInInput,
    output: signedInSchema,
    roles: everyone,
    open: true,
    priority: 'high',
  }),
  local({
    name: 'users.signOut',
    summary: 'Ends the person session of this call (the installation stays signed in; the till stays open).',
    input: z.strictObject({}),
    output: z.object({ signedOut: z.boolean() }),
    roles: everyone,
    open: true,
  }),
  local({
    name: 'users.approve',
    summary:
      "A supervisor's (or the owner's) PIN or password, typed on the cashier's screen, authorises ONE action of one " +
      'kind (void, refund, discount, priceOverride, noSale, overShort) for 2 minutes; the command that does it spends it.',
    input: approveInput,
    output: z.object({ approvalId: z.string(), action: z.enum(approvalActions), supervisorId: z.string(), supervisorName: z.string(), expiresAt: z.string() }),
    roles: everyone,
    priority: 'high',
  }),
  query({
    name: 'users.list',
    summary: 'Every person of the store, the deactivated ones included (owner and supervisors).',
    input: z.strictObject({}),
    output: z.object({ items: z.array(userSchema) }),
    roles: managers,
  }),
  command({
    name: 'users.create',
    summary: 'Adds a person with a role (UserCreated), optionally with their PIN or password. Owner only.',
    input: userCreateInput,
    output: userSchema,
    roles: ['owner'],
  }),
  command({
    name: 'users.update',
    summary: "Changes a person's name, role or whether they may sign in (UserUpdated). Owner only.",
    input: userUpdateInput,
    output: userSchema,
    roles: ['owner'],
  }),
  command({
    name: 'users.deactivate',
    summary: 'Stops a person from signing in (UserUpdated active=false); their history stays. Owner only.',
    input: z.strictObject({ id: uuidSchema }),
    output: userSchema,
    roles: ['owner'],
  }),
  command({
    name: 'users.setPin',
    summary: "Sets or resets a person's PIN (4–6 digits): the owner for anyone, anyone for themselves. Kept hashed, outside the journal.",
    input: z.strictObject({ userId: uuidSchema, pin: pinSchema }),
    output: userSchema,
    roles: everyone,
  }),
  command({
    name: 'users.setPassword',
    summary: "Sets an owner's or supervisor's password: the owner for anyone, a supervisor for themselves. Kept hashed, outside the journal.",
    input: z.strictObject({ userId: uuidSchema, password: passwordSchema }),
    output: userSchema,
    roles: managers,
  }),
] as const;
