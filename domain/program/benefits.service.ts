import { CouponTemplate } from '../../models/coupon-template.model';
import type { TierBenefitFacts } from '../../shared/vocabulary';
import { tierBenefitFacts } from '../tiers/tier-rules';
import { getProgramSettings, type ProgramSettings } from './settings.service';

/** The program's rules as the member reads them on 會員權益: numbers and coupon titles, no member data. */
export interface ProgramBenefits {
  brandName: string;
  spendPerPoint: number;
  expiry: { mode: ProgramSettings['expiry']['mode']; months: number };
  tiers: Array<{
    code: string;
    label: string;
    minSpend: number;
    multiplier: number;
    coupons: string[];
    benefits: TierBenefitFacts;
  }>;
  birthday: { enabled: boolean; points: number; coupon: string | null; mode: ProgramSettings['birthday']['mode'] };
  referral: {
    enabled: boolean;
    referrerPoints: number;
    referrerCoupon: string | null;
    refereePoints: number;
    refereeCoupon: string | null;
    minPurchaseAmount: number;
  };
  profileCompletionPoints: number;
}

/**
 * 會員權益 from the current program settings: how points are earned and expire, each tier's threshold, multiplier
 * and coupons, the birthday gift and the referral rewards. Coupon templates are named by their titles (one read by
 * `_id`); a template deleted since the settings were saved is left out rather than shown as an id.
 */
export async function getProgramBenefits(): Promise<ProgramBenefits> {
  const s = await getProgramSettings();
  const ids = [
    ...s.tiers.flatMap((t) => t.couponTemplateIds),
    s.birthday.couponTemplateId,
    s.referral.referrerReward.couponTemplateId,
    s.referral.refereeReward.couponTemplateId,
  ].filter((id): id is string => Boolean(id));
  const titles = new Map<string, string>();
  if (ids.length) {
    const found = await CouponTemplate.find({ _id: { $in: ids } }, { title: 1 }).lean();
    for (const t of found) titles.set(String(t._id), t.title);
  }
  const title = (id: string | null) => (id && titles.get(id)) || null;
  return {
    brandName: s.brand.name,
    spendPerPoint: s.earn.spendPerPoint,
    expiry: { mode: s.expiry.mode, months: s.expiry.months },
    tiers: s.tiers.map((t) => {
      const coupons = t.couponTemplateIds.map(title).filter((x): x is string => x !== null);
      return {
        code: t.code,
        label: t.label,
        minSpend: t.minSpend,
        multiplier: t.multiplier,
        coupons,
        benefits: tierBenefitFacts(t, s.tiers, coupons),
      };
    }),
    birthday: {
      enabled: s.birthday.enabled,
      points: s.birthday.points,
      coupon: title(s.birthday.couponTemplateId),
      mode: s.birthday.mode,
    },
    referral: {
      enabled: s.referral.enabled,
      referrerPoints: s.referral.referrerReward.points,
      referrerCoupon: title(s.referral.referrerReward.couponTemplateId),
      refereePoints: s.referral.refereeReward.points,
      refereeCoupon: title(s.referral.refereeReward.couponTemplateId),
      minPurchaseAmount: s.referral.minPurchaseAmount,
    },
    profileCompletionPoints: s.personaCompletionPoints,
  };
}
