import type { Types } from 'mongoose';
import { Member } from '../../models/member.model';
import { Purchase } from '../../models/purchase.model';
import { Settings } from '../../models/settings.model';
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

/** Members whose window spend one aggregate sums (an `$in` on the (memberId, at) index). */
const SPEND_BATCH = 500;
/** Where the review remembers the thresholds it last caught upgrades up for (settings collection, by key). */
const STATE_KEY = 'tier-review';

/** The thresholds that decide upgrades: when these change, the next review catches up everyone who bought. */
export function tierThresholdsFingerprint(settings: ProgramSettings): string {
  return settings.tiers.map((t) => `${t.code}:${t.minSpend}`).join('|');
}

/**
 * The tier review (job, nightly). A tier above the first is reviewed once a year, 12 months after it was reached or
 * renewed (`tier.reviewAt`): the member keeps it when the rolling 12-month spend meets the tier's renewal spend
 * (保級門檻, `keepSpend`, default its threshold) and the next review moves a year on; otherwise the member moves to
 * the highest tier below whose renewal spend the spend meets. A member the review never saw (no `reviewAt`: reached
 * before reviews were dated) gets the anniversary of `since`, or is due now when that has passed.
 *
 * Work grows with what is due, not with all members: it reads the members whose review date has come and the
 * undated ones, through the (`tier.reviewAt`, `tier.code`) index, and sums only their window's purchases.
 * Upgrades happen at the purchase; the review catches missed ones up for everyone who bought in the window only
 * when the upgrade thresholds differ from those it last caught up for (a marketer lowered a threshold, or the
 * first run), remembered in the settings collection.
 * Idempotent: a second run finds nothing left to change.
 */
export async function reviewTiers(
  messenger: Messenger,
  now: Date,
  opts: { timeZone: string },
): Promise<{
  checked: number;
  upgraded: number;
  downgraded: number;
  renewed: number;
  richMenuBulkCalls: number;
  caughtUp: number;
}> {
  const settings = await getProgramSettings();
  const since = new Date(now.getTime() - ROLLING_WINDOW_DAYS * 86_400_000);
  const window = { $gt: since, $lte: now };
  const fingerprint = tierThresholdsFingerprint(settings);
  const state = await Settings.findOne({ key: STATE_KEY }, { value: 1 }).lean();
  const catchUp = (state?.value as { thresholds?: string } | undefined)?.thresholds !== fingerprint;

  const upper = settings.tiers.slice(1).map((t) => t.code);
  // Erased members are skipped after the read: an `erasedAt: null` beside the `$or` would let a planner pick the
  // erasedAt index, which holds every member.
  const members = (
    await Member.find(
      { $or: [{ 'tier.reviewAt': { $lte: now } }, { 'tier.reviewAt': null, 'tier.code': { $in: upper } }] },
      { _id: 1, tier: 1, erasedAt: 1 },
    ).lean<Array<ReviewedMember & { erasedAt?: Date | null }>>()
  ).filter((m) => !m.erasedAt);
  const spendBy = new Map<string, number>();
  if (catchUp) {
    // Everyone who bought in the window (the thresholds changed): one pass over the window's purchases.
    const spends = await Purchase.aggregate<{ _id: Types.ObjectId; total: number }>([
      { $match: { at: window } },
      { $group: { _id: '$memberId', total: { $sum: { $subtract: ['$amount', '$refundedAmount'] } } } },
    ]);
    for (const s of spends) spendBy.set(String(s._id), s.total);
    const seen = new Set(members.map((m) => String(m._id)));
    const buyers = spends.filter((s) => !seen.has(String(s._id))).map((s) => s._id);
    for (let i = 0; i < buyers.length; i += SPEND_BATCH) {
      const batch = buyers.slice(i, i + SPEND_BATCH);
      members.push(
        ...(await Member.find({ _id: { $in: batch }, erasedAt: null }, { _id: 1, tier: 1 }).lean<ReviewedMember[]>()),
      );
    }
  } else {
    for (let i = 0; i < members.length; i += SPEND_BATCH) {
      const ids = members.slice(i, i + SPEND_BATCH).map((m) => m._id);
      const spends = await Purchase.aggregate<{ _id: Types.ObjectId; total: number }>([
        { $match: { memberId: { $in: ids }, at: window } },
        { $group: { _id: '$memberId', total: { $sum: { $subtract: ['$amount', '$refundedAmount'] } } } },
      ]);
      for (const s of spends) spendBy.set(String(s._id), s.total);
    }
  }
  const out = { checked: 0, upgraded: 0, downgraded: 0, renewed: 0, richMenuBulkCalls: 0, caughtUp: 0 };
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
  if (catchUp) {
    // Only after every member was looked at: a run that failed half-way catches up again the next night.
    await Settings.updateOne(
      { key: STATE_KEY },
      { $set: { value: { thresholds: fingerprint, at: now } }, $inc: { version: 1 } },
      { upsert: true },
    );
    out.caughtUp = 1;
  }
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
