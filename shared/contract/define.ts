import type { z } from 'zod';

export const staffRoles = ['owner', 'supervisor', 'cashier', 'stockClerk'] as const;
export type StaffRole = (typeof staffRoles)[number];

/** Anyone signed in to the store. */
export const everyone: readonly StaffRole[] = staffRoles;
export const managers: readonly StaffRole[] = ['owner', 'supervisor'];

/**
 * Which calls the node's single database connection serves first when it is busy: a sale or a scan before a list,
 * a list before a report. Past a bound, the lowest waiting priority is refused with 503 "busy".
 */
export const priorities = ['high', 'normal', 'low'] as const;
export type Priority = (typeof priorities)[number];

/**
 * A method of the API: its dotted name, zod input and output, who may call it, and whether it changes state.
 * A `command` carries a client-made command id (its idempotency key) and goes through the write path; a `query`
 * only reads; a `local` method writes only this node's local state, outside the journal, with no event and no command
 * id: working state (the open ticket, idempotent by its own key and revision: docs/decisions/0009-open-ticket.md) or
 * security records (sign-in, failures, approvals: not idempotent, a second sign-in is a second session).
 */
export interface MethodDef<
  Name extends string = string,
  I extends z.ZodType = z.ZodType,
  O extends z.ZodType = z.ZodType,
> {
  readonly name: Name;
  readonly kind: 'query' | 'command' | 'local';
  readonly summary: string;
  readonly input: I;
  readonly output: O;
  readonly roles: readonly StaffRole[];
  /**
   * Callable once the installation is proven but before a person signs in (the sign-in screen's own methods).
   * Every other method needs a signed-in person once the store has people (node/api/auth.ts).
   */
  readonly open?: boolean;
  /** Defaults: commands `high`, queries `normal` (see `priorityOf`). */
  readonly priority?: Priority;
}

export const priorityOf = (def: MethodDef): Priority => def.priority ?? (def.kind === 'query' ? 'normal' : 'high');

export const query = <const Name extends string, I extends z.ZodType, O extends z.ZodType>(
  def: Omit<MethodDef<Name, I, O>, 'kind'>,
): MethodDef<Name, I, O> & { kind: 'query' } => ({ ...def, kind: 'query' });

export const command = <const Name extends string, I extends z.ZodType, O extends z.ZodType>(
  def: Omit<MethodDef<Name, I, O>, 'kind'>,
): MethodDef<Name, I, O> & { kind: 'command' } => ({ ...def, kind: 'command' });

export const local = <const Name extends string, I extends z.ZodType, O extends z.ZodType>(
  def: Omit<MethodDef<Name, I, O>, 'kind'>,
): MethodDef<Name, I, O> & { kind: 'local' } => ({ ...def, kind: 'local' });

type ByName<Defs extends readonly MethodDef[]> = { [D in Defs[number] as D['name']]: D };

/** Joins the per-domain lists into one map; the same name twice is a programming error and throws. */
export function joinMethods<const Defs extends readonly MethodDef[]>(defs: Defs): ByName<Defs> {
  const out: Record<string, MethodDef> = {};
  for (const def of defs) {
    if (Object.hasOwn(out, def.name)) throw new Error(`API method ${def.name} is declared twice`);
    if (!/^[a-z][a-zA-Z]*\.[a-z][a-zA-Z]*$/.test(def.name)) throw new Error(`bad API method name ${def.name}`);
    out[def.name] = def;
  }
  return Object.freeze(out) as ByName<Defs>;
}
