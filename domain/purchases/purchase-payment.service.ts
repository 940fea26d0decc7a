import type { Types } from 'mongoose';
import { CreditEntry } from '../../models/credit-entry.model';
import { PointsEntry } from '../../models/points-entry.model';
import { Purchase, type PurchaseDoc } from '../../models/purchase.model';
import { changeCredit, creditShortfall, payOrderWithCreditAndPoints, pointsShortfall } from '../credit/credit.service';
import { changePoints } from '../points/points.service';
import { remainingLots } from '../points/points-lots';
import type { ProgramSettings } from '../program/settings.service';
import { AppError, conflict, validationError } from '../shared/errors';
import { formatMoney } from '../../shared/format';
import { netToPay, orderPaymentLimits, pointsValueOf } from '../../shared/order-payment';

/**
 * Paying part of a purchase with shopping credit and points (#16.2–3). The order of the steps is what makes it
 * atomic with the purchase: the purchase is inserted first with its payment `pending`, then credit and points are
 * taken in one conditional update keyed by the purchase (`pay:<source>:<orderId>:<purchaseId>`), then the payment
 * is marked `taken` and only then do the purchase's effects run. So nothing is ever taken without a recorded
 * purchase; a crash after the insert leaves a pending purchase that the order's replay completes (the key takes
 * nothing twice); a refused take (not enough credit or points) removes the pending purchase, so nothing is stored.
 */

export interface PaymentPlan {
  gross: number;
  credit: number;
  points: number;
  pointsValue: number;
  net: number;
  /** The spend the order counts as (`pointsPayment.spendBasis`). */
  counted: number;
}

/**
 * Checks the credit and points asked for against the settings' per-order caps (400 with zh-TW field errors,
 * nothing stored) and returns the amounts the purchase records.
 */
export function planPurchasePayment(
  v: { amount: number; credit: number; points: number },
  settings: Pick<ProgramSettings, 'credit' | 'pointsPayment'>,
): PaymentPlan {
  const rules = settings;
  const step = rules.pointsPayment.pointsPerNtd;
  const unlimited = { credit: Number.POSITIVE_INFINITY, points: Number.POSITIVE_INFINITY };
  const problems: Array<{ path: string; message: string }> = [];
  if (v.points > 0 && !rules.pointsPayment.enabled) problems.push({ path: 'points', message: '目前未開放點數折抵' });
  else if (v.points % step !== 0) problems.push({ path: 'points', message: `折抵點數須為 ${step} 點的倍數` });
  else {
    const maxPoints = orderPaymentLimits(v.amount, rules, unlimited, { credit: v.credit }).points;
    if (v.points > maxPoints) problems.push({ path: 'points', message: `本筆最多可折抵 ${maxPoints} 點` });
  }
  const maxCredit = orderPaymentLimits(v.amount, rules, unlimited, { points: v.points }).credit;
  if (v.credit > maxCredit)
    problems.push({ path: 'credit', message: `本筆最多可使用購物金 ${formatMoney(maxCredit)}` });
  if (problems.length) throw validationError(problems);
  const pointsValue = pointsValueOf(v.points, rules);
  const net = netToPay(v.amount, v.credit, pointsValue);
  return {
    gross: v.amount,
    credit: v.credit,
    points: v.points,
    pointsValue,
    net,
    counted: rules.pointsPayment.spendBasis === 'gross' ? v.amount : net,
  };
}

/** Refuses before anything is stored when the member's balances do not cover the plan (the take re-checks). */
export function checkBalancesCover(
  plan: PaymentPlan,
  member: { creditBalance?: number | null; pointsBalance?: number | null },
): void {
  if (plan.credit > 0 && plan.credit > (member.creditBalance ?? 0))
    throw creditShortfall(member.creditBalance ?? 0, plan.credit);
  if (plan.points > 0 && plan.points > (member.pointsBalance ?? 0))
    throw pointsShortfall(member.pointsBalance ?? 0, plan.points);
}

export const paymentKeyOf = (p: { source: string; orderId: string; _id: Types.ObjectId }) =>
  `pay:${p.source}:${p.orderId}:${String(p._id)}`;

/**
 * Takes the purchase's pending payment (a no-op when there is none or it was taken). Refused → the pending purchase
 * is removed and the 409 goes to the caller. A purchase that a concurrent, refused attempt of the same order removed
 * meanwhile gets its payment back at once (keyed), and the caller is asked to send the order again.
 */
export async function takePurchasePayment(p: PurchaseDoc, ctx: { now: Date; actor?: string }): Promise<PurchaseDoc> {
  const pay = p.payment;
  if (!pay || pay.status === 'taken') return p;
  const key = pay.key ?? paymentKeyOf(p);
  const refs = { purchaseId: String(p._id), orderId: p.orderId, source: p.source };
  try {
    await payOrderWithCreditAndPoints({
      memberId: p.memberId,
      credit: pay.credit ?? 0,
      points: pay.points ?? 0,
      key,
      actor: ctx.actor,
      note: `訂單 ${p.orderId} 折抵`,
      refs,
      now: ctx.now,
    });
  } catch (err) {
    if (err instanceof AppError && (err.code === 'insufficient_credit' || err.code === 'insufficient_points'))
      await Purchase.deleteOne({ _id: p._id, 'payment.status': 'pending', effectsDoneAt: null });
    throw err;
  }
  const marked = await Purchase.updateOne({ _id: p._id }, { $set: { 'payment.status': 'taken' } });
  if (marked.matchedCount === 0) {
    await returnPayment(p, `${key}:undo`, pay.credit ?? 0, pay.points ?? 0, ctx);
    throw conflict('purchase_busy', '這筆訂單剛剛處理失敗，請再送一次。');
  }
  return { ...p, payment: { ...pay, status: 'taken', key } };
}

/**
 * Gives back `credit` (NT$) and `points` of the purchase's payment under `key` (a refund's), exactly once per key.
 * What comes back expires when the latest of the lots the payment consumed would have (never, if one never did).
 */
export async function returnPayment(
  p: PurchaseDoc,
  key: string,
  credit: number,
  points: number,
  ctx: { now: Date; actor?: string },
): Promise<void> {
  const payKey = p.payment?.key ?? paymentKeyOf(p);
  const refs = { purchaseId: String(p._id), orderId: p.orderId, source: p.source };
  const note = `訂單 ${p.orderId} 退款退回折抵`;
  if (credit > 0) {
    const entries = await CreditEntry.find({ memberId: p.memberId }, { delta: 1, at: 1, expiresAt: 1, key: 1 }).lean();
    await changeCredit({
      memberId: p.memberId,
      delta: credit,
      reason: 'reversal',
      key,
      actor: ctx.actor,
      note,
      refs,
      now: ctx.now,
      expiresAt: consumedExpiry(entries, payKey),
    });
  }
  if (points > 0) {
    const entries = await PointsEntry.find({ memberId: p.memberId }, { delta: 1, at: 1, expiresAt: 1, key: 1 }).lean();
    await changePoints({
      memberId: p.memberId,
      delta: points,
      reason: 'payment_return',
      key,
      actor: ctx.actor,
      note,
      refs,
      now: ctx.now,
      expiresAt: consumedExpiry(entries, payKey),
    });
  }
}

type Line = { delta: number; at: Date; expiresAt?: Date | null; key: string };

/** The latest expiry among the lots the spend under `key` took from (soonest-expiring first); null = never. */
export function consumedExpiry(entries: Line[], key: string): Date | null {
  const spend = entries.find((e) => e.key === key);
  if (!spend) return null;
  const before = entries.filter(
    (e) => e.key !== key && (e.at < spend.at || (e.at.getTime() === spend.at.getTime() && e.delta > 0)),
  );
  let owed = -spend.delta;
  let latest: Date | null = null;
  for (const lot of remainingLots(before.map((e) => ({ delta: e.delta, at: e.at, expiresAt: e.expiresAt ?? null })))) {
    if (owed <= 0) break;
    if (!lot.expiresAt) return null;
    owed -= Math.min(owed, lot.remaining);
    latest = lot.expiresAt;
  }
  return latest;
}
