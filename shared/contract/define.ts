import type { z } from 'zod';

export const staffRoles = ['owner', 'supervisor', 'cashier', 'stockClerk'] as const;
export type StaffRole = (typeof staffRoles)[number];

/** Anyone signed in to the store. */
export const everyone: readonly StaffRole[] = staffRoles;
export const managers: readonly StaffRole[] = ['owner', 'supervisor'];

/**
 * A method of the API: its dotted name, zod input and output, who may call it, and whether it changes state.
 * A `command` carries a client-made command id (its idempotency key) and goes through the write path; a `query`
 * only reads.
 */
export interface MethodDef<
  Name extends string = string,
  I extends z.ZodType = z.ZodType,
  O extends z.ZodType = z.ZodType,
> {
  readonly name: Name;
  readonly kind: 'query' | 'command';
  readonly summary: string;
  readonly input: I;
  readonly output: O;
  readonly roles: readonly StaffRole[];
}

export const query = <const Name extends string, I extends z.ZodType, O extends z.ZodType>(
  def: Omit<MethodDef<Name, I, O>, 'kind'>,
): MethodDef<Name, I, O> & { kind: 'query' } => ({ ...def, kind: 'query' });

export const command = <const Name extends string, I extends z.ZodType, O extends z.ZodType>(
  def: Omit<MethodDef<Name, I, O>, 'kind'>,
): MethodDef<Name, I, O> & { kind: 'command' } => ({ ...def, kind: 'command' });

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
