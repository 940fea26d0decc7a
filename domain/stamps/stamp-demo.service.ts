import type { Types } from 'mongoose';
import { StampCardTemplate } from '../../models/stamp-card-template.model';

export const DEMO_STAMP_CARD_NAME = '飲料集點卡';

/**
 * The demo brand's stamp card: 「飲料集點卡」, one stamp per purchase, 集滿 10 點送一杯 (the given coupon template),
 * a 5-stamp milestone of 20 points, valid 180 days from the first stamp. Idempotent by name.
 */
export async function seedDemoStampCard(freeDrinkCouponTemplateId: Types.ObjectId | string, now: Date): Promise<void> {
  await StampCardTemplate.updateOne(
    { name: DEMO_STAMP_CARD_NAME },
    {
      $setOnInsert: {
        name: DEMO_STAMP_CARD_NAME,
        status: 'active',
        stampsNeeded: 10,
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
