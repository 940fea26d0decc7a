import type { Types } from 'mongoose';
import { Coupon, type CouponDoc } from '../../models/coupon.model';
import { CouponTemplate, type CouponTemplateDoc } from '../../models/coupon-template.model';
import { Member } from '../../models/member.model';
import { PointsEntry } from '../../models/points-entry.model';
import { changePoints, expiryForEarning } from '../points/points.service';
import { AppError, badRequest, conflict } from '../shared/errors';
import { moduleLogger } from '../shared/logger';
import { couponErrorText } from '../program/program-messages';
import { couponRefusal, loadCouponHolder } from './coupon-eligibility.service';
import { getTemplateDoc } from './coupon-template.service';
import { issueCoupon } from './coupon-issue.service';
import { toCouponView, valueLabel, type CouponView } from './coupon-view';

const log = moduleLogger('coupon-exchange');

export interface ExchangeResult {
  coupon: CouponView;
  pointsSpent: number;
  balance: number;
  duplicate: boolean;
}

const exchangeKey = (memberId: unknown, key: string) => `exchange:${String(memberId)}:${key}`;
const refundKey = (k: string) => `${k}:refund`;

/**
 * Spends a template's points cost and issues the coupon, as one retry-safe operation without transactions:
 * the spend and the coupon share one idempotency key, so a retry after a crash between them completes the
 * coupon without charging again, and a coupon that cannot be issued gets its points back (keyed, once).
 * `repairInterruptedExchanges` finishes any exchange whose caller never retried.
 */
export async function exchangePointsForCoupon(input: {
  memberId: string | Types.ObjectId;
  templateId: string;
  key: string;
  now: Date;
  timeZone: string;
}): Promise<ExchangeResult> {
  if (typeof input.key !== 'string' || input.key.length < 8 || input.key.length > 200)
    throw badRequest('validation_failed', '需要一個唯一的請求識別碼。');
  const key = exchangeKey(input.memberId, input.key);
  const existing = await Coupon.findOne({ key }).lean();
  if (existing)
    return {
      coupon: toCouponView(existing as CouponDoc, input.now),
      pointsSpent: 0,
      balance: await balanceOf(input.memberId),
      duplicate: true,
    };
  if (await PointsEntry.exists({ key: refundKey(key) }))
    throw conflict('exchange_failed', '這次兌換沒有成功，點數已退回，請重新兌換。');

  const template = await getTemplateDoc(input.templateId);
  const cost = template.pointsCost;
  if (!cost) throw badRequest('coupon_not_exchangeable', couponErrorText.notExchangeable);
  const refusal = await couponRefusal(template, await loadCouponHolder(input.memberId), input.now, input.timeZone);
  if (refusal) throw refusal;

  const spent = await changePoints({
    memberId: input.memberId,
    delta: -cost,
    reason: 'redeem',
    key,
    note: `兌換「${template.title}」`,
    refs: { exchange: true, templateId: String(template._id) },
    now: input.now,
  });
  const coupon = await issueOrRefund(template, input.memberId, key, cost, input.now, input.timeZone);
  return {
    coupon,
    pointsSpent: cost,
    balance: spent.duplicate ? await balanceOf(input.memberId) : spent.balance,
    duplicate: false,
  };
}

async function issueOrRefund(
  t: CouponTemplateDoc,
  memberId: unknown,
  key: string,
  cost: number,
  now: Date,
  timeZone: string,
): Promise<CouponView> {
  try {
    const r = await issueCoupon({
      templateId: t._id,
      memberId: String(memberId),
      key,
      now,
      source: 'exchange',
      timeZone,
    });
    return r.coupon;
  } catch (err) {
    if (!(err instanceof AppError)) throw err; // unknown failure: leave it to a retry or the repair sweep
    await changePoints({
      memberId: String(memberId),
      delta: cost,
      reason: 'reversal',
      key: refundKey(key),
      note: `兌換「${t.title}」未成功，退回點數`,
      expiresAt: await expiryForEarning(now, timeZone),
      refs: { exchange: true, templateId: String(t._id) },
      now,
    });
    throw err;
  }
}

/**
 * Finishes exchanges interrupted between the spend and the coupon (a crash, a dropped connection): each one
 * older than `graceMs` gets its coupon, or its points back. Safe to run any number of times.
 */
export async function repairInterruptedExchanges(
  now: Date,
  opts: { graceMs?: number; timeZone: string },
): Promise<{ completed: number; refunded: number }> {
  const cutoff = new Date(now.getTime() - (opts.graceMs ?? 10 * 60_000));
  const spends = await PointsEntry.find({
    reason: 'redeem',
    'refs.exchange': true,
    at: { $lt: cutoff, $gte: new Date(cutoff.getTime() - 30 * 86_400_000) },
  }).lean();
  let completed = 0;
  let refunded = 0;
  for (const s of spends) {
    if (await Coupon.exists({ key: s.key })) continue;
    if (await PointsEntry.exists({ key: refundKey(s.key) })) continue;
    const t = (await CouponTemplate.findById(
      (s.refs as { templateId?: string })?.templateId,
    ).lean()) as CouponTemplateDoc | null;
    try {
      if (!t) throw new AppError('coupon_template_not_found', 404, couponErrorText.templateNotFound);
      await issueOrRefund(t, s.memberId, s.key, -s.delta, now, opts.timeZone);
      completed++;
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      if (!t)
        await changePoints({
          memberId: s.memberId,
          delta: -s.delta,
          reason: 'reversal',
          key: refundKey(s.key),
          note: '兌換未成功，退回點數',
          now,
        });
      refunded++;
      log.warn({ key: s.key, code: err.code }, 'interrupted exchange refunded');
    }
  }
  return { completed, refunded };
}

export interface ExchangeOption {
  templateId: string;
  title: string;
  terms: string;
  valueLabel: string;
  pointsCost: number;
  validity: { mode: 'fixed'; until: string } | { mode: 'relative'; days: number };
  canAfford: boolean;
  /** null when the member can exchange it now; otherwise why not, in zh-TW. */
  unavailableReason: string | null;
}

/** Coupons a member can buy with points, cheapest first, each saying whether (and why not) they can now. */
export async function listExchangeableTemplates(
  memberId: string | Types.ObjectId,
  now: Date,
  timeZone: string,
): Promise<{ balance: number; items: ExchangeOption[] }> {
  const member = await loadCouponHolder(memberId);
  const balance = await balanceOf(memberId);
  const templates = (await CouponTemplate.find({ status: 'active', pointsCost: { $gt: 0 } })
    .sort({ pointsCost: 1 })
    .limit(100)
    .lean()) as CouponTemplateDoc[];
  const items: ExchangeOption[] = [];
  for (const t of templates) {
    if (t.validity?.mode === 'fixed' && t.validity.until && t.validity.until < now) continue;
    const refusal = await couponRefusal(t, member, now, timeZone);
    // Coupons restricted to other tiers or segments are not advertised at all.
    if (refusal && (refusal.code === 'coupon_tier_restricted' || refusal.code === 'coupon_segment_restricted'))
      continue;
    const canAfford = balance >= (t.pointsCost as number);
    items.push({
      templateId: String(t._id),
      title: t.title,
      terms: t.terms ?? '',
      valueLabel: valueLabel(t.kind, t.value ?? 0, t.giftName),
      pointsCost: t.pointsCost as number,
      validity:
        t.validity?.mode === 'fixed'
          ? { mode: 'fixed', until: (t.validity.until as Date).toISOString() }
          : { mode: 'relative', days: t.validity?.days ?? 0 },
      canAfford,
      unavailableReason: refusal
        ? refusal.userMessage
        : canAfford
          ? null
          : `還差 ${(t.pointsCost as number) - balance} 點`,
    });
  }
  return { balance, items };
}

async function balanceOf(memberId: unknown): Promise<number> {
  const m = await Member.findById(memberId, { pointsBalance: 1 }).lean();
  return m?.pointsBalance ?? 0;
}
