import { reverseStampsForPurchase } from '../stamps/stamp.service';
import { Member } from '../../models/member.model';
import { Purchase, type PurchaseDoc } from '../../models/purchase.model';
import { recordInteraction } from '../interactions/interaction.service';
import { getProgramSettings, type ProgramSettings } from '../program/settings.service';
import { zonedDate } from '../shared/clock';
import { conflict, forbidden, notFound } from '../shared/errors';
import { can } from '../staff/roles';
import type { ConsoleRole } from '../../models/console-user.model';
import { rollingSpend } from '../tiers/tier.service';
import { tierByCode, tierForSpend, tierRank } from '../tiers/tier-rules';
import { takeBackTierGifts } from '../tiers/tier-gift.service';
import { formatMoney } from '../../shared/format';
import { isObjectId } from '../../shared/ids';
import { refundPurchase } from './purchase-refund.service';
import { Coupon } from '../../models/coupon.model';
import { reverseRedemption } from '../coupons/coupon-redemption.service';
import { reverseReferralForOrder } from '../referrals/referral-reversal.service';

/** What every reversal step gets: the voided purchase and who voids it, when. */
export interface VoidContext {
  purchase: PurchaseDoc;
  now: Date;
  actor: string;
  reason: string;
  timeZone: string;
  settings: ProgramSettings;
  /** Prefix for the step's idempotency keys: `void:<source>:<orderId>`. */
  key: string;
}
export type VoidStep = { name: string; run: (ctx: VoidContext) => Promise<void> };

/**
 * The refund machinery reverses the money side in one keyed refund (`refundId: void`): member stats and average,
 * campaign attributed revenue/count/buyers, the points earned (allowDebt, like a refund), and the credit and points
 * the order was paid with (given back through their ledgers, #16.2–3). A purchase already refunded in full has
 * nothing left to reverse there.
 */
const reverseThroughRefund: VoidStep = {
  name: 'refund',
  run: async (ctx) => {
    try {
      await refundPurchase(
        { orderId: ctx.purchase.orderId, refundId: 'void', reason: `作廢：${ctx.reason}` },
        { source: ctx.purchase.source, now: ctx.now, actor: ctx.actor },
      );
    } catch (err) {
      if ((err as { code?: string }).code !== 'purchase_already_refunded') throw err;
    }
  },
};

/**
 * Tier: back to what it would be without this purchase — the tier held before it, or what the remaining spend
 * earns if that is higher. A conditional update on the current tier; no message (the member was told of the
 * upgrade; a re-upgrade the same day reuses the same retry key, so it is never announced twice).
 */
const recomputeTier: VoidStep = {
  name: 'tier',
  run: async (ctx) => {
    const tiers = ctx.settings.tiers;
    const member = await Member.findById(ctx.purchase.memberId, { tier: 1 }).lean();
    if (!member) return;
    const current = tierByCode(member.tier?.code, tiers);
    const before = tierByCode(ctx.purchase.tierAtPurchase, tiers);
    const earned = tierForSpend(await rollingSpend(ctx.purchase.memberId, ctx.now), tiers);
    const target = tierRank(earned.code, tiers) > tierRank(before.code, tiers) ? earned : before;
    // The upgrade gifts of the tiers above the target given since this purchase arrived come back (#16.4); keyed,
    // so a replayed void (whose tier already moved) finishes what an interrupted one started.
    const lost = tiers.slice(tierRank(target.code, tiers) + 1);
    if (tierRank(target.code, tiers) < tierRank(current.code, tiers)) {
      const res = await Member.updateOne(
        { _id: ctx.purchase.memberId, 'tier.code': member.tier?.code ?? null },
        { $set: { tier: { code: target.code, since: member.tier?.since ?? ctx.now } } },
      );
      if (res.modifiedCount === 1)
        await recordInteraction({
          memberId: ctx.purchase.memberId,
          type: 'event',
          channel: 'console',
          at: ctx.now,
          key: `${ctx.key}:tier`,
          summary: `訂單 ${ctx.purchase.orderId} 作廢，會員等級回到「${target.label}」`,
          refs: { purchaseId: String(ctx.purchase._id), tier: target.code },
        });
    }
    await takeBackTierGifts(ctx.purchase.memberId, lost, ctx.purchase.receivedAt, ctx.now, ctx.key);
  },
};

/** Stamps the order earned come off their cards, and a reward they alone earned is taken back (#16.1). */
const reverseStamps: VoidStep = {
  name: 'stamps',
  run: async (ctx) => {
    await reverseStampsForPurchase(String(ctx.purchase._id), { now: ctx.now, timeZone: ctx.timeZone });
  },
};

/**
 * The referral this order completed (it was the referee's first qualifying purchase) is as if it never happened:
 * both rewards taken back, the referral pending again (#16.5).
 */
const reverseReferral: VoidStep = {
  name: 'referral',
  run: async (ctx) => {
    await reverseReferralForOrder(ctx.purchase.memberId, `${ctx.purchase.source}:${ctx.purchase.orderId}`, {
      now: ctx.now,
      actor: ctx.actor,
      voidKey: ctx.key,
    });
  },
};

/** A coupon redeemed with this purchase at the counter is usable again (the reversal is kept on the coupon). */
const unredeemCoupon: VoidStep = {
  name: 'coupon',
  run: async (ctx) => {
    if (!ctx.purchase.couponId) return;
    const c = await Coupon.findOne(
      { _id: ctx.purchase.couponId, status: 'used', redeemedPurchaseId: ctx.purchase._id },
      { _id: 1 },
    ).lean();
    if (!c) return;
    try {
      await reverseRedemption({ couponId: String(c._id), actor: ctx.actor, now: ctx.now });
    } catch (err) {
      // A concurrent undo got there first: the coupon is usable again either way.
      if ((err as { code?: string }).code !== 'coupon_not_used') throw err;
    }
  },
};

/**
 * The reversal steps, in order. Each is idempotent by `ctx.key`, so a void interrupted halfway completes on a
 * retry. The credit and points an order was paid with come back in the refund step.
 */
export const PURCHASE_VOID_STEPS: VoidStep[] = [
  reverseThroughRefund,
  recomputeTier,
  reverseStamps,
  reverseReferral,
  unredeemCoupon,
];

export interface VoidResult {
  purchaseId: string;
  orderId: string;
  amount: number;
  voidedAt: string;
  replayed: boolean;
}

/**
 * Voids a purchase (a counter mistake): staff only the same day (program time zone) at their own store, admins
 * any time. Marks it voided once (conditional update), then runs every reversal step; a replay reruns them
 * (each idempotent) and reports `replayed`.
 */
export async function voidPurchase(input: {
  purchaseId: string;
  reason: string;
  user: { id: string; role: ConsoleRole; storeId?: string };
  now: Date;
  timeZone: string;
}): Promise<VoidResult> {
  if (!isObjectId(input.purchaseId)) throw notFound('找不到這筆消費。', 'purchase_not_found');
  const p = (await Purchase.findById(input.purchaseId).lean()) as PurchaseDoc | null;
  if (!p) throw notFound('找不到這筆消費。', 'purchase_not_found');
  if (!can(input.user.role, 'counter.any-store')) {
    if (!p.storeId || p.storeId !== input.user.storeId) throw forbidden('只能作廢自己門市的消費。', 'void_other_store');
    if (zonedDate(p.at, input.timeZone) !== zonedDate(input.now, input.timeZone))
      throw forbidden('門市人員只能作廢當天的消費，請洽管理員。', 'void_not_today');
  }
  if (!p.voidedAt && p.status === 'refunded')
    throw conflict('purchase_already_refunded', '這筆消費已全額退款，無法作廢。');
  const marked = (await Purchase.findOneAndUpdate(
    { _id: p._id, voidedAt: null },
    { $set: { voidedAt: input.now, voidedBy: input.user.id, voidReason: input.reason } },
    { returnDocument: 'after' },
  ).lean()) as PurchaseDoc | null;
  const purchase = marked ?? ((await Purchase.findById(p._id).lean()) as PurchaseDoc);
  const ctx: VoidContext = {
    purchase,
    now: input.now,
    actor: input.user.id,
    reason: purchase.voidReason ?? input.reason,
    timeZone: input.timeZone,
    settings: await getProgramSettings(),
    key: `void:${purchase.source}:${purchase.orderId}`,
  };
  for (const step of PURCHASE_VOID_STEPS) await step.run(ctx);
  if (marked)
    await recordInteraction({
      memberId: purchase.memberId,
      type: 'event',
      channel: 'console',
      at: input.now,
      key: ctx.key,
      summary: `作廢消費 ${formatMoney(purchase.amount)}（訂單 ${purchase.orderId}）：${ctx.reason}`,
      refs: { purchaseId: String(purchase._id), orderId: purchase.orderId, actor: input.user.id },
    });
  return {
    purchaseId: String(purchase._id),
    orderId: purchase.orderId,
    amount: purchase.amount,
    voidedAt: purchase.voidedAt!.toISOString(),
    replayed: !marked,
  };
}
