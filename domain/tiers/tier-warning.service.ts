import type { Types } from 'mongoose';
import { Member } from '../../models/member.model';
import { formatDate } from '../../shared/format';
import type { Messenger } from '../messaging/messenger';
import { notifyMember } from '../messaging/notify.service';
import { getProgramSettings } from '../program/settings.service';
import { programText } from '../program/program-messages';
import { zonedDate } from '../shared/clock';
import { forEachLimit } from '../shared/concurrency';
import { moduleLogger } from '../shared/logger';
import { keepSpendOf, ROLLING_WINDOW_DAYS, tierAfterReview, tierByCode, tierRank } from './tier-rules';
import { spendBetween } from './tier.service';

const log = moduleLogger('tier-warning');
const WARN_CONCURRENCY = 8;

type UpcomingReview = { _id: Types.ObjectId; tier: { code: string; reviewAt: Date } };

/**
 * The downgrade warning (job, daily): `tierReview.warnDaysBefore` days before a member's yearly tier review, a
 * member whose spend so far would not keep the tier is told once what is still needed. Reads only the reviews
 * coming up that it has not looked at (`tier.warnPending` + `tier.reviewAt` on their index), so its work grows
 * with the reviews due, not with the members. Each review is looked at once: `warnPending` is cleared after the
 * push (or at once when the spend already keeps the tier — later purchases only add to it). The push carries
 * `tier-warning:<memberId>:<review date>` as its retry key and timeline key, so two instances racing on the same
 * member send one message; a failed push leaves the member pending for the next run.
 */
export async function warnTierDowngrades(
  messenger: Messenger,
  now: Date,
  opts: { timeZone: string },
): Promise<{ checked: number; warned: number; failed: number }> {
  const settings = await getProgramSettings();
  const out = { checked: 0, warned: 0, failed: 0 };
  const days = settings.tierReview.warnDaysBefore;
  if (days === 0) return out;
  const horizon = new Date(now.getTime() + days * 86_400_000);
  const due = await Member.find(
    { 'tier.warnPending': true, 'tier.reviewAt': { $gt: now, $lte: horizon } },
    { _id: 1, 'tier.code': 1, 'tier.reviewAt': 1 },
  ).lean<UpcomingReview[]>();
  await forEachLimit(due, WARN_CONCURRENCY, async (m) => {
    out.checked++;
    const tier = tierByCode(m.tier.code, settings.tiers);
    const reviewAt = m.tier.reviewAt;
    let warn = false;
    if (tierRank(m.tier.code, settings.tiers) > 0) {
      const windowStart = new Date(reviewAt.getTime() - ROLLING_WINDOW_DAYS * 86_400_000);
      const spend = await spendBetween(m._id, windowStart, now);
      warn = tierAfterReview(tier.code, spend, settings.tiers).code !== tier.code;
      if (warn) {
        const text = programText.tierWarning(
          tier.label,
          keepSpendOf(tier) - spend,
          formatDate(reviewAt, opts.timeZone),
        );
        try {
          await notifyMember(messenger, m._id, [{ type: 'text', text }], {
            key: `tier-warning:${m._id}:${zonedDate(reviewAt, opts.timeZone)}`,
            now,
            refs: { tier: tier.code, reviewAt: reviewAt.toISOString() },
          });
        } catch (err) {
          out.failed++;
          log.warn({ err, memberId: String(m._id) }, 'tier warning not sent; retried next run');
          return;
        }
      }
    }
    // Only for the review it looked at: a renewal or a new tier in between sets a new one, pending again.
    const done = await Member.updateOne(
      { _id: m._id, 'tier.warnPending': true, 'tier.reviewAt': reviewAt },
      { $set: { 'tier.warnPending': false } },
    );
    if (warn && done.modifiedCount === 1) out.warned++;
  });
  return out;
}
