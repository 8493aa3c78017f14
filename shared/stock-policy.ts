/**
 * The offline stock policy of seed 002 "Deliverable 5" (SPEC R5), as one pure function applied at sale time.
 *
 * | condition                    | online            | offline           |
 * | stock ≥ quantity asked       | allow             | allow             |
 * | 0 < stock < quantity         | warn, allow       | warn, allow       |
 * | stock = 0                    | warn, allow       | block             |
 * | stock < 0                    | warn, allow       | block             |
 * | product does not track stock | allow             | allow             |
 * | stock could not be read      | allow (fail open) | allow (fail open) |
 *
 * A standalone node counts as online. The seed's first row says "stock > quantity"; stock equal to the quantity
 * asked is enough too (the sale leaves zero), so it is allowed without a warning.
 */

export type StockVerdict = 'allow' | 'warn' | 'block';

export interface StockCheck {
  trackStock: boolean;
  /** Current stock in thousandths; undefined when it could not be read. */
  available: number | undefined;
  requested: number;
  online: boolean;
}

export function stockVerdict({ trackStock, available, requested, online }: StockCheck): StockVerdict {
  if (!trackStock || available === undefined) return 'allow';
  if (available >= requested) return 'allow';
  if (available > 0) return 'warn';
  return online ? 'warn' : 'block';
}

export interface StockIssue {
  productId: string;
  name: string;
  requested: number;
  available: number;
}

export interface StockValidation {
  /** False only when something blocks (offline with no stock). */
  valid: boolean;
  warnings: StockIssue[];
  errors: StockIssue[];
}

/** The policy over a ticket's lines (the same product on two lines counts once, with the quantities added). */
export function validateStock(
  items: readonly { productId: string; name: string; quantity: number; trackStock: boolean; available: number | undefined }[],
  online: boolean,
): StockValidation {
  const byProduct = new Map<string, (typeof items)[number]>();
  for (const item of items) {
    const seen = byProduct.get(item.productId);
    byProduct.set(item.productId, seen ? { ...seen, quantity: seen.quantity + item.quantity } : item);
  }
  const warnings: StockIssue[] = [];
  const errors: StockIssue[] = [];
  for (const item of byProduct.values()) {
    const verdict = stockVerdict({ trackStock: item.trackStock, available: item.available, requested: item.quantity, online });
    if (verdict === 'allow') continue;
    const issue = { productId: item.productId, name: item.name, requested: item.quantity, available: item.available ?? 0 };
    (verdict === 'warn' ? warnings : errors).push(issue);
  }
  return { valid: errors.length === 0, warnings, errors };
}
