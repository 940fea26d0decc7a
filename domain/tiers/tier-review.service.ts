import type { Types } from 'mongoose';
import { Member } from '../../models/member.model';
import { Purchase } from '../../models/purchase.model';
import type { Messenger } from '../messaging/messenger';
import { getProgramSettings, type ProgramSettings } from '../program/settings.service';
import { syncRichMenusBulk } from '../richmenus/richmenu-assign.service';
import { forEachLimit } from '../shared/concurrency';
import { applyEarnedTier } from './tier.service';
import { nextReviewAt, ROLLING_WINDOW_DAYS, tierAfterReview, tierForSpend, tierRank } from './tier-rules';

/** Members the tier review moves at the same time. */
const REVIEW_CONCURRENCY = 8;

type ReviewedMember = {
  _id: Types.ObjectId;
  tier?: { code?: string | null; since?: Date | null; reviewAt?: Date | null };
};

/**
 * The tier review (job, nightly). Upgrades are caught up for everyone who bought in the window (e.g. after a
 * threshold change). A tier above the first is reviewed once a year, 12 months after it was reached or renewed
 * (`tier.reviewAt`): the member keeps it when the rolling 12-month spend meets the tier's renewal spend (保級門檻,
 * `keepSpend`, default its threshold) and the next review moves a year on; otherwise the member moves to the
 * highest tier below whose renewal spend the spend meets. A member the review never saw (no `reviewAt`: reached
 * before reviews were dated) gets the anniversary of `since`, or is due now when that has passed.
 * Idempotent: a second run finds nothing left to change.
 */
export async function reviewTiers(
  messenger: Messenger,
  now: Date,
  opts: { timeZone: string },
): Promise<{ checked: number; upgraded: number; downgraded: number; renewed: number; richMenuBulkCalls: number }> {
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
    { _id: 1, tier: 1 },
  ).lean<ReviewedMember[]>();
  const out = { checked: 0, upgraded: 0, downgraded: 0, renewed: 0, richMenuBulkCalls: 0 };
  const changed: Types.ObjectId[] = [];
  // A few members at a time: each change is a conditional update, a notice and a timeline entry (pushes dominate),
  // so the night's changes are not one long serial chain of LINE round trips.
  await forEachLimit(members, REVIEW_CONCURRENCY, async (m) => {
    out.checked++;
    const spend = spendBy.get(String(m._id)) ?? 0;
    const outcome = await reviewOne(messenger, m, spend, now, settings, opts.timeZone);
    if (outcome === 'up' || outcome === 'down') changed.push(m._id);
    if (outcome === 'up') out.upgraded++;
    if (outcome === 'down') out.downgraded++;
    if (outcome === 'renewed') out.renewed++;
  });
  // The tier menus of everyone who moved, ≤ 500 members a LINE call.
  out.richMenuBulkCalls = (await syncRichMenusBulk(messenger.richMenus, changed, now, 'tier-review')).bulkCalls;
  return out;
}

async function reviewOne(
  messenger: Messenger,
  m: ReviewedMember,
  spend: number,
  now: Date,
  settings: ProgramSettings,
  timeZone: string,
): Promise<'up' | 'down' | 'renewed' | 'none'> {
  const code = m.tier?.code ?? settings.tiers[0].code;
  const rank = tierRank(code, settings.tiers);
  const earnedUp = tierRank(tierForSpend(spend, settings.tiers).code, settings.tiers) > rank;
  const reviewAt = m.tier?.reviewAt ?? null;
  if (!earnedUp && rank > 0 && !reviewAt) {
    // Undated (reached before reviews were dated): the anniversary of reaching it, unless that has passed.
    const anniversary = m.tier?.since ? nextReviewAt(m.tier.since) : null;
    if (anniversary && anniversary > now) {
      await Member.updateOne(
        { _id: m._id, 'tier.code': code, 'tier.reviewAt': null },
        { $set: { 'tier.reviewAt': anniversary, 'tier.warnPending': true } },
      );
      return 'none';
    }
  }
  const due = rank > 0 && (!reviewAt || reviewAt <= now);
  if (!earnedUp && !due) return 'none';
  if (due && !earnedUp && tierAfterReview(code, spend, settings.tiers).code === code) {
    let next = nextReviewAt(reviewAt ?? now);
    while (next <= now) next = nextReviewAt(next);
    const res = await Member.updateOne(
      { _id: m._id, 'tier.code': code, 'tier.reviewAt': reviewAt },
      { $set: { 'tier.reviewAt': next, 'tier.warnPending': true } },
    );
    return res.modifiedCount === 1 ? 'renewed' : 'none';
  }
  const change = await applyEarnedTier(messenger, m._id, now, {
    allowDowngrade: due,
    settings,
    timeZone,
    spend,
    deferRichMenu: true,
  });
  return change.direction === 'none' ? 'none' : change.direction;
}
