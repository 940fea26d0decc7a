import type { Types } from 'mongoose';
import { Member } from '../../models/member.model';
import type { Messenger } from '../messaging/messenger';
import { notifyMember } from '../messaging/notify.service';
import { recordInteraction } from '../interactions/interaction.service';
import { moduleLogger } from '../shared/logger';
import { changePoints, expiryForEarning } from '../points/points.service';
import { issueCoupon } from '../coupons/coupon-issue.service';
import { getProgramSettings, type ProgramSettings } from '../program/settings.service';
import type { Reward } from '../program/program-settings.schema';
import { programText } from '../program/program-messages';
import { referrerChainReaches } from './referral-chain.service';
import { grantEarnedCredit } from '../credit/credit.service';

const log = moduleLogger('referrals');

interface RewardContext {
  messenger: Messenger;
  now: Date;
  timeZone: string;
  settings: ProgramSettings;
}

/**
 * Called for every purchase: when the buyer was referred and this is their first qualifying purchase, the
 * referrer gets the referral reward and the buyer the welcome reward, each told in chat. Exactly once per referee:
 * every reward and message is keyed by the referee (`referral:referrer:<refereeId>`…), and `rewardedAt` is set
 * only after the rewards, so a crash in between is completed by the next purchase or a replay.
 */
export async function completeReferralOnPurchase(
  messenger: Messenger,
  refereeId: Types.ObjectId | string,
  purchase: { amount: number; orderKey: string },
  now: Date,
  opts: { timeZone: string; settings?: ProgramSettings },
): Promise<{ completed: boolean }> {
  const settings = opts.settings ?? (await getProgramSettings());
  const referee = await Member.findById(refereeId, {
    referral: 1,
    displayName: 1,
    name: 1,
    'priorRewards.referee': 1,
  }).lean();
  const referrerId = referee?.referral?.referredBy;
  if (!referee || !referrerId || referee.referral?.rewardedAt) return { completed: false };
  // A returning person (erasure registry) had their referee reward, and their referrer the reward for them.
  if (referee.priorRewards?.referee) return { completed: false };
  if (!settings.referral.enabled || purchase.amount < settings.referral.minPurchaseAmount) return { completed: false };
  // A ring closed by two bindings racing each other past the check in applyReferralCode pays nobody.
  if (await referrerChainReaches(referrerId, refereeId)) return { completed: false };
  const ctx: RewardContext = { messenger, now, timeZone: opts.timeZone, settings };
  // After a void reversed the rewards (#16.5), a new qualifying purchase rewards again under fresh keys.
  const round = referralRound(referee.referral?.rewardVoids);

  const slot = await reserveReferrerReward(referrerId, refereeId, settings.referral.maxRewardsPerReferrer);
  const capReached = slot === 'cap_reached';
  const refereeName = referee.name || referee.displayName || '';
  if (slot === 'granted') {
    const text = await grantReward(
      ctx,
      referrerId,
      settings.referral.referrerReward,
      `referral:referrer:${refereeId}${round}`,
      'referral',
      refereeName,
      settings.credit.referralAmount,
    );
    if (text)
      await tell(
        ctx,
        referrerId,
        programText.referrerRewarded(refereeName, text),
        `referral-reward:referrer:${refereeId}${round}`,
      );
  }
  const welcome = await grantReward(
    ctx,
    refereeId,
    settings.referral.refereeReward,
    `referral:referee:${refereeId}${round}`,
    'welcome',
    '',
  );
  if (welcome)
    await tell(ctx, refereeId, programText.refereeWelcome(welcome), `referral-reward:referee:${refereeId}${round}`);

  const res = await Member.updateOne(
    { _id: refereeId, 'referral.rewardedAt': null },
    { $set: { 'referral.rewardedAt': now, 'referral.rewardedOrderKey': purchase.orderKey } },
  );
  if (res.modifiedCount === 1) {
    await recordInteraction({
      memberId: refereeId,
      type: 'event',
      channel: 'system',
      at: now,
      key: `referral-completed:${refereeId}${round}`,
      summary: '推薦好友完成首購',
      refs: { referrerId: String(referrerId), orderKey: purchase.orderKey, referrerCapReached: capReached },
    });
  }
  return { completed: res.modifiedCount === 1 };
}

/** The key suffix of a referral's rewards: '' the first time, `:r<n>` after n voids reversed them. */
export function referralRound(voids: number | null | undefined): string {
  return voids ? `:r${voids}` : '';
}

/**
 * Takes one of the referrer's reward slots for this referee, atomically: the referee's id joins the referrer's
 * `rewardedReferees` only while that list is shorter than the cap (or already holds it, so a replay gets the same
 * answer). Counting rewarded referees and then granting would let two first purchases at the same moment both see
 * room for one more reward.
 */
async function reserveReferrerReward(
  referrerId: Types.ObjectId,
  refereeId: Types.ObjectId | string,
  cap: number,
): Promise<'granted' | 'cap_reached' | 'no_referrer'> {
  const referrer = await Member.findById(referrerId, { erasedAt: 1, 'referral.rewardedReferees': 1 }).lean();
  if (!referrer || referrer.erasedAt) return 'no_referrer';
  if (!referrer.referral?.rewardedReferees) await backfillRewardedReferees(referrerId);
  const res = await Member.updateOne(
    {
      _id: referrerId,
      erasedAt: null,
      $or: [
        { 'referral.rewardedReferees': refereeId },
        { [`referral.rewardedReferees.${cap - 1}`]: { $exists: false } },
      ],
    },
    { $addToSet: { 'referral.rewardedReferees': refereeId } },
  );
  return res.matchedCount === 1 ? 'granted' : 'cap_reached';
}

/** Referrers rewarded before `rewardedReferees` existed: the list starts from the referees already rewarded (once). */
async function backfillRewardedReferees(referrerId: Types.ObjectId): Promise<void> {
  const rewarded = await Member.find(
    { 'referral.referredBy': referrerId, 'referral.rewardedAt': { $ne: null } },
    { _id: 1 },
  ).lean();
  await Member.updateOne(
    { _id: referrerId, 'referral.rewardedReferees': { $exists: false } },
    { $set: { 'referral.rewardedReferees': rewarded.map((m) => m._id) } },
  );
}

/** Grants points and/or a coupon; returns the zh-TW description of what was granted ('' when nothing). */
async function grantReward(
  ctx: RewardContext,
  memberId: Types.ObjectId | string,
  reward: Reward,
  key: string,
  reason: 'referral' | 'welcome',
  friendName: string,
  /** NT$ of shopping credit on top (the referrer's 購物金 of seed 002; 0 = none). */
  credit = 0,
): Promise<string> {
  const parts: string[] = [];
  if (credit > 0) {
    await grantEarnedCredit({
      memberId,
      amount: credit,
      validDays: ctx.settings.credit.referralValidDays,
      reason: 'referral',
      key,
      now: ctx.now,
      note: `推薦好友 ${friendName} 首購`,
    });
    parts.push(programText.rewardCredit(credit));
  }
  if (reward.points > 0) {
    await changePoints({
      memberId,
      delta: reward.points,
      reason,
      key,
      now: ctx.now,
      note: reason === 'referral' ? `推薦好友 ${friendName} 首購` : '新朋友首購禮',
      expiresAt: await expiryForEarning(ctx.now, ctx.timeZone, ctx.settings),
    });
    parts.push(programText.rewardPoints(reward.points));
  }
  if (reward.couponTemplateId) {
    try {
      const r = await issueCoupon({
        templateId: reward.couponTemplateId,
        memberId: String(memberId),
        key,
        now: ctx.now,
        source: reason === 'referral' ? 'referral' : 'welcome',
        timeZone: ctx.timeZone,
      });
      parts.push(programText.rewardCoupon(r.coupon.title));
    } catch (err) {
      // A sold-out or archived reward coupon must not block the points part of the reward.
      log.warn({ err, memberId: String(memberId), templateId: reward.couponTemplateId }, 'referral coupon not issued');
    }
  }
  return programText.rewardJoin(...parts);
}

async function tell(ctx: RewardContext, memberId: Types.ObjectId | string, text: string, key: string): Promise<void> {
  try {
    await notifyMember(ctx.messenger, memberId, [{ type: 'text', text }], { key, now: ctx.now });
  } catch (err) {
    log.warn({ err, memberId: String(memberId) }, 'referral reward granted but the chat notice failed');
  }
}
