import { z } from 'zod';
import { objectIdSchema } from './ids';

/**
 * /api/console/stamps (#16.1): stamp card templates (集點卡) the marketer designs, and the staff's manual stamp.
 * The server validates with these; the console imports the types. Messages are the marketer's field errors.
 */

const int = (min: number, max: number, message: string) =>
  z.number({ error: message }).int(message).min(min, message).max(max, message);

export const StampRewardInputSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('points'), points: int(1, 100_000, '贈送點數請填 1 到 100,000 之間的整數') }),
    z.object({ kind: z.literal('coupon'), couponTemplateId: objectIdSchema('請選擇要送的優惠券') }),
  ],
  { error: '請選擇獎勵：點數或優惠券' },
);
export type StampRewardInput = z.infer<typeof StampRewardInputSchema>;

const ValidityInputSchema = z.discriminatedUnion(
  'mode',
  [
    z.object({ mode: z.literal('none') }),
    z.object({ mode: z.literal('days_from_first_stamp'), days: int(1, 3650, '有效天數請填 1 到 3,650 天') }),
    z.object({ mode: z.literal('fixed_end'), endsAt: z.iso.datetime({ offset: true, message: '請選擇結束日期' }) }),
  ],
  { error: '請選擇集點卡的有效期限' },
);

export const StampTemplateInputSchema = z
  .object({
    name: z.string({ error: '請輸入集點卡名稱' }).trim().min(1, '請輸入集點卡名稱').max(30, '名稱請在 30 字以內'),
    status: z.enum(['active', 'archived']).default('active'),
    stampsNeeded: int(2, 50, '集滿點數請填 2 到 50 之間的整數'),
    earn: z.object({
      rule: z.enum(['per_purchase', 'per_amount', 'per_visit', 'per_category'], { error: '請選擇集點方式' }),
      amountPerStamp: int(1, 1_000_000, '每點金額請填 NT$1 以上的整數').nullable().default(null),
      dailyCap: int(1, 10, '每日上限請填 1 到 10 次').nullable().default(null),
      categories: z.array(z.string().trim().min(1).max(40)).max(20, '商品類別最多 20 個').default([]),
    }),
    milestones: z
      .array(z.object({ at: int(1, 49, '里程碑點數請填 1 到 49'), reward: StampRewardInputSchema }))
      .max(5, '里程碑最多 5 個')
      .default([]),
    completionReward: StampRewardInputSchema,
    validity: ValidityInputSchema,
    nextTemplateId: objectIdSchema('請選擇下一張集點卡').nullable().default(null),
    manualDailyLimit: int(0, 5, '每日補蓋上限請填 0 到 5 點').default(1),
  })
  .strict()
  .superRefine((t, ctx) => {
    if (t.earn.rule === 'per_amount' && !t.earn.amountPerStamp)
      ctx.addIssue({ code: 'custom', path: ['earn', 'amountPerStamp'], message: '「依消費金額」請填每幾元集一點' });
    if (t.earn.rule === 'per_category' && !t.earn.categories.length)
      ctx.addIssue({ code: 'custom', path: ['earn', 'categories'], message: '「依商品類別」請至少填一個類別' });
    const seen = new Set<number>();
    t.milestones.forEach((m, i) => {
      if (m.at >= t.stampsNeeded)
        ctx.addIssue({ code: 'custom', path: ['milestones', i, 'at'], message: '里程碑要小於集滿點數' });
      if (seen.has(m.at))
        ctx.addIssue({ code: 'custom', path: ['milestones', i, 'at'], message: '同一個點數只能有一個里程碑' });
      seen.add(m.at);
    });
  });
export type StampTemplateInput = z.input<typeof StampTemplateInputSchema>;

export interface StampTemplateView {
  id: string;
  name: string;
  status: 'active' | 'archived';
  stampsNeeded: number;
  earn: { rule: string; amountPerStamp: number | null; dailyCap: number | null; categories: string[] };
  milestones: Array<{ at: number; reward: StampRewardInput }>;
  completionReward: StampRewardInput | null;
  validity: { mode: string; days: number | null; endsAt: string | null };
  nextTemplateId: string | null;
  manualDailyLimit: number;
  updatedAt: string | null;
  updatedBy: string | null;
}

export const ManualStampRequestSchema = z.object({
  memberId: objectIdSchema(),
  templateId: objectIdSchema('請選擇集點卡'),
  reason: z.string(),
});
