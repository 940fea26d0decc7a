import { enterJourneys } from '../journeys/journey-enter.service';
import type { Types } from 'mongoose';
import { Member } from '../../models/member.model';
import { Purchase } from '../../models/purchase.model';
import type { Messenger } from '../messaging/messenger';
import { notifyMember } from '../messaging/notify.service';
import { recordInteraction } from '../interactions/interaction.service';
import { zonedDate, zonedParts } from '../shared/clock';
import { forEachLimit } from '../shared/concurrency';
import { moduleLogger } from '../shared/logger';
import { getProgramSettings, type ProgramSettings } from '../program/settings.service';
import { programText } from '../program/program-messages';
import type { Tier } from '../program/program-settings.schema';
import { issueCoupon } from '../coupons/coupon-issue.service';
import { syncMemberRichMenu, syncRichMenusBulk } from '../richmenus/richmenu-assign.service';
import { nextTier, ROLLING_WINDOW_DAYS, tierByCode, tierForSpend, tierRank } from './tier-rules';

export { tierForSpend, nextTier, pointsForPurchase, ROLLING_WINDOW_DAYS } from './tier-rules';

const log = moduleLogger('tiers');

/** Members the tier review moves at the same time. */
const REVIEW_CONCURRENCY = 8;

export interface TierStatus {
  code: string;
  label: string;
  multiplier: number;
  /** ISO date the member reached this tier, if known. */
  since: string | null;
  /** Net spend (after refunds) of the last 12 months, NT$. */
  rollingSpend: number;
  next: { code: string; label: string; spendNeeded: number } | null;
}

/**
 * Net spend of purchases made in the 12 months up to `now` (refunds subtracted). A plain indexed find summed
 * here rather than an aggregation: one member has few orders a year, and every store answers it from the
 * (memberId, at) index.
 */
export async function rollingSpend(memberId: Types.ObjectId | string, now: Date): Promise<number> {
  const since = new Date(now.getTime() - ROLLING_WINDOW_DAYS * 86_400_000);
  const rows = await Purchase.find(
    { memberId, at: { $gt: since, $lte: now } },
    { amount: 1, refundedAmount: 1, _id: 0 },
  ).lean();
  return rows.reduce((sum, p) => sum + p.amount - (p.refundedAmount ?? 0), 0);
}

/** The member's tier for the card: label, multiplier, rolling spend and what the next tier still needs. */
export async function getTierStatus(
  member: { _id: Types.ObjectId | string; tier?: { code?: string | null; since?: Date | null } | null },
  now: Date,
  /** The program settings when the caller has them already (one read less). */
  given?: ProgramSettings,
): Promise<TierStatus> {
  const [settings, spend] = await Promise.all([given ?? getProgramSettings(), rollingSpend(member._id, now)]);
  const tier = tierByCode(member.tier?.code, settings.tiers);
  return {
    code: tier.code,
    label: tier.label,
    multiplier: tier.multiplier,
    since: member.tier?.since ? member.tier.since.toISOString() : null,
    rollingSpend: spend,
    next: nextTier(tier.code, spend, settings.tiers),
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
  const target = tierForSpend(opts.spend ?? (await rollingSpend(memberId, now)), settings.tiers);
  const fromRank = tierRank(from, settings.tiers);
  const toRank = tierRank(target.code, settings.tiers);
  const direction = toRank > fromRank ? 'up' : toRank < fromRank ? 'down' : 'none';
  if (direction === 'none' || (direction === 'down' && !opts.allowDowngrade))
    return { changed: false, from, to: from, direction: 'none' };
  const res = await Member.updateOne(
    { _id: memberId, 'tier.code': member.tier?.code ?? null },
    { $set: { tier: { code: target.code, since: now } } },
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
  const coupons = direction === 'up' ? await issueTierCoupons(memberId, tier, now, tz) : [];
  const text =
    direction === 'up'
      ? programText.tierUp(tier.label, tier.multiplier, coupons)
      : downgradeText(tier, settings, spend ?? 0);
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

/**
 * Tier coupons: once per tier per calendar year (re-reaching a tier within the year gives none again). The key is
 * the one a tier-upgrade journey's coupon step uses too, so the coupon exists once whichever issues it first.
 * Returns the titles of the coupons the member holds from this tier this year (what the upgrade message names).
 */
async function issueTierCoupons(
  memberId: Types.ObjectId | string,
  tier: Tier,
  now: Date,
  tz: string,
): Promise<string[]> {
  const year = zonedParts(now, tz).year;
  const titles: string[] = [];
  for (const templateId of tier.couponTemplateIds) {
    try {
      const r = await issueCoupon({
        templateId,
        memberId: String(memberId),
        key: `tier:${memberId}:${tier.code}:${templateId}:${year}`,
        now,
        source: 'tier',
        timeZone: tz,
      });
      titles.push(r.coupon.title);
    } catch (err) {
      log.warn({ err, templateId, memberId: String(memberId) }, 'tier coupon not issued');
    }
  }
  return titles;
}

/**
 * The tier review (job): re-evaluates every member who holds a tier above the first or bought in the window,
 * downgrading those whose rolling spend dropped and catching up upgrades (e.g. after a threshold change).
 * Idempotent: a second run finds nothing left to change.
 */
export async function reviewTiers(
  messenger: Messenger,
  now: Date,
  opts: { timeZone: string },
): Promise<{ checked: number; upgraded: number; downgraded: number; richMenuBulkCalls: number }> {
  const settings = await getProgramSettings();
  const since = new Date(now.getTime() - ROLLING_WINDOW_DAYS * 86_400_000);
  const spends = await Purchase.aggregate<{ _id: Types.ObjectId; total: number }>([
    { $match: { at: { $gt: since, $lte: now } } },
    { $group: { _id: '$memberId', total: { $sum: { $subtract: ['$amount', '$refundedAmount'] } } } },
  ]);
  const spendBy = new Map(spends.map((s) => [String(s._id), s.total]));
  const base = settings.tiers[0].code;
  const members = await Member.find(
    { $or: [{ 'tier.code': { $ne: base } }, { _id: { $in: spends.map((s) => s._id) } }], erasedAt: null },
    { _id: 1 },
  ).lean();
  const out = { checked: 0, upgraded: 0, downgraded: 0, richMenuBulkCalls: 0 };
  const changed: Types.ObjectId[] = [];
  // A few members at a time: each change is a conditional update, a notice and a timeline entry (pushes dominate),
  // so the night's changes are not one long serial chain of LINE round trips.
  await forEachLimit(members, REVIEW_CONCURRENCY, async (m) => {
    out.checked++;
    const change = await applyEarnedTier(messenger, m._id, now, {
      allowDowngrade: true,
      settings,
      timeZone: opts.timeZone,
      spend: spendBy.get(String(m._id)) ?? 0,
      deferRichMenu: true,
    });
    if (change.changed) changed.push(m._id);
    if (change.direction === 'up') out.upgraded++;
    if (change.direction === 'down') out.downgraded++;
  });
  // The tier menus of everyone who moved, ≤ 500 members a LINE call.
  out.richMenuBulkCalls = (await syncRichMenusBulk(messenger.richMenus, changed, now, 'tier-review')).bulkCalls;
  return out;
}
