import type { Types } from 'mongoose';
import { CouponTemplate } from '../../models/coupon-template.model';
import { CreditEntry } from '../../models/credit-entry.model';
import { Journey } from '../../models/journey.model';
import { Member } from '../../models/member.model';
import { PointsEntry } from '../../models/points-entry.model';
import { formatMoney, formatNumber } from '../../shared/format';
import { CREDIT_NAME } from '../../shared/vocabulary';
import { issueCoupon } from '../coupons/coupon-issue.service';
import { changeCredit, grantEarnedCredit } from '../credit/credit.service';
import { changePoints, expiryForEarning } from '../points/points.service';
import type { ProgramSettings } from '../program/settings.service';
import type { Tier } from '../program/program-settings.schema';
import { zonedParts } from '../shared/clock';
import { moduleLogger } from '../shared/logger';

const log = moduleLogger('tier-gift');

/** What the upgrade gift put (or had already put this year) in the member's card. */
export interface TierGiftOutcome {
  coupons: string[];
  points: number;
  credit: number;
}

/**
 * The upgrade gift (升等禮) of `tier`: its coupons, points and 購物金, once per tier per member per calendar year
 * (in the program's zone). Points and credit carry `tier-gift:<memberId>:<tier>:<year>` in their ledgers; each
 * coupon the key a tier-upgrade journey's 「等級優惠券」 step uses too, so whichever runs first issues it and the
 * other finds it. Reaching the tier again within the year gives nothing new; the outcome still names this year's
 * gift (what the upgrade message lists). A part that fails is logged and left out, never retried here.
 */
export async function giveTierGift(
  memberId: Types.ObjectId | string,
  tier: Tier,
  now: Date,
  settings: ProgramSettings,
  timeZone: string,
): Promise<TierGiftOutcome> {
  const year = zonedParts(now, timeZone).year;
  const key = `tier-gift:${memberId}:${tier.code}:${year}`;
  const note = `${tier.label}升等禮（${year}）`;
  const out: TierGiftOutcome = { coupons: [], points: 0, credit: 0 };
  for (const templateId of tier.couponTemplateIds) {
    try {
      const r = await issueCoupon({
        templateId,
        memberId: String(memberId),
        key: `tier:${memberId}:${tier.code}:${templateId}:${year}`,
        now,
        source: 'tier',
        timeZone,
      });
      out.coupons.push(r.coupon.title);
    } catch (err) {
      log.warn({ err, templateId, memberId: String(memberId) }, 'tier coupon not issued');
    }
  }
  if (tier.gift.points > 0) {
    try {
      await changePoints({
        memberId,
        delta: tier.gift.points,
        reason: 'tier_gift',
        key,
        now,
        note,
        refs: { tier: tier.code, year },
        expiresAt: await expiryForEarning(now, timeZone, settings),
      });
      out.points = tier.gift.points;
    } catch (err) {
      log.warn({ err, memberId: String(memberId) }, 'tier gift points not given');
    }
  }
  if (tier.gift.credit > 0) {
    try {
      await grantEarnedCredit({
        memberId,
        amount: tier.gift.credit,
        validDays: tier.gift.creditValidDays,
        reason: 'tier_gift',
        key,
        now,
        note,
        refs: { tier: tier.code, year },
      });
      out.credit = tier.gift.credit;
    } catch (err) {
      log.warn({ err, memberId: String(memberId) }, 'tier gift credit not given');
    }
  }
  return out;
}

/** Titles of a tier's gift coupons (one read by `_id`); a template deleted since is left out. */
export async function tierCouponTitles(tier: Tier): Promise<string[]> {
  if (!tier.couponTemplateIds.length) return [];
  const found = await CouponTemplate.find({ _id: { $in: tier.couponTemplateIds } }, { title: 1 }).lean();
  const byId = new Map(found.map((t) => [String(t._id), t.title]));
  return tier.couponTemplateIds.map((id) => byId.get(id)).filter((t): t is string => Boolean(t));
}

/** An active tier-upgrade journey that gives something of its own besides the tier's upgrade gift. */
export interface TierJourneyExtraGift {
  journeyId: string;
  name: string;
  /** The tier it fires for, null = every upgrade. */
  tier: string | null;
  /** What its own steps give, in zh-TW (`優惠券「…」`, `100 點`, `購物金 NT$200`). */
  gifts: string[];
}

type StepDoc = { type: string; templateId?: string; points?: number; amount?: number };

/**
 * The other place an upgrade can give something: active journeys triggered by an upgrade whose coupon, points or
 * credit steps are their own (a coupon step on 「等級優惠券」 hands out the tier's coupons under the same key, so it
 * is not extra). The settings page lists them under the tier table so the marketer sees a double gift.
 */
export async function listTierJourneyExtraGifts(): Promise<TierJourneyExtraGift[]> {
  const journeys = await Journey.find(
    { status: 'active', 'trigger.type': 'tier_changed' },
    { name: 1, trigger: 1, steps: 1 },
  ).lean();
  const ups = journeys.filter((j) => (j.trigger as { direction?: string }).direction !== 'down');
  const steps = ups.flatMap((j) => j.steps as StepDoc[]);
  const ids = steps
    .filter((s) => s.type === 'coupon' && s.templateId && s.templateId !== 'tier')
    .map((s) => s.templateId!);
  const titles = new Map(
    ids.length
      ? (await CouponTemplate.find({ _id: { $in: ids } }, { title: 1 }).lean()).map((t) => [String(t._id), t.title])
      : [],
  );
  const out: TierJourneyExtraGift[] = [];
  for (const j of ups) {
    const gifts = (j.steps as StepDoc[]).flatMap((s) => {
      if (s.type === 'coupon' && s.templateId !== 'tier')
        return [`優惠券「${titles.get(s.templateId ?? '') ?? '（已刪除）'}」`];
      if (s.type === 'points' && s.points) return [`${formatNumber(s.points)} 點`];
      if (s.type === 'credit' && s.amount) return [`${CREDIT_NAME} ${formatMoney(s.amount)}`];
      return [];
    });
    if (gifts.length)
      out.push({
        journeyId: String(j._id),
        name: j.name,
        tier: (j.trigger as { tier?: string | null }).tier ?? null,
        gifts,
      });
  }
  return out;
}

/**
 * Takes back the points and 購物金 of the upgrade gifts of `lost` tiers given at or after `since` (a voided purchase
 * that made the upgrade: the member is as if it never happened). Keyed `<key>:tier-gift:<tier>` in each ledger, so
 * a replayed void takes nothing twice; points may go into debt (as a refund's take-back), credit only as far as
 * the balance goes (what was already spent stays spent). Coupons are left in the wallet (see README).
 */
export async function takeBackTierGifts(
  memberId: Types.ObjectId | string,
  lost: Tier[],
  since: Date,
  now: Date,
  key: string,
): Promise<void> {
  for (const tier of lost) {
    const prefix = new RegExp(`^tier-gift:${memberId}:${tier.code}:`);
    const match = { memberId, reason: 'tier_gift' as const, key: prefix, at: { $gte: since } };
    const points = await PointsEntry.findOne(match, { delta: 1 }).lean();
    if (points)
      await changePoints({
        memberId,
        delta: -points.delta,
        reason: 'reversal',
        key: `${key}:tier-gift:${tier.code}`,
        now,
        note: `${tier.label}升等禮收回（訂單作廢）`,
        allowDebt: true,
      });
    const credit = await CreditEntry.findOne(match, { delta: 1 }).lean();
    const balance = credit ? ((await Member.findById(memberId, { creditBalance: 1 }).lean())?.creditBalance ?? 0) : 0;
    const back = credit ? Math.min(credit.delta, balance) : 0;
    if (back > 0)
      await changeCredit({
        memberId,
        delta: -back,
        reason: 'reversal',
        key: `${key}:tier-gift:${tier.code}`,
        now,
        note: `${tier.label}升等禮收回（訂單作廢）`,
      });
  }
}
