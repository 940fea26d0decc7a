import type { Types } from 'mongoose';
import { StampCardTemplate } from '../../models/stamp-card-template.model';

/**
 * The demo brand's stamp card: 「咖啡集點卡」, one stamp per purchase, 集滿 8 點送一杯 (the given coupon template),
 * a 5-point milestone of 20 points, valid 180 days from the first stamp. Idempotent by name.
 */
export async function seedDemoStampCard(freeDrinkCouponTemplateId: Types.ObjectId | string, now: Date): Promise<void> {
  await StampCardTemplate.updateOne(
    { name: '咖啡集點卡' },
    {
      $setOnInsert: {
        name: '咖啡集點卡',
        status: 'active',
        stampsNeeded: 8,
        earn: { rule: 'per_purchase' },
        milestones: [{ at: 5, reward: { kind: 'points', points: 20 } }],
        completionReward: { kind: 'coupon', couponTemplateId: freeDrinkCouponTemplateId },
        validity: { mode: 'days_from_first_stamp', days: 180 },
        manualDailyLimit: 1,
        createdAt: now,
        updatedAt: now,
        updatedBy: 'demo-seed',
      },
    },
    { upsert: true },
  );
}
