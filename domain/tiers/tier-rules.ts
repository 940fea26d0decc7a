import type { Tier } from '../program/program-settings.schema';

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
