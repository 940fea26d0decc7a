import type { Tier } from '../program/program-settings.schema';
import type { TierBenefitFacts } from '../../shared/vocabulary';

/** Tier rules without I/O: which tier a rolling-12-month spend earns, and ranks for comparisons. */
export const ROLLING_WINDOW_DAYS = 365;

/** The highest tier whose threshold the spend reaches (tiers are sorted by ascending threshold). */
export function tierForSpend(spend: number, tiers: Tier[]): Tier {
  let best = tiers[0];
  for (const t of tiers) if (spend >= t.minSpend) best = t;
  return best;
}

/** Index of a tier code, -1 for a code the settings no longer have (treated as below every tier). */
export function tierRank(code: string | null | undefined, tiers: Tier[]): number {
  return tiers.findIndex((t) => t.code === code);
}

export function tierByCode(code: string | null | undefined, tiers: Tier[]): Tier {
  return tiers.find((t) => t.code === code) ?? tiers[0];
}

/** The next tier above `code` and what is still needed to reach it, or null at the top. */
export function nextTier(
  code: string | null | undefined,
  spend: number,
  tiers: Tier[],
): { code: string; label: string; spendNeeded: number } | null {
  const next = tiers[tierRank(code, tiers) + 1];
  if (!next) return null;
  return { code: next.code, label: next.label, spendNeeded: Math.max(0, next.minSpend - spend) };
}

/** Points for a purchase: floor(amount / spendPerPoint) × multiplier, rounded down (never fractional points). */
export function pointsForPurchase(amount: number, spendPerPoint: number, multiplier: number): number {
  if (amount <= 0) return 0;
  return Math.floor(Math.floor(amount / spendPerPoint) * multiplier);
}

/** The 12-month spend that keeps a tier at its yearly review (保級): its own setting, else its threshold. */
export function keepSpendOf(tier: Tier): number {
  return tier.keepSpend ?? tier.minSpend;
}

/**
 * The tier a member holds after the yearly review: the current one (or higher) when the spend keeps it, else the
 * highest tier below whose renewal spend it meets (the first tier always).
 */
export function tierAfterReview(code: string | null | undefined, spend: number, tiers: Tier[]): Tier {
  const rank = tierRank(code, tiers);
  const earned = tierForSpend(spend, tiers);
  if (rank < 0 || tierRank(earned.code, tiers) >= rank) return earned;
  for (let i = rank; i > 0; i--) if (spend >= keepSpendOf(tiers[i])) return tiers[i];
  return tiers[0];
}

/** When a tier reached or renewed at `from` is next reviewed: 12 months (the rolling window) later. */
export function nextReviewAt(from: Date): Date {
  return new Date(from.getTime() + ROLLING_WINDOW_DAYS * 86_400_000);
}

/** What a tier gives, from the settings and the titles of its coupons (the one source of the benefit lines). */
export function tierBenefitFacts(tier: Tier, tiers: Tier[], couponTitles: string[]): TierBenefitFacts {
  return {
    multiplier: tier.multiplier,
    birthdayMultiplier: tier.birthdayMultiplier,
    gift: { coupons: couponTitles, points: tier.gift.points, credit: tier.gift.credit },
    keepSpend: tierRank(tier.code, tiers) > 0 ? keepSpendOf(tier) : null,
  };
}
