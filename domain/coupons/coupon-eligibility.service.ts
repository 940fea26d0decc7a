import type { Types } from 'mongoose';
import { Coupon } from '../../models/coupon.model';
import type { CouponTemplateDoc } from '../../models/coupon-template.model';
import { Member } from '../../models/member.model';
import type { AppError } from '../shared/errors';
import { badRequest, conflict, forbidden, notFound } from '../shared/errors';
import { couponErrorText } from '../program/program-messages';
import { getProgramSettings } from '../program/settings.service';
import { zonedDate, zonedTimeToUtc } from '../shared/clock';
import { buildAudienceFilter, getSegmentRule } from '../segments/segment.service';
import { isObjectId } from '../../shared/ids';
import { priorCouponCount } from '../members/erasure-registry.service';

export interface EligibleMember {
  _id: Types.ObjectId;
  tier?: { code?: string | null } | null;
  status?: string | null;
  erasedAt?: Date | null;
  priorRewards?: unknown;
}

/** Loads a member who can hold coupons (exists, not erased). */
export async function loadCouponHolder(memberId: unknown): Promise<EligibleMember> {
  if (!isObjectId(String(memberId))) throw notFound('找不到這位會員。', 'member_not_found');
  const m = await Member.findById(memberId, { tier: 1, status: 1, erasedAt: 1, priorRewards: 1 }).lean();
  if (!m || m.erasedAt) throw notFound('找不到這位會員。', 'member_not_found');
  return m;
}

/**
 * Why a member may not get a coupon of this template right now, as an AppError (null = may get it).
 * Covers: archived or ended template, tier restriction, segment restriction, per-member limit (counting the
 * coupons a person held in memberships they erased), quota.
 */
export async function couponRefusal(
  t: CouponTemplateDoc,
  member: EligibleMember,
  now: Date,
  timeZone: string,
): Promise<AppError | null> {
  if (t.status !== 'active') return conflict('coupon_template_archived', couponErrorText.templateArchived);
  if (t.validity?.mode === 'fixed' && t.validity.until && t.validity.until < now)
    return conflict('coupon_template_ended', couponErrorText.templateEnded);
  if (t.tierCodes?.length && !t.tierCodes.includes(member.tier?.code ?? 'basic')) {
    const tiers = (await getProgramSettings()).tiers;
    const labels = t.tierCodes.map((c) => tiers.find((x) => x.code === c)?.label ?? c).join('、');
    return forbidden(couponErrorText.tierRestricted(labels), 'coupon_tier_restricted');
  }
  if (t.segmentId && !(await memberInSegment(String(t.segmentId), member._id, now, timeZone))) {
    return forbidden(couponErrorText.segmentRestricted, 'coupon_segment_restricted');
  }
  // Coupons of an erased earlier membership of this person count too (erasure registry, `priorRewards`).
  const held =
    (await Coupon.countDocuments({ templateId: t._id, memberId: member._id })) +
    priorCouponCount(member.priorRewards, t._id);
  if (held >= (t.perMemberLimit ?? 1))
    return conflict('coupon_member_limit', couponErrorText.memberLimit(t.perMemberLimit ?? 1));
  if (t.quotaRemaining != null && t.quotaRemaining <= 0)
    return conflict('coupon_quota_exhausted', couponErrorText.quotaExhausted);
  return null;
}

/** Segment restriction: the member must be in the segment's audience now (a missing segment refuses). */
async function memberInSegment(segmentId: string, memberId: unknown, now: Date, timeZone: string): Promise<boolean> {
  const rule = await getSegmentRule(segmentId).catch(() => null);
  if (!rule) return false;
  const filter = await buildAudienceFilter(rule, now, { timeZone });
  return Boolean(await Member.exists({ $and: [{ _id: memberId }, filter] }));
}

/** Validity window of a coupon issued now: fixed dates, or N days from issue to the end of that local day. */
export function validityFor(t: CouponTemplateDoc, now: Date, timeZone: string): { validFrom: Date; validUntil: Date } {
  if (t.validity?.mode === 'fixed') return { validFrom: t.validity.from ?? now, validUntil: t.validity.until as Date };
  const days = t.validity?.days ?? 30;
  const lastDay = zonedDate(new Date(now.getTime() + days * 86_400_000), timeZone);
  const next = new Date(`${lastDay}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return {
    validFrom: now,
    validUntil: new Date(zonedTimeToUtc(next.toISOString().slice(0, 10), '00:00', timeZone).getTime() - 1),
  };
}

export const invalidCouponInput = (message: string) => badRequest('validation_failed', message);
