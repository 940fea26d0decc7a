import { z } from 'zod';
import { objectIdSchema } from '../../shared/ids';
import { AudienceSchema, CampaignMessageSchema, CampaignOptionsSchema } from '../campaigns/campaign.schema';
import { SegmentRuleSchema } from '../segments/rule.schema';

/**
 * What a marketer authors for a journey: a trigger, ordered steps with stable ids, a goal and the member-protecting
 * options shared with campaigns (frequency cap, quiet hours). Messages use the campaigns' message schema, so every
 * message passes the one LINE validator before it is stored.
 */

const objectId = objectIdSchema();
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '請用 HH:mm 格式');
const stepId = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, '步驟代號只能用小寫英文、數字、- 或 _');
const days = (max: number) => z.number().int().min(1, '至少 1 天').max(max, `最多 ${max} 天`);
const tagList = z.array(z.string().trim().min(1).max(30)).max(10);

export const TriggerSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('followed'), include: z.enum(['new', 'returning', 'both']).default('both') }),
  z.strictObject({ type: z.literal('consent_accepted') }),
  z.strictObject({ type: z.literal('persona_completed') }),
  z.strictObject({ type: z.literal('first_purchase') }),
  z.strictObject({
    type: z.literal('purchase'),
    minAmount: z.number().int().min(0).default(0),
    category: z.string().trim().max(40).nullable().default(null),
    storeId: z.string().trim().max(60).nullable().default(null),
  }),
  z.strictObject({
    type: z.literal('tier_changed'),
    direction: z.enum(['up', 'down', 'any']).default('up'),
    tier: z.string().trim().max(24).nullable().default(null),
  }),
  z.strictObject({
    type: z.literal('tag_changed'),
    change: z.enum(['added', 'removed']),
    tag: z.string().trim().min(1).max(30),
  }),
  z.strictObject({ type: z.literal('segment'), audience: AudienceSchema }),
  z.strictObject({
    type: z.literal('inactive'),
    days: days(730),
    basis: z.enum(['purchase', 'interaction']).default('purchase'),
  }),
  z.strictObject({ type: z.literal('points_expiring'), days: days(90) }),
  z.strictObject({ type: z.literal('coupon_expiring'), days: days(90) }),
  z.strictObject({
    type: z.literal('date_relative'),
    date: z.enum(['birthday', 'anniversary']),
    /** Negative: before the date; positive: after it. */
    offsetDays: z.number().int().min(-60).max(60),
  }),
]);
export type JourneyTrigger = z.infer<typeof TriggerSchema>;

export const BranchConditionSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('segment'), rule: SegmentRuleSchema }),
  z.strictObject({ kind: z.literal('tag'), tag: z.string().trim().min(1).max(30) }),
  z.strictObject({ kind: z.literal('clicked'), stepId }),
  z.strictObject({ kind: z.literal('purchased') }),
  z.strictObject({ kind: z.literal('redeemed'), stepId }),
]);
export type BranchCondition = z.infer<typeof BranchConditionSchema>;

const target = z.union([stepId, z.literal('end')]);

const MessageStepSchema = z.strictObject({
  id: stepId,
  type: z.literal('message'),
  messages: z.array(CampaignMessageSchema).min(1, '至少一則訊息').max(5, '最多 5 則訊息'),
  /**
   * Per member: each recipient's links are short codes of their own (needed by a "clicked" branch); otherwise one
   * multicast per batch.
   */
  linkTracking: z.enum(['link', 'member']).default('link'),
});

/** A message step being composed, for the editor's preview (its id and place in the journey do not matter). */
export const StepPreviewSchema = MessageStepSchema.omit({ id: true, type: true });

export const StepSchema = z.discriminatedUnion('type', [
  z.strictObject({
    id: stepId,
    type: z.literal('wait'),
    /** Wait this long… */
    days: z.number().int().min(0).max(365).default(0),
    hours: z.number().int().min(0).max(23).default(0),
    minutes: z.number().int().min(0).max(59).default(0),
    /** …then until this weekday (0 = Sunday) and/or time of day in the program's zone. */
    until: z
      .strictObject({ weekday: z.number().int().min(0).max(6).nullable().default(null), time: hhmm })
      .nullable()
      .default(null),
  }),
  MessageStepSchema,
  z.strictObject({
    id: stepId,
    type: z.literal('coupon'),
    /** A template, or `tier`: the coupons of the tier the member reached (tier-change trigger). */
    templateId: z.union([objectId, z.literal('tier')]),
    notify: z.boolean().default(true),
  }),
  z.strictObject({ id: stepId, type: z.literal('tags'), add: tagList.default([]), remove: tagList.default([]) }),
  z.strictObject({ id: stepId, type: z.literal('points'), points: z.number().int().min(1).max(100000) }),
  z.strictObject({
    id: stepId,
    type: z.literal('credit'),
    /** Shopping credit (購物金), NT$, granted once per member, run and step. */
    amount: z
      .number()
      .int('購物金必須是整數（新台幣元）')
      .min(1, '購物金至少 NT$1')
      .max(100000, '購物金最多 NT$100,000'),
    validDays: z.number().int().min(1, '有效天數至少 1 天').max(3650, '有效天數最多 3650 天').default(30),
  }),
  z.strictObject({
    id: stepId,
    type: z.literal('branch'),
    condition: BranchConditionSchema,
    then: target,
    else: target,
  }),
  z.strictObject({ id: stepId, type: z.literal('end') }),
]);
export type JourneyStep = z.infer<typeof StepSchema>;

export const GoalSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('purchase'), minAmount: z.number().int().min(0).default(0) }),
  z.strictObject({ kind: z.literal('redeem') }),
]);
export type JourneyGoal = z.infer<typeof GoalSchema>;

export const JourneyOptionsSchema = z.strictObject({
  frequencyCap: CampaignOptionsSchema.shape.frequencyCap,
  quietHours: CampaignOptionsSchema.shape.quietHours,
  /** null: a member enters once; N: again N days after the previous run ended. */
  reentryAfterDays: z.number().int().min(1).max(3650).nullable().default(null),
  /** Exit when the goal is met (default), or only count it. */
  exitOnGoal: z.boolean().default(true),
  /** Days after a step's send within which a purchase counts as that step's conversion. */
  attributionDays: z.number().int().min(1).max(90).default(7),
});
export type JourneyOptions = z.infer<typeof JourneyOptionsSchema>;

export const JourneyInputSchema = z
  .strictObject({
    name: z.string().trim().min(1, '請輸入旅程名稱').max(80, '最多 80 個字'),
    description: z.string().trim().max(500).default(''),
    category: z.enum(['marketing', 'transactional']).default('marketing'),
    trigger: TriggerSchema,
    steps: z.array(StepSchema).min(1, '至少一個步驟').max(30, '最多 30 個步驟'),
    goal: GoalSchema.nullable().default(null),
    options: JourneyOptionsSchema.default(JourneyOptionsSchema.parse({})),
    /** Save as a draft (not running) or start it. */
    status: z.enum(['draft', 'active']).default('draft'),
  })
  .superRefine((j, ctx) => {
    const ids = new Set<string>();
    j.steps.forEach((s, i) => {
      if (ids.has(s.id)) ctx.addIssue({ code: 'custom', path: ['steps', i, 'id'], message: '步驟代號重複' });
      ids.add(s.id);
    });
    j.steps.forEach((s, i) => {
      if (s.type === 'branch')
        for (const k of ['then', 'else'] as const)
          if (s[k] !== 'end' && !ids.has(s[k]))
            ctx.addIssue({ code: 'custom', path: ['steps', i, k], message: '找不到要前往的步驟' });
      if (
        s.type === 'branch' &&
        (s.condition.kind === 'clicked' || s.condition.kind === 'redeemed') &&
        !ids.has(s.condition.stepId)
      )
        ctx.addIssue({ code: 'custom', path: ['steps', i, 'condition', 'stepId'], message: '找不到要判斷的步驟' });
      if (s.type === 'coupon' && s.templateId === 'tier' && j.trigger.type !== 'tier_changed')
        ctx.addIssue({
          code: 'custom',
          path: ['steps', i, 'templateId'],
          message: '「等級優惠券」只能用在等級變動觸發的旅程',
        });
    });
    const q = j.options.quietHours;
    if (q.enabled && q.start === q.end)
      ctx.addIssue({ code: 'custom', path: ['options', 'quietHours'], message: '勿擾時段的開始與結束不可相同' });
  });
export type JourneyInput = z.input<typeof JourneyInputSchema>;
export type ParsedJourneyInput = z.infer<typeof JourneyInputSchema>;

/** The events of the product a journey can start from (one `enterJourneys` call at each site). */
export type JourneyEvent =
  | { type: 'followed'; memberId: string; returning: boolean }
  | { type: 'consent_accepted'; memberId: string }
  | { type: 'persona_completed'; memberId: string }
  | {
      type: 'purchase';
      memberId: string;
      ref: string;
      amount: number;
      first: boolean;
      storeId?: string | null;
      categories?: string[];
    }
  | { type: 'tier_changed'; memberId: string; from: string; to: string; direction: 'up' | 'down' }
  | { type: 'tag_changed'; memberId: string; tag: string; change: 'added' | 'removed' }
  | { type: 'coupon_redeemed'; memberId: string; couponId: string };
