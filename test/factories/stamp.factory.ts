import { createCouponTemplate } from '../../domain/coupons';
import { StampCardTemplate } from '../../models/stamp-card-template.model';

/**
 * A drink-shop stamp card like the demo's: one stamp per purchase, 20 points at 5, a free drink coupon at
 * `stampsNeeded` (10 unless told), valid 180 days from the first stamp.
 */
export async function createDrinkStampCard(overrides: Record<string, unknown> = {}) {
  const coupon = await createCouponTemplate(
    { title: '招牌飲品兌換券', kind: 'gift', giftName: '招牌飲品', validity: { mode: 'relative', days: 30 } },
    'test',
  );
  const template = await StampCardTemplate.create({
    name: '飲料集點卡',
    status: 'active',
    stampsNeeded: 10,
    earn: { rule: 'per_purchase' },
    milestones: [{ at: 5, reward: { kind: 'points', points: 20 } }],
    completionReward: { kind: 'coupon', couponTemplateId: coupon.id },
    validity: { mode: 'days_from_first_stamp', days: 180 },
    manualDailyLimit: 1,
    createdAt: new Date(),
    ...overrides,
  });
  return { template, couponTemplateId: String(coupon.id) };
}
