import type { Types } from 'mongoose';
import { listWallet } from '../coupons';
import { getSoonestExpiring } from '../points/points.service';
import { getCreditSummary } from '../credit/credit.service';
import { getProgramSettings } from '../program/settings.service';
import { getTierStatus, type TierStatus } from '../tiers/tier.service';
import { isProfileComplete, type PersonaCompletion } from './profile-complete';

export { isProfileComplete, profileCompleteFilter } from './profile-complete';

/** The member fields a summary reads (a lean member or a document). */
export interface SummarizedMember extends PersonaCompletion {
  _id: Types.ObjectId | string;
  pointsBalance?: number | null;
  /** Read with the member when present; otherwise the summary reads it. */
  creditBalance?: number | null;
  tier?: { code?: string | null; since?: Date | null; reviewAt?: Date | null } | null;
}

/** Where a member stands, as the card, the chat and the console member page all show it. */
export interface MemberSummary {
  pointsBalance: number;
  /** The tier, with `progress`: share of the way from this tier's threshold to the next one (1 at the top tier). */
  tier: TierStatus & { progress: number };
  soonestExpiring: { points: number; expiresAt: Date } | null;
  /** Shopping credit (購物金, NT$) and the next lot to expire. */
  credit: { balance: number; expiring: { amount: number; expiresAt: Date } | null };
  activeCoupons: number;
  /** See `isProfileComplete`. */
  profileComplete: boolean;
}

/** The member summary: balance, tier and progress, the next points to expire, active coupons, profile complete. */
export async function getMemberSummary(member: SummarizedMember, now: Date): Promise<MemberSummary> {
  const settings = await getProgramSettings();
  const [tier, soonestExpiring, wallet, credit] = await Promise.all([
    getTierStatus(member, now, settings),
    getSoonestExpiring(member._id, now),
    listWallet(member._id, now),
    getCreditSummary(member._id, now, 'creditBalance' in member ? member.creditBalance : undefined),
  ]);
  const currentMin = settings.tiers.find((t) => t.code === tier.code)?.minSpend ?? 0;
  return {
    pointsBalance: member.pointsBalance ?? 0,
    tier: { ...tier, progress: tierProgress(tier.rollingSpend, currentMin, tier.next?.spendNeeded ?? null) },
    soonestExpiring,
    credit,
    activeCoupons: wallet.active.length,
    profileComplete: isProfileComplete(member),
  };
}

/** Share of the way from the current tier's threshold to the next one (1 at the top tier). */
export function tierProgress(spend: number, currentMin: number, spendNeeded: number | null): number {
  if (spendNeeded === null) return 1;
  const span = spend + spendNeeded - currentMin;
  if (span <= 0) return 1;
  return Math.min(1, Math.max(0, (spend - currentMin) / span));
}
