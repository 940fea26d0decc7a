/**
 * Pure stamp-card rules (no I/O): how many stamps an order earns under a template's earn rule, which rewards a
 * stamp count has reached, and when a card ends.
 */

export interface EarnRule {
  rule: 'per_purchase' | 'per_amount' | 'per_visit' | 'per_category';
  amountPerStamp?: number | null;
  dailyCap?: number | null;
  categories?: string[] | null;
}

export interface OrderForStamps {
  amount: number;
  items: Array<{ category?: string | null; quantity?: number | null }>;
}

/**
 * Stamps an order earns. `visitsStampedToday` counts the member's orders already stamped today under this
 * template (only the per-visit rule looks at it: beyond the daily cap a visit earns nothing).
 */
export function stampsForOrder(rule: EarnRule, order: OrderForStamps, visitsStampedToday: number): number {
  switch (rule.rule) {
    case 'per_purchase':
      return 1;
    case 'per_amount':
      return rule.amountPerStamp && rule.amountPerStamp > 0 ? Math.floor(order.amount / rule.amountPerStamp) : 0;
    case 'per_visit':
      return visitsStampedToday < (rule.dailyCap ?? 1) ? 1 : 0;
    case 'per_category': {
      const wanted = new Set(rule.categories ?? []);
      return order.items
        .filter((i) => i.category && wanted.has(i.category))
        .reduce((n, i) => n + Math.max(1, Math.floor(i.quantity ?? 1)), 0);
    }
  }
}

/** Where a card ends, from its template's validity and the first stamp. */
export function cardExpiry(
  validity: { mode?: string | null; days?: number | null; endsAt?: Date | null } | null | undefined,
  firstStampAt: Date,
): Date | null {
  if (validity?.mode === 'days_from_first_stamp' && validity.days)
    return new Date(firstStampAt.getTime() + validity.days * 86_400_000);
  if (validity?.mode === 'fixed_end' && validity.endsAt) return new Date(validity.endsAt);
  return null;
}

/** The reward thresholds (milestones, then completion at `stampsNeeded`) that `stamps` has reached. */
export function reachedThresholds(milestones: Array<{ at?: number | null }>, stampsNeeded: number, stamps: number) {
  const at = milestones.map((m) => m.at ?? 0).filter((a) => a > 0 && a < stampsNeeded);
  return [...new Set([...at, stampsNeeded])].filter((a) => a <= stamps).sort((a, b) => a - b);
}
