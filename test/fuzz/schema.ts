import fc from 'fast-check';
import type { z } from 'zod';

/**
 * fast-check arbitraries of values a zod schema accepts, read from the schema itself, so a method added to the
 * contract tomorrow is fuzzed with good input too (zod-fast-check, the library for this, stops at zod 3). It knows
 * the shapes our contract uses; a leaf it cannot read gets JSON values, and the whole value is filtered through
 * the schema, so what it yields is valid whatever it misreads.
 */

interface CheckDef {
  check: string;
  minimum?: number;
  maximum?: number;
  value?: number;
  inclusive?: boolean;
  format?: string;
  pattern?: unknown;
}
interface Def {
  type: string;
  checks?: { _zod: { def: CheckDef } }[];
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  entries?: Record<string, string | number>;
  values?: unknown[];
  options?: z.ZodType[];
  items?: z.ZodType[];
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;
const checksOf = (schema: z.ZodType): CheckDef[] => (defOf(schema).checks ?? []).map((c) => c._zod.def);

/** Where ids of things that exist come from, so that valid input reaches past "not found" sometimes. */
export interface Known {
  ids: () => string[];
  barcodes: () => string[];
}

const OPTIONAL = new Set(['optional', 'default', 'prefault']);

export function validOf(schema: z.ZodType, known: Known): fc.Arbitrary<unknown> {
  return raw(schema, known).filter((value) => schema.safeParse(value).success);
}

function raw(schema: z.ZodType, known: Known): fc.Arbitrary<unknown> {
  const d = defOf(schema);
  switch (d.type) {
    case 'optional':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'nonoptional':
      return raw(d.innerType!, known);
    case 'nullable':
      return fc.oneof({ arbitrary: raw(d.innerType!, known), weight: 4 }, fc.constant(null));
    case 'pipe':
      return raw(d.in!, known);
    case 'object':
      return objectOf(d.shape ?? {}, known);
    case 'string':
      return stringOf(schema, known);
    case 'number':
      return numberOf(schema);
    case 'boolean':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...Object.values(d.entries ?? { x: 'x' }));
    case 'literal':
      return fc.constantFrom(...(d.values ?? [null]));
    case 'array': {
      const { min, max } = lengths(schema, 0, 5);
      return fc.array(leafValid(d.element!, known), { minLength: min, maxLength: Math.min(max, 5) });
    }
    case 'union':
      return fc.oneof(...(d.options ?? []).map((o) => raw(o, known)));
    case 'tuple':
      return fc.tuple(...(d.items ?? []).map((i) => raw(i, known)));
    default:
      return fc.jsonValue();
  }
}

function objectOf(shape: Record<string, z.ZodType>, known: Known): fc.Arbitrary<unknown> {
  const fields = Object.fromEntries(Object.entries(shape).map(([key, field]) => [key, leafValid(field, known)]));
  const requiredKeys = Object.keys(shape).filter((key) => !OPTIONAL.has(defOf(shape[key]!).type));
  return fc.record(fields, { requiredKeys });
}

/** A leaf filtered by its own schema, so one hard field does not make the whole object fail to generate. */
const leafValid = (schema: z.ZodType, known: Known) => {
  const inner = OPTIONAL.has(defOf(schema).type) ? defOf(schema).innerType! : schema;
  return raw(inner, known).filter((v) => inner.safeParse(v).success);
};

/** One of a list that grows while the fuzz runs (products it created), read when the value is drawn. */
const pick = (list: () => string[]) =>
  fc.nat().chain((i) => {
    const items = list();
    return items.length > 0 ? fc.constant(items[i % items.length]!) : fc.uuid({ version: 7 });
  });

function lengths(schema: z.ZodType, min: number, max: number): { min: number; max: number } {
  for (const c of checksOf(schema)) {
    if (c.check === 'min_length') min = Math.max(min, c.minimum ?? 0);
    if (c.check === 'max_length') max = Math.min(max, c.maximum ?? max);
  }
  return { min, max: Math.max(min, max) };
}

function stringOf(schema: z.ZodType, known: Known): fc.Arbitrary<string> {
  if (checksOf(schema).some((c) => c.format === 'uuid')) return fc.oneof(pick(known.ids), fc.uuid({ version: 7 }));
  // An ISO date-time field: random text almost never is one, and a valid-only draw would search for it forever.
  if ((defOf(schema) as { format?: string }).format === 'datetime' || checksOf(schema).some((c) => c.format === 'datetime')) {
    return fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2199-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
  }
  const { min, max } = lengths(schema, 0, 40);
  const size = { minLength: Math.max(min, 1), maxLength: Math.min(max, 40) };
  // A field with a pattern (a PIN, a series name): draw from the pattern itself, or a valid value would never come.
  const patterns = [defOf(schema) as { pattern?: unknown }, ...checksOf(schema)].flatMap((c) => (c.pattern instanceof RegExp ? [c.pattern] : []));
  if (patterns.length > 0) return fc.stringMatching(patterns[0]!).filter((text) => text.length <= Math.max(size.maxLength, min));
  return fc.oneof(
    fc.stringMatching(/^[A-Za-z][A-Za-z0-9 .-]{0,30}[A-Za-z0-9]$/).filter((s) => s.length <= size.maxLength),
    fc.stringMatching(/^[0-9]{8,13}$/),
    pick(known.barcodes),
    fc.constantFrom('Yerba', 'Ñoquis de papa', 'Café ☕', '🍺', 'شاي'),
    fc.string({ unit: 'grapheme', ...size }),
  );
}

function numberOf(schema: z.ZodType): fc.Arbitrary<number> {
  let min = -1e15;
  let max = 1e15;
  let int = false;
  for (const c of checksOf(schema)) {
    if (c.check === 'greater_than') min = Math.max(min, (c.value ?? min) + (c.inclusive ? 0 : 1));
    if (c.check === 'less_than') max = Math.min(max, (c.value ?? max) - (c.inclusive ? 0 : 1));
    if (c.check === 'number_format') int = true;
  }
  const edges = fc.constantFrom(min, max, Math.max(min, Math.min(max, 0)), Math.max(min, Math.min(max, 1)));
  const any = fc.double({ min, max, noNaN: true });
  if (!int) return fc.oneof(edges, any);
  const small = fc.integer({ min: Math.ceil(Math.max(min, -1000)), max: Math.floor(Math.min(max, 100_000)) });
  return fc.oneof(edges, small, any.map(Math.trunc));
}
