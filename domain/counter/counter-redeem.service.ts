import { Coupon, type CouponDoc } from '../../models/coupon.model';
import { Purchase } from '../../models/purchase.model';
import type { ConsoleRole } from '../../models/console-user.model';
import { findCouponByCode, redeemCoupon, reverseRedemption, type CouponView, type RedemptionView } from '../coupons';
import type { Messenger } from '../messaging/messenger';
import { getProgramSettings } from '../program/settings.service';
import { ingestPurchase, type PurchaseResult } from '../purchases/purchase.service';
import { checkUnusualAmount } from '../purchases/unusual-amount.service';
import { couponErrorText } from '../program/program-messages';
import { conflict, forbidden, notFound, validationError } from '../shared/errors';
import { formatMoney } from '../../shared/format';
import { isObjectId } from '../../shared/ids';
import { can } from '../staff/roles';

/** The console's source for purchases keyed in by staff; orders are unique per (source, orderId). */
export const CONSOLE_PURCHASE_SOURCE = 'console';
/** Staff may undo their own redemption this long after it (#16.5); later only `coupons.reverse` may. */
export const UNDO_WINDOW_MS = 10 * 60_000;

export interface CounterRedeemInput {
  code: string;
  storeId?: string;
  /** The order total typed at the counter; required when the coupon has a minimum spend. */
  orderAmount?: number;
  /** Record the order as a purchase linked to the redemption (needs `orderAmount` and `key`). */
  recordPurchase?: boolean;
  /** The staff confirmed an unusual order amount (409 needs_confirmation). */
  confirm?: boolean;
  /** Client idempotency key: a retry is the same redemption (and the same order `counter-<key>`). */
  key?: string;
}

export interface CounterRedeemResult extends RedemptionView {
  purchase: PurchaseResult | null;
  /** Until when the redeeming staff may undo it themselves. */
  undoUntil: string | null;
}

/**
 * A coupon redeemed at the counter: the minimum spend is checked against the order amount, which must be typed
 * when the coupon has one; optionally the order is recorded as a purchase linked both ways
 * (purchase.couponId / coupon.redeemedPurchaseId). Everything is keyed by the client's key, so a retry after a
 * failure halfway completes the same redemption and order instead of refusing with 已使用.
 */
export async function redeemAtCounter(
  input: CounterRedeemInput,
  ctx: { actor: string; now: Date; timeZone: string; messenger: Messenger },
): Promise<CounterRedeemResult> {
  const found = await findCouponByCode(input.code, ctx.now);
  assertOrderAmount(found.coupon, input);
  if (input.recordPurchase && !found.member) throw notFound('找不到這張優惠券的會員。', 'member_not_found');
  if (input.recordPurchase && !input.confirm) {
    const unusual = await checkUnusualAmount(
      { memberId: found.member!.id, storeId: input.storeId, amount: input.orderAmount! },
      (await getProgramSettings()).counter,
    );
    if (unusual)
      throw conflict('needs_confirmation', unusual.message, { typical: unusual.typical, times: unusual.times });
  }
  const redeemed = await redeemCoupon({
    code: input.code,
    storeId: input.storeId,
    actor: ctx.actor,
    now: ctx.now,
    orderAmount: input.orderAmount,
    timeZone: ctx.timeZone,
    key: input.key,
  });
  const purchase = input.recordPurchase ? await recordLinkedPurchase(redeemed, input, ctx) : null;
  const usedAt = redeemed.coupon.usedAt ? new Date(redeemed.coupon.usedAt) : ctx.now;
  return { ...redeemed, purchase, undoUntil: new Date(usedAt.getTime() + UNDO_WINDOW_MS).toISOString() };
}

function assertOrderAmount(coupon: CouponView, input: CounterRedeemInput): void {
  const fields: { path: string; message: string }[] = [];
  if (coupon.state === 'active' && coupon.minSpend > 0 && input.orderAmount === undefined)
    fields.push({ path: 'orderAmount', message: `這張券需消費滿 ${formatMoney(coupon.minSpend)}，請輸入訂單金額` });
  if (input.recordPurchase && input.orderAmount === undefined && !fields.length)
    fields.push({ path: 'orderAmount', message: '記錄消費需要訂單金額' });
  if (input.recordPurchase && !input.key) fields.push({ path: 'key', message: '需要一個唯一的請求識別碼' });
  if (fields.length) throw validationError(fields);
  if (coupon.state === 'active' && input.orderAmount !== undefined && input.orderAmount < coupon.minSpend)
    throw conflict('coupon_min_spend', couponErrorText.minSpend(coupon.minSpend));
}

async function recordLinkedPurchase(
  redeemed: RedemptionView,
  input: CounterRedeemInput,
  ctx: { actor: string; now: Date; timeZone: string; messenger: Messenger },
): Promise<PurchaseResult> {
  const result = await ingestPurchase(
    {
      orderId: `counter-${input.key}`,
      member: { memberId: redeemed.member!.id },
      amount: input.orderAmount,
      channel: 'store',
      ...(input.storeId ? { storeId: input.storeId } : {}),
    },
    {
      source: CONSOLE_PURCHASE_SOURCE,
      now: ctx.now,
      messenger: ctx.messenger,
      actor: ctx.actor,
      timeZone: ctx.timeZone,
    },
  );
  await Purchase.updateOne({ _id: result.purchaseId }, { $set: { couponId: redeemed.coupon.id } });
  await Coupon.updateOne(
    { _id: redeemed.coupon.id, status: 'used', redeemKey: input.key },
    { $set: { redeemedPurchaseId: result.purchaseId } },
  );
  return result;
}

/**
 * Undoes a counter redemption: the staff who redeemed it may within 10 minutes; after that (or someone else's)
 * only a role with `coupons.reverse`. Exactly once: the reversal is conditional on the redemption it undoes, so a
 * second undo gets 409 `coupon_not_used`. A linked purchase stays (void it on its own) but loses the link.
 */
export async function undoCounterRedemption(input: {
  couponId: string;
  user: { id: string; role: ConsoleRole };
  now: Date;
}): Promise<CouponView> {
  if (!isObjectId(input.couponId)) throw notFound(couponErrorText.notFound, 'coupon_not_found');
  const c = (await Coupon.findById(input.couponId).lean()) as CouponDoc | null;
  if (!c) throw notFound(couponErrorText.notFound, 'coupon_not_found');
  if (c.status !== 'used') throw conflict('coupon_not_used', couponErrorText.notUsed);
  if (!can(input.user.role, 'coupons.reverse')) {
    if (c.redeemedBy !== input.user.id) throw forbidden('只能取消自己核銷的優惠券，請洽管理員。', 'undo_not_yours');
    if (!c.usedAt || input.now.getTime() - c.usedAt.getTime() > UNDO_WINDOW_MS)
      throw forbidden('核銷已超過 10 分鐘，請洽管理員取消核銷。', 'undo_window_passed');
  }
  return reverseRedemption({ couponId: input.couponId, actor: input.user.id, now: input.now });
}
