import { enterJourneys } from '../journeys/journey-enter.service';
import type { Types } from 'mongoose';
import { Member } from '../../models/member.model';
import { Purchase } from '../../models/purchase.model';
import type { Messenger } from '../messaging/messenger';
import { notifyMember } from '../messaging/notify.service';
import { recordInteraction } from '../interactions/interaction.service';
import { zonedDate } from '../shared/clock';
import { moduleLogger } from '../shared/logger';
import { getProgramSettings, type ProgramSettings } from '../program/settings.service';
import { programText } from '../program/program-messages';
import type { Tier } from '../program/program-settings.schema';
import { syncMemberRichMenu } from '../richmenus/richmenu-assign.service';
import { tierBenefitBullets, type TierBenefitFacts } from '../../shared/vocabulary';
import {
  nextReviewAt,
  nextTier,
  ROLLING_WINDOW_DAYS,
  tierAfterReview,
  tierBenefitFacts,
  tierByCode,
  tierForSpend,
  tierRank,
} from './tier-rules';
import { giveTierGift, tierCouponTitles } from './tier-gift.service';

export { tierForSpend, nextTier, pointsForPurchase, ROLLING_WINDOW_DAYS } from './tier-rules';

const log = moduleLogger('tiers');

export interface TierStatus {
  code: string;
  label: string;
  multiplier: number;
  /** ISO date the member reached this tier, if known. */
  since: string | null;
  /** Net spend (after refunds) of the last 12 months, NT$. */
  rollingSpend: number;
  next: { code: string; label: string; spendNeeded: number } | null;
  /** What the tier gives (multipliers, upgrade gift, renewal), from the settings. */
  benefits: TierBenefitFacts;
  /** ISO instant of the tier's yearly review (tiers above the first), if known. */
  reviewAt: string | null;
}

/**
 * Net spend of purchases made in the 12 months up to `now` (refunds subtracted). A plain indexed find summed
 * here rather than an aggregation: one member has few orders a year, and every store answers it from the
 * (memberId, at) index.
 */
export async function rollingSpend(memberId: Types.ObjectId | string, now: Date): Promise<number> {
  return spendBetween(memberId, new Date(now.getTime() - ROLLING_WINDOW_DAYS * 86_400_000), now);
}

/** Net spend of purchases made after `since` up to `now` (refunds subtracted), from the (memberId, at) index. */
export async function spendBetween(memberId: Types.ObjectId | string, since: Date, now: Date): Promise<number> {
  const rows = await Purchase.find(
    { memberId, at: { $gt: since, $lte: now } },
    { amount: 1, refundedAmount: 1, _id: 0 },
  ).lean();
  return rows.reduce((sum, p) => sum + p.amount - (p.refundedAmount ?? 0), 0);
}

/** The member's tier for the card: label, multiplier, rolling spend and what the next tier still needs. */
export async function getTierStatus(
  member: {
    _id: Types.ObjectId | string;
    tier?: { code?: string | null; since?: Date | null; reviewAt?: Date | null } | null;
  },
  now: Date,
  /** The program settings when the caller has them already (one read less). */
  given?: ProgramSettings,
): Promise<TierStatus> {
  const [settings, spend] = await Promise.all([given ?? getProgramSettings(), rollingSpend(member._id, now)]);
  const tier = tierByCode(member.tier?.code, settings.tiers);
  const rank = tierRank(tier.code, settings.tiers);
  return {
    code: tier.code,
    label: tier.label,
    multiplier: tier.multiplier,
    since: member.tier?.since ? member.tier.since.toISOString() : null,
    rollingSpend: spend,
    next: nextTier(tier.code, spend, settings.tiers),
    benefits: tierBenefitFacts(tier, settings.tiers, await tierCouponTitles(tier)),
    reviewAt: rank > 0 && member.tier?.reviewAt ? member.tier.reviewAt.toISOString() : null,
  };
}

export interface TierChange {
  changed: boolean;
  from: string;
  to: string;
  direction: 'up' | 'down' | 'none';
}

/**
 * Moves a member to the tier their rolling spend earns, upward only unless `allowDowngrade` (the review job).
 * The move is a conditional update on the tier the decision was based on, so concurrent purchases cannot
 * announce the same upgrade twice. On a change: tier coupons (upgrades), a chat message, a timeline entry.
 */
export async function applyEarnedTier(
  messenger: Messenger,
  memberId: Types.ObjectId | string,
  now: Date,
  opts: {
    allowDowngrade?: boolean;
    settings?: ProgramSettings;
    timeZone: string;
    spend?: number;
    /** The tier review links rich menus in bulk afterwards instead of one call per member. */
    deferRichMenu?: boolean;
  },
): Promise<TierChange> {
  const settings = opts.settings ?? (await getProgramSettings());
  const member = await Member.findById(memberId, { tier: 1, 'stats.totalSpend': 1 }).lean();
  if (!member) return { changed: false, from: '', to: '', direction: 'none' };
  const from = member.tier?.code ?? settings.tiers[0].code;
  // Rolling spend never exceeds lifetime spend: below the next threshold, an upgrade-only check can stop here.
  const above = settings.tiers[tierRank(from, settings.tiers) + 1];
  if (
    !opts.allowDowngrade &&
    opts.spend === undefined &&
    (!above || (member.stats?.totalSpend ?? 0) < above.minSpend)
  ) {
    return { changed: false, from, to: from, direction: 'none' };
  }
  const spend = opts.spend ?? (await rollingSpend(memberId, now));
  // At the review a member keeps a tier on its renewal spend (保級門檻), which may be below its threshold.
  const target = opts.allowDowngrade
    ? tierAfterReview(from, spend, settings.tiers)
    : tierForSpend(spend, settings.tiers);
  const fromRank = tierRank(from, settings.tiers);
  const toRank = tierRank(target.code, settings.tiers);
  const direction = toRank > fromRank ? 'up' : toRank < fromRank ? 'down' : 'none';
  if (direction === 'none' || (direction === 'down' && !opts.allowDowngrade))
    return { changed: false, from, to: from, direction: 'none' };
  const res = await Member.updateOne(
    { _id: memberId, 'tier.code': member.tier?.code ?? null },
    { $set: { tier: tierHolding(target, now, settings) } },
  );
  if (res.modifiedCount !== 1) return { changed: false, from, to: from, direction: 'none' };
  await announceTierChange(messenger, memberId, target, direction, now, settings, opts.timeZone, opts.spend);
  if (!opts.deferRichMenu) await syncMemberRichMenu(messenger.richMenus, memberId, now, 'tier');
  await enterJourneys(
    { now, timeZone: opts.timeZone, logger: log },
    { type: 'tier_changed', memberId: String(memberId), from, to: target.code, direction },
  );
  return { changed: true, from, to: target.code, direction };
}

/** The member's `tier` from `now`: a tier above the first is reviewed in 12 months, and warned before that. */
function tierHolding(tier: Tier, now: Date, settings: ProgramSettings) {
  if (tierRank(tier.code, settings.tiers) <= 0) return { code: tier.code, since: now };
  return { code: tier.code, since: now, reviewAt: nextReviewAt(now), warnPending: true };
}

async function announceTierChange(
  messenger: Messenger,
  memberId: Types.ObjectId | string,
  tier: Tier,
  direction: 'up' | 'down',
  now: Date,
  settings: ProgramSettings,
  tz: string,
  spend?: number,
): Promise<void> {
  const day = zonedDate(now, tz);
  await recordInteraction({
    memberId,
    type: 'event',
    channel: 'system',
    at: now,
    key: `tier:${memberId}:${tier.code}:${day}`,
    summary: `會員等級${direction === 'up' ? '升級' : '調整'}為「${tier.label}」`,
    refs: { tier: tier.code, direction },
  });
  let text: string;
  if (direction === 'up') {
    const gift = await giveTierGift(memberId, tier, now, settings, tz);
    const facts = tierBenefitFacts(tier, settings.tiers, gift.coupons);
    // The message names the gift this year really put in the card (a part that failed is not promised).
    facts.gift = gift;
    text = programText.tierUp(tier.label, tier.multiplier, tierBenefitBullets(facts));
  } else text = downgradeText(tier, settings, spend ?? 0);
  try {
    await notifyMember(messenger, memberId, [{ type: 'text', text }], {
      key: `tier-change:${memberId}:${tier.code}:${day}`,
      now,
      refs: { tier: tier.code },
    });
  } catch (err) {
    log.warn({ err, memberId: String(memberId) }, 'tier changed but the chat notice failed');
  }
}

function downgradeText(tier: Tier, settings: ProgramSettings, spend: number): string {
  const up = nextTier(tier.code, spend, settings.tiers);
  return up ? programText.tierDown(tier.label, up.spendNeeded, up.label) : programText.tierDownBase(tier.label);
}
