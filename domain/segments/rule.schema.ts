import { z } from 'zod';
import { objectIdSchema } from '../../shared/ids';

/**
 * The segment rule language: a tree of AND/OR groups over a closed list of member attributes. Every object is
 * strict (unknown keys are refused) and every field name comes from an enum, so nothing a client sends can become
 * a MongoDB operator or path: `$where`, `$function`, `$expr` or an unknown field fail validation before compiling.
 */

export const GENDERS = ['female', 'male', 'other', 'undisclosed'] as const;
export const AGE_BANDS = ['<18', '18-24', '25-34', '35-44', '45-54', '55-64', '65+'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

/** Named RFM segments (see rfm.ts); listed here so a rule can target them without importing the scorer. */
export const RFM_SEGMENT_NAMES = [
  '冠軍顧客',
  '忠誠顧客',
  '潛力顧客',
  '新顧客',
  '需要關注',
  '流失風險',
  '沉睡顧客',
  '一般顧客',
] as const;

const MAX_DEPTH = 4;
const MAX_CONDITIONS = 50;

/** A plain value: never starts with `$` (defence in depth; values are only ever used in value position). */
const plainText = z
  .string()
  .trim()
  .min(1, '不可為空白')
  .max(60, '最多 60 個字')
  .refine((s) => !s.startsWith('$'), '不可以 $ 開頭');
const textList = z.array(plainText).min(1, '至少選一個值').max(100, '最多 100 個值');
const days = z.number().int('天數必須是整數').min(1, '至少 1 天').max(3650, '最多 3650 天');

/** A calendar date `YYYY-MM-DD` (in the brand's time zone). */
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式應為 YYYY-MM-DD');
export const BOUGHT_KINDS = ['category', 'sku', 'store'] as const;
export type BoughtKind = (typeof BOUGHT_KINDS)[number];

const numericOps = ['gte', 'lte', 'eq', 'between'] as const;
function numeric<F extends string>(field: F, min: number, max: number) {
  const n = z.number().min(min, `不可小於 ${min}`).max(max, `不可大於 ${max}`);
  return z
    .strictObject({
      field: z.literal(field),
      op: z.enum(numericOps),
      value: n.optional(),
      min: n.optional(),
      max: n.optional(),
    })
    .superRefine((c, ctx) => {
      if (c.op === 'between') {
        if (c.min === undefined || c.max === undefined)
          ctx.addIssue({ code: 'custom', message: '請填寫最小值與最大值', path: ['min'] });
        else if (c.min > c.max) ctx.addIssue({ code: 'custom', message: '最小值不可大於最大值', path: ['min'] });
      } else if (c.value === undefined) ctx.addIssue({ code: 'custom', message: '請填寫數值', path: ['value'] });
    });
}

const recency = <F extends string>(field: F) =>
  z.strictObject({ field: z.literal(field), op: z.enum(['withinDays', 'notWithinDays']), days });

export const ConditionSchema = z.discriminatedUnion('field', [
  z.strictObject({ field: z.literal('gender'), op: z.literal('in'), values: z.array(z.enum(GENDERS)).min(1).max(4) }),
  z.strictObject({
    field: z.literal('ageBand'),
    op: z.literal('in'),
    values: z.array(z.enum(AGE_BANDS)).min(1).max(AGE_BANDS.length),
  }),
  numeric('age', 0, 130),
  z.strictObject({ field: z.literal('city'), op: z.enum(['in', 'notIn']), values: textList }),
  z.strictObject({
    field: z.literal('birthMonth'),
    op: z.literal('in'),
    values: z.array(z.number().int().min(1).max(12)).min(1).max(12),
  }),
  z.strictObject({ field: z.literal('tags'), op: z.enum(['hasAny', 'hasAll', 'hasNone']), values: textList }),
  z.strictObject({
    field: z.literal('rfmSegment'),
    op: z.enum(['in', 'notIn']),
    values: z.array(z.enum(RFM_SEGMENT_NAMES)).min(1),
  }),
  numeric('rfmR', 1, 5),
  numeric('rfmF', 1, 5),
  numeric('rfmM', 1, 5),
  numeric('purchaseCount', 0, 1_000_000),
  numeric('totalSpend', 0, 1_000_000_000),
  numeric('pointsBalance', 0, 1_000_000_000),
  z
    .strictObject({
      field: z.literal('lastPurchase'),
      op: z.enum(['withinDays', 'notWithinDays', 'never', 'ever']),
      days: days.optional(),
    })
    .refine((c) => c.op === 'never' || c.op === 'ever' || c.days !== undefined, {
      message: '請填寫天數',
      path: ['days'],
    }),
  recency('lastInteraction'),
  recency('joined'),
  z.strictObject({ field: z.literal('personaCompleted'), op: z.literal('is'), value: z.boolean() }),
  z.strictObject({ field: z.literal('tier'), op: z.enum(['in', 'notIn']), values: textList }),
  // Purchase conditions (#17.1), over the per-member aggregates `buys` (domain/purchases/purchase-stats.service.ts).
  z.strictObject({
    field: z.literal('bought'),
    /** What was bought: a product category, a SKU or a store. */
    kind: z.enum(BOUGHT_KINDS),
    op: z.enum(['bought', 'notBought']),
    values: textList,
    /** Within the last N days; without it, ever. */
    days: days.optional(),
  }),
  z.strictObject({
    field: z.literal('crossSell'),
    kind: z.enum(BOUGHT_KINDS),
    /** Bought α (any of) … */
    bought: textList,
    /** … but never β (none of). */
    notBought: textList,
    days: days.optional(),
  }),
  numeric('orders', 0, 1_000_000),
  numeric('aov', 0, 100_000_000),
  numeric('ltv', 0, 1_000_000_000),
  z
    .strictObject({
      field: z.literal('firstPurchase'),
      op: z.enum(['withinDays', 'notWithinDays', 'between']),
      days: days.optional(),
      from: isoDate.optional(),
      to: isoDate.optional(),
    })
    .superRefine((c, ctx) => {
      if (c.op === 'between') {
        if (!c.from || !c.to) ctx.addIssue({ code: 'custom', message: '請填寫開始與結束日期', path: ['from'] });
        else if (c.from > c.to) ctx.addIssue({ code: 'custom', message: '開始日期不可晚於結束日期', path: ['from'] });
      } else if (c.days === undefined) ctx.addIssue({ code: 'custom', message: '請填寫天數', path: ['days'] });
    }),
  numeric('daysSinceLastPurchase', 0, 36_500),
  numeric('satisfaction', 1, 5),
  z
    .strictObject({
      field: z.literal('message'),
      /** A campaign, or a journey's step (`stepId` required for a journey). */
      source: z.enum(['campaign', 'journey']),
      id: objectIdSchema(),
      stepId: z
        .string()
        .trim()
        .min(1)
        .max(60)
        .regex(/^[\w-]+$/, '步驟代碼格式不正確')
        .optional(),
      op: z.enum(['received', 'notReceived', 'clicked', 'notClicked']),
    })
    .superRefine((c, ctx) => {
      if (c.source === 'journey' && !c.stepId)
        ctx.addIssue({ code: 'custom', message: '請選擇旅程步驟', path: ['stepId'] });
      if (c.source === 'journey' && (c.op === 'clicked' || c.op === 'notClicked'))
        ctx.addIssue({ code: 'custom', message: '旅程步驟目前只能依「是否收到」篩選', path: ['op'] });
    }),
  z.strictObject({
    field: z.literal('coupon'),
    op: z.enum(['hasActive', 'hasUsed', 'hasExpired', 'hasNone', 'neverUsed']),
    templateId: objectIdSchema().optional(),
  }),
]);
export type SegmentCondition = z.infer<typeof ConditionSchema>;
export type ConditionField = SegmentCondition['field'];

export interface SegmentGroup {
  op: 'and' | 'or';
  conditions: Array<SegmentCondition | SegmentGroup>;
}

export const GroupSchema: z.ZodType<SegmentGroup> = z.lazy(() =>
  z.strictObject({
    op: z.enum(['and', 'or']),
    conditions: z.array(z.union([ConditionSchema, GroupSchema])).max(MAX_CONDITIONS, `最多 ${MAX_CONDITIONS} 個條件`),
  }),
);

/** A whole rule: the root group, with limits on depth and size so a rule cannot turn into a denial of service. */
export const SegmentRuleSchema = GroupSchema.superRefine((rule, ctx) => {
  const { depth, count } = measure(rule);
  if (depth > MAX_DEPTH) ctx.addIssue({ code: 'custom', message: `條件群組最多 ${MAX_DEPTH} 層` });
  if (count > MAX_CONDITIONS) ctx.addIssue({ code: 'custom', message: `最多 ${MAX_CONDITIONS} 個條件` });
});
export type SegmentRule = SegmentGroup;

export function isGroup(node: SegmentCondition | SegmentGroup): node is SegmentGroup {
  return 'conditions' in node;
}

function measure(group: SegmentGroup): { depth: number; count: number } {
  let depth = 1;
  let count = 0;
  for (const node of group.conditions) {
    if (isGroup(node)) {
      const m = measure(node);
      depth = Math.max(depth, m.depth + 1);
      count += m.count;
    } else count += 1;
  }
  return { depth, count };
}

/** Every condition of a rule, depth first. */
export function conditionsOf(group: SegmentGroup): SegmentCondition[] {
  return group.conditions.flatMap((n) => (isGroup(n) ? conditionsOf(n) : [n]));
}

/** The rule that matches every reachable, consenting member. */
export const EVERYONE: SegmentRule = { op: 'and', conditions: [] };
