import { Coupon, type CouponDoc } from '../../models/coupon.model';
import { Member } from '../../models/member.model';
import { Purchase } from '../../models/purchase.model';
import { countCampaignCoupon } from '../campaigns/campaign-counters.service';
import { countActiveCoupon } from './coupon-counters';
import { recordInteraction } from '../interactions/interaction.service';
import type { AppError } from '../shared/errors';
import { badRequest, conflict, notFound } from '../shared/errors';
import { moduleLogger } from '../shared/logger';
import { formatDate, formatDateTime } from '../../shared/format';
import { couponErrorText } from '../program/program-messages';
import { toCouponView, type CouponView } from './coupon-view';
import { normalizeShortCode } from './short-code';
import { isObjectId } from '../../shared/ids';

const log = moduleLogger('coupon-redemption');

export interface RedemptionView {
  coupon: CouponView;
  member: { id: string; memberCode: string; displayName: string } | null;
}

/** A coupon by the code a member shows (for the staff screen before confirming). Unknown code → 404. */
export async function findCouponByCode(code: string, now: Date): Promise<RedemptionView> {
  const c = await loadByCode(code);
  return { coupon: toCouponView(c, now), member: await memberSummary(c.memberId) };
}

export interface RedeemInput {
  code: string;
  /** The store redeeming; checked against the coupon's store list. */
  storeId?: string;
  /** Staff user id (or `pos:<integration>`). */
  actor: string;
  now: Date;
  /** Order total, when known, to enforce the coupon's minimum spend. */
  orderAmount?: number;
  timeZone: string;
  /** The counter's idempotency key: a retry with the same key returns the same redemption instead of 已使用. */
  key?: string;
}

/**
 * Marks a coupon used, once. The state change is one conditional update on `status: 'active'`, so of two
 * concurrent redemptions exactly one succeeds and the other gets `coupon_used`. Refusals carry zh-TW messages
 * the staff can read to the member (已使用、已過期、不適用此門市…).
 */
export async function redeemCoupon(input: RedeemInput): Promise<RedemptionView> {
  const tz = input.timeZone;
  const c = await loadByCode(input.code);
  if (isSameRedemption(c, input))
    return { coupon: toCouponView(c, input.now), member: await memberSummary(c.memberId) };
  assertRedeemable(c, input, tz);
  await assertHolderNotErased(c);
  const updated = await Coupon.findOneAndUpdate(
    { _id: c._id, status: 'active' },
    {
      $set: {
        status: 'used',
        usedAt: input.now,
        usedStoreId: input.storeId,
        redeemedBy: input.actor,
        ...(input.key ? { redeemKey: input.key } : {}),
        ...(input.orderAmount !== undefined ? { redeemOrderAmount: input.orderAmount } : {}),
      },
    },
    { returnDocument: 'after' },
  ).lean();
  if (!updated) {
    const fresh = (await Coupon.findById(c._id).lean()) as CouponDoc;
    if (isSameRedemption(fresh, input))
      return { coupon: toCouponView(fresh, input.now), member: await memberSummary(fresh.memberId) };
    throw usedError(fresh, tz);
  }
  await countActiveCoupon(updated, -1, 1, updated.redeemOrderAmount);
  await countCampaignCoupon(updated.key, 'redeemed');
  const view = toCouponView(updated as CouponDoc, input.now);
  await recordInteraction({
    memberId: updated.memberId,
    type: 'coupon_redeemed',
    channel: input.actor.startsWith('pos:') ? 'pos' : 'console',
    at: input.now,
    key: `coupon-redeemed:${updated._id}:${input.now.getTime()}`,
    summary: `使用優惠券「${updated.title}」${input.storeId ? `（${input.storeId}）` : ''}`,
    refs: { couponId: view.id, storeId: input.storeId, actor: input.actor },
  });
  log.info({ couponId: view.id, storeId: input.storeId, actor: input.actor }, 'coupon redeemed');
  return { coupon: view, member: await memberSummary(updated.memberId) };
}

function isSameRedemption(c: CouponDoc, input: RedeemInput): boolean {
  return Boolean(input.key) && c.status === 'used' && c.redeemKey === input.key && c.redeemedBy === input.actor;
}

function assertRedeemable(c: CouponDoc, input: RedeemInput, tz: string): void {
  if (c.status === 'used') throw usedError(c, tz);
  if (c.status === 'void') throw conflict('coupon_void', couponErrorText.void);
  if (c.validUntil < input.now) throw conflict('coupon_expired', couponErrorText.expired(formatDate(c.validUntil, tz)));
  if (c.validFrom > input.now)
    throw conflict('coupon_not_started', couponErrorText.notStarted(formatDate(c.validFrom, tz)));
  if (c.storeIds?.length && (!input.storeId || !c.storeIds.includes(input.storeId)))
    throw conflict('coupon_wrong_store', couponErrorText.wrongStore);
  if (input.orderAmount !== undefined && c.minSpend && input.orderAmount < c.minSpend)
    throw conflict('coupon_min_spend', couponErrorText.minSpend(c.minSpend));
}

/**
 * Erasure voids the member's active coupons; this also refuses one that erasure had not reached yet (a crash in
 * between) and keeps a reversal from making a used coupon of an erased member usable again.
 */
async function assertHolderNotErased(c: CouponDoc): Promise<void> {
  if (await Member.exists({ _id: c.memberId, erasedAt: { $ne: null } }))
    throw conflict('coupon_void', couponErrorText.void);
}

function usedError(c: CouponDoc, tz: string): AppError {
  const at = c.usedAt ? formatDateTime(c.usedAt, tz) : '';
  return conflict('coupon_used', couponErrorText.used(at || '已核銷'), {
    usedAt: c.usedAt?.toISOString(),
    usedStoreId: c.usedStoreId,
  });
}

/**
 * An admin undoes a redemption (wrong coupon scanned, order cancelled): the coupon is usable again and the
 * reversal is kept on the coupon. Only a used coupon can be reversed; two concurrent reversals → one succeeds.
 */
export async function reverseRedemption(input: { couponId: string; actor: string; now: Date }): Promise<CouponView> {
  if (!isObjectId(input.couponId)) throw notFound(couponErrorText.notFound, 'coupon_not_found');
  const c = (await Coupon.findById(input.couponId).lean()) as CouponDoc | null;
  if (!c) throw notFound(couponErrorText.notFound, 'coupon_not_found');
  if (c.status !== 'used') throw conflict('coupon_not_used', couponErrorText.notUsed);
  await assertHolderNotErased(c);
  const updated = await Coupon.findOneAndUpdate(
    { _id: c._id, status: 'used', usedAt: c.usedAt },
    {
      $set: { status: 'active' },
      $unset: { usedAt: 1, usedStoreId: 1, redeemedBy: 1, redeemKey: 1, redeemOrderAmount: 1, redeemedPurchaseId: 1 },
      $push: { reversals: { at: input.now, by: input.actor, usedAt: c.usedAt, usedStoreId: c.usedStoreId } },
    },
    { returnDocument: 'after' },
  ).lean();
  if (!updated) throw conflict('coupon_not_used', couponErrorText.notUsed);
  await countActiveCoupon(updated, 1, -1, c.redeemOrderAmount);
  await countCampaignCoupon(updated.key, 'reversed');
  if (c.redeemedPurchaseId)
    await Purchase.updateOne({ _id: c.redeemedPurchaseId, couponId: c._id }, { $unset: { couponId: 1 } });
  await recordInteraction({
    memberId: c.memberId,
    type: 'event',
    channel: 'console',
    at: input.now,
    key: `coupon-reversed:${c._id}:${input.now.getTime()}`,
    summary: `取消核銷優惠券「${c.title}」`,
    refs: { couponId: String(c._id), actor: input.actor },
  });
  log.info({ couponId: input.couponId, actor: input.actor }, 'coupon redemption reversed');
  return toCouponView(updated as CouponDoc, input.now);
}

async function loadByCode(input: string): Promise<CouponDoc> {
  if (typeof input !== 'string' || !input.trim()) throw badRequest('validation_failed', '請輸入優惠券代碼。');
  const code = normalizeShortCode(input);
  const c = code ? ((await Coupon.findOne({ code }).lean()) as CouponDoc | null) : null;
  if (!c) throw notFound(couponErrorText.notFound, 'coupon_not_found');
  return c;
}

async function memberSummary(memberId: unknown): Promise<RedemptionView['member']> {
  const m = await Member.findById(memberId, { memberCode: 1, displayName: 1, name: 1 }).lean();
  return m ? { id: String(m._id), memberCode: m.memberCode, displayName: m.name || m.displayName || '' } : null;
}
