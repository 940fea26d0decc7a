import type { Types } from 'mongoose';
import { Coupon } from '../../models/coupon.model';
import { Member } from '../../models/member.model';
import { PointsEntry } from '../../models/points-entry.model';
import { countActiveCoupon } from '../coupons/coupon-counters';
import { recordInteraction } from '../interactions/interaction.service';
import { changePoints } from '../points/points.service';
import { referralRound } from './referral-reward.service';

/**
 * One side of a referral's reward to take back (#16.5). Points and coupons today; shopping credit (#16.2) adds
 * its side here, keyed the same way (`<reward key>` → `<void key>:<side>`).
 */
type RewardSide = { side: 'referrer' | 'referee'; rewardKey: string };

/**
 * The order that completed a referral was voided: as if it never happened, the referrer's and the referee's
 * rewards are taken back (points as a keyed debit that may leave a debt, like a refund; an unused reward coupon
 * is voided, a used one is kept and noted), the referrer's reward slot is freed and the referral is pending
 * again, so a later real first purchase rewards it afresh (under new keys). Idempotent by `voidKey`; the final
 * conditional update on `rewardedOrderKey` makes it happen once.
 */
export async function reverseReferralForOrder(
  refereeId: Types.ObjectId | string,
  orderKey: string,
  ctx: { now: Date; actor: string; voidKey: string },
): Promise<{ reversed: boolean }> {
  const referee = await Member.findById(refereeId, { referral: 1 }).lean();
  const referral = referee?.referral;
  if (!referral?.rewardedAt || referral.rewardedOrderKey !== orderKey) return { reversed: false };
  const round = referralRound(referral.rewardVoids);
  const sides: RewardSide[] = [
    { side: 'referrer', rewardKey: `referral:referrer:${refereeId}${round}` },
    { side: 'referee', rewardKey: `referral:referee:${refereeId}${round}` },
  ];
  const keptCoupons: string[] = [];
  for (const s of sides) {
    await takeBackPoints(s, ctx);
    if (!(await voidRewardCoupon(s.rewardKey))) keptCoupons.push(s.side);
  }
  if (referral.referredBy)
    await Member.updateOne({ _id: referral.referredBy }, { $pull: { 'referral.rewardedReferees': referee!._id } });
  const res = await Member.updateOne(
    { _id: refereeId, 'referral.rewardedOrderKey': orderKey },
    {
      $unset: { 'referral.rewardedAt': 1, 'referral.rewardedOrderKey': 1 },
      $inc: { 'referral.rewardVoids': 1 },
    },
  );
  if (res.modifiedCount === 1)
    await recordInteraction({
      memberId: refereeId,
      type: 'event',
      channel: 'console',
      at: ctx.now,
      key: `${ctx.voidKey}:referral`,
      summary: `首購訂單作廢，推薦獎勵已收回${keptCoupons.length ? '（已使用的獎勵優惠券保留）' : ''}`,
      refs: { orderKey, referrerId: referral.referredBy ? String(referral.referredBy) : null, keptCoupons },
    });
  return { reversed: res.modifiedCount === 1 };
}

async function takeBackPoints(s: RewardSide, ctx: { now: Date; actor: string; voidKey: string }): Promise<void> {
  const granted = await PointsEntry.findOne({ key: s.rewardKey }, { memberId: 1, delta: 1 }).lean();
  if (!granted || granted.delta <= 0) return;
  await changePoints({
    memberId: granted.memberId,
    delta: -granted.delta,
    reason: 'reversal',
    key: `${ctx.voidKey}:referral:${s.side}`,
    actor: ctx.actor,
    now: ctx.now,
    allowDebt: true,
    note: s.side === 'referrer' ? '推薦好友的首購訂單作廢，推薦獎勵扣回' : '首購訂單作廢，新朋友首購禮扣回',
    refs: { rewardKey: s.rewardKey },
  });
}

/** Voids the side's reward coupon if unused; false when it was already used (kept: its value is spent). */
async function voidRewardCoupon(rewardKey: string): Promise<boolean> {
  const voided = await Coupon.findOneAndUpdate(
    { key: rewardKey, status: 'active' },
    { $set: { status: 'void' } },
    { returnDocument: 'after' },
  ).lean();
  if (voided) {
    await countActiveCoupon(voided, -1);
    return true;
  }
  const c = await Coupon.findOne({ key: rewardKey }, { status: 1 }).lean();
  return !c || c.status === 'void';
}
