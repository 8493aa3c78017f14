import type { InputOf, Product, ProductPatch } from '../../../shared/contract/index.js';
import type { FieldIssue } from '../../../shared/errors.js';
import { parseMoney } from '../../../shared/money.js';

/** What the inputs hold: text as typed, converted only on submit so the person's typing is never rewritten. */
export interface ProductFormValues {
  name: string;
  price: string;
  barcodes: string;
  sku: string;
  category: string;
  unit: 'unit' | 'kg';
  trackStock: boolean;
}

export const formFields = ['name', 'price', 'barcodes', 'sku', 'category', 'unit', 'trackStock'] as const;
export type FormField = (typeof formFields)[number];

export const emptyProductForm: ProductFormValues = {
  name: '',
  price: '',
  barcodes: '',
  sku: '',
  category: '',
  unit: 'unit',
  trackStock: true,
};

/** Until the node's status has arrived, parse with ARS: only the number of decimals matters for parsing. */
export const FALLBACK_CURRENCY = 'ARS';

export const splitBarcodes = (text: string): string[] =>
  text
    .split(/[,;\s]+/)
    .map((b) => b.trim())
    .filter((b) => b.length > 0);

export function formFromProduct(p: Product): ProductFormValues {
  return {
    name: p.name,
    price: '',
    barcodes: p.barcodes.join(', '),
    sku: p.sku ?? '',
    category: p.category ?? '',
    unit: p.unit,
    trackStock: p.trackStock,
  };
}

export type CreateResult = { ok: true; input: InputOf<'products.create'> } | { ok: false; field: 'price' };

export function toCreateInput(v: ProductFormValues, currency: string): CreateResult {
  const price = parseMoney(v.price, currency);
  if (price === undefined) return { ok: false, field: 'price' };
  const sku = v.sku.trim();
  const category = v.category.trim();
  return {
    ok: true,
    input: {
      name: v.name.trim(),
      price,
      barcodes: splitBarcodes(v.barcodes),
      ...(sku ? { sku } : {}),
      ...(category ? { category } : {}),
      unit: v.unit,
      trackStock: v.trackStock,
    },
  };
}

/** Only what changed goes to the node, so two people editing different fields of a product do not undo each other. */
export function toPatch(original: Product, v: ProductFormValues): ProductPatch | undefined {
  const patch: ProductPatch = {};
  const name = v.name.trim();
  if (name !== original.name) patch.name = name;
  const barcodes = splitBarcodes(v.barcodes);
  if (barcodes.join('\n') !== original.barcodes.join('\n')) patch.barcodes = barcodes;
  const sku = v.sku.trim() || null;
  if (sku !== (original.sku || null)) patch.sku = sku;
  const category = v.category.trim() || null;
  if (category !== (original.category || null)) patch.category = category;
  if (v.unit !== original.unit) patch.unit = v.unit;
  if (v.trackStock !== original.trackStock) patch.trackStock = v.trackStock;
  return Object.keys(patch).length > 0 ? patch : undefined;
}

/**
 * Puts each issue of the node next to its input. Paths look like `name`, `barcodes.1` or `patch.name` depending
 * on the method; an issue about no field we show stays in the summary.
 */
export function placeIssues(issues: readonly FieldIssue[] | undefined): {
  byField: Partial<Record<FormField, string>>;
  rest: string[];
} {
  const byField: Partial<Record<FormField, string>> = {};
  const rest: string[] = [];
  for (const issue of issues ?? []) {
    const field = issue.path.split(/[.[\]/]/).find((part): part is FormField => formFields.includes(part as FormField));
    if (field) byField[field] = byField[field] ? `${byField[field]}; ${issue.message}` : issue.message;
    else rest.push(issue.path ? `${issue.path}: ${issue.message}` : issue.message);
  }
  return { byField, rest };
}
