import { discountLimitOf, type Settings } from '../../shared/settings.js';

/** Whether `role` may give `discount` off `base` alone (owners always; others within their limit in settings). */
export function discountWithinLimit(settings: Pick<Settings, 'discountLimits'>, role: string, discount: number, base: number): boolean {
  const limit = discountLimitOf(settings, role);
  if (!limit || discount === 0) return true;
  if (limit.maxAmount !== null && discount > limit.maxAmount) return false;
  return discount * 10_000 <= base * limit.maxPercentBp;
}

/** A price other than the catalog's needs a supervisor's approval unless a manager is selling. */
export const overrideNeedsApproval = (role: string): boolean => role !== 'owner' && role !== 'supervisor';
