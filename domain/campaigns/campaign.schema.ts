import { z } from 'zod';
import { SegmentRuleSchema } from '../segments/rule.schema';
import { cronProblem } from '../scheduling/cron';
import { objectIdSchema } from '../../shared/ids';
import { checkLineMessage } from '../messaging/line-rules/line-message-rules';

/**
 * What a marketer submits to create or edit a campaign; shared by the console API and its front end. Messages are
 * a safe subset of LINE message objects (text, image, flex); at most 5 per send, one of them taken by the coupon
 * notice when a coupon is attached.
 */

const objectId = objectIdSchema();
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '請用 HH:mm 格式');

/*
 * The shapes below only say which fields a marketer may fill; what LINE accepts inside them (https media, URL
 * lengths, every flex component, UTF-16 text length, bubble bytes) is checked by the one LINE validator
 * (domain/messaging/line-message-rules.ts) on the whole message, and again by the campaign service on the final
 * message, after link rewriting and the member token.
 */
export const TextMessageSchema = z.strictObject({
  type: z.literal('text'),
  text: z.string().trim(),
});
export const ImageMessageSchema = z.strictObject({
  type: z.literal('image'),
  originalContentUrl: z.string().trim(),
  previewImageUrl: z.string().trim(),
});
export type FlexBubble = { type: 'bubble'; [key: string]: unknown };
export type FlexContainer = FlexBubble | { type: 'carousel'; contents: FlexBubble[]; [key: string]: unknown };

/**
 * How deeply flex contents may nest (objects and arrays, counted from `contents`). A carousel of bubbles with boxes
 * ten deep stays under it; MongoDB refuses documents nested past 100 levels, and anything recursive (JSON.stringify
 * and the validator included) can overflow the stack on a hand-written JSON thousands of levels deep, so depth is
 * checked first, without recursion.
 */
export const FLEX_MAX_DEPTH = 30;
/** Product limit on the alternative text (LINE allows 1,500): it is what a phone's notification shows. */
const ALT_TEXT_MAX = 400;
export const FlexMessageSchema = z.strictObject({
  type: z.literal('flex'),
  altText: z.string().trim().max(ALT_TEXT_MAX, `最多 ${ALT_TEXT_MAX} 字`),
  /** Any JSON here: the LINE validator below says, at the property, what LINE would refuse. */
  contents: z.custom<FlexContainer>(),
});

/** Whether objects/arrays inside `value` nest more than `max` levels, walked with an explicit stack. */
function nestingExceeds(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (!v || typeof v !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(v)) if (child && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

/** One authored message: its shape, then LINE's rules on it, each problem at its field. */
export const CampaignMessageSchema = z
  .discriminatedUnion('type', [TextMessageSchema, ImageMessageSchema, FlexMessageSchema], {
    error: '訊息類型必須是文字、圖片或 Flex',
  })
  .superRefine((m, ctx) => {
    if (m.type === 'flex' && nestingExceeds(m.contents, FLEX_MAX_DEPTH)) {
      ctx.addIssue({
        code: 'custom',
        path: ['contents'],
        message: `Flex 內容的巢狀層數太多（最多 ${FLEX_MAX_DEPTH} 層）`,
      });
      return;
    }
    for (const issue of checkLineMessage(m)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  });
/** A stored message; flex contents are what the LINE validator accepted (typed loosely, as LINE's JSON). */
export type CampaignMessage =
  | { type: 'text'; text: string }
  | { type: 'image'; originalContentUrl: string; previewImageUrl: string }
  | { type: 'flex'; altText: string; contents: FlexContainer };

export const AudienceSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('segment'), segmentId: objectId }),
  z.strictObject({ type: z.literal('rule'), rule: SegmentRuleSchema }),
  z.strictObject({ type: z.literal('all') }),
]);
export type CampaignAudience = z.infer<typeof AudienceSchema>;

export const ScheduleSchema = z.discriminatedUnion('type', [
  /** Once at `at`; a time up to 5 minutes in the past means "now". */
  z.strictObject({ type: z.literal('once'), at: z.coerce.date({ message: '請輸入發送時間' }) }),
  z.strictObject({
    type: z.literal('recurring'),
    cron: z
      .string()
      .trim()
      .max(100)
      .superRefine((v, ctx) => {
        const problem = cronProblem(v);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
    startAt: z.coerce.date().optional(),
  }),
]);
export type CampaignSchedule = z.infer<typeof ScheduleSchema>;

export const DEFAULT_FREQUENCY_CAP = { maxPerWindow: 2, windowDays: 7 };
export const DEFAULT_QUIET_HOURS = { enabled: true, start: '21:00', end: '09:00' };

export const CampaignOptionsSchema = z.strictObject({
  /** Max marketing pushes per member within the window, counted across all campaigns; null = no cap. */
  frequencyCap: z
    .strictObject({
      maxPerWindow: z.number().int().min(1, '至少 1 次').max(50, '最多 50 次'),
      windowDays: z.number().int().min(1).max(30).default(7),
    })
    .nullable()
    .default(DEFAULT_FREQUENCY_CAP),
  /** A send due inside quiet hours waits until they end (deferred, never dropped). */
  quietHours: z
    .strictObject({ enabled: z.boolean().default(true), start: hhmm.default('21:00'), end: hhmm.default('09:00') })
    .default(DEFAULT_QUIET_HOURS),
  /** No occurrence starts after this instant. */
  endAt: z.coerce.date().nullable().default(null),
  /** When the audience exceeds the remaining monthly quota: hold the whole send, or send to as many as fit. */
  onQuotaShortfall: z.enum(['hold', 'send_partial']).default('hold'),
  /** Purchases by recipients within this many days after the send count as attributed. */
  attributionDays: z.number().int().min(1).max(90).default(7),
  /**
   * `link`: one multicast per 500 recipients, clicks counted per link (anonymous). `member`: one push per
   * recipient with a signed member token in each link, so clicks are attributed to members (more API calls).
   */
  linkTracking: z.enum(['link', 'member']).default('link'),
  /**
   * UTM parameters added to every outbound link when it is opened (utm_source=line, utm_medium=campaign,
   * utm_campaign=<slug>, see domain/campaigns/link-display.ts); `campaign` empty: a slug from the name.
   */
  utm: z
    .strictObject({
      enabled: z.boolean().default(true),
      campaign: z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9_-]*$/, '只能使用英文字母、數字、「-」與「_」')
        .max(40, '最多 40 個字')
        .default(''),
    })
    .default({ enabled: true, campaign: '' }),
});
export type CampaignOptions = z.infer<typeof CampaignOptionsSchema>;

/** Variant letters, in order: the first variant is A. */
export const AB_VARIANT_KEYS = ['A', 'B', 'C', 'D'] as const;
export type AbVariantKey = (typeof AB_VARIANT_KEYS)[number];
export const AB_METRICS = ['click_rate', 'purchase_rate'] as const;
export type AbMetric = (typeof AB_METRICS)[number];

/**
 * An A/B test (#17.4): 2–4 variants, each with its own messages and a share of the audience in percent (summing
 * to 100), and the metric that names the winner. The freeze assigns each recipient a variant by position.
 */
export const AbTestSchema = z
  .strictObject({
    metric: z.enum(AB_METRICS, { error: '勝出指標必須是點擊率或購買率' }).default('click_rate'),
    variants: z
      .array(
        z.strictObject({
          share: z
            .number({ error: '請輸入分配比例（%）' })
            .int('比例請輸入整數')
            .min(1, '每個版本至少分配 1%')
            .max(99, '每個版本最多分配 99%'),
          messages: z.array(CampaignMessageSchema).max(5, '最多 5 則訊息'),
        }),
      )
      .min(2, 'A/B 測試至少要有 2 個版本')
      .max(4, 'A/B 測試最多 4 個版本'),
  })
  .superRefine((ab, ctx) => {
    const sum = ab.variants.reduce((a, v) => a + v.share, 0);
    if (sum !== 100)
      ctx.addIssue({ code: 'custom', path: ['variants'], message: `各版本比例加總必須是 100%（目前是 ${sum}%）` });
    ab.variants.forEach((v, i) => {
      if (!v.messages.length)
        ctx.addIssue({
          code: 'custom',
          path: ['variants', i, 'messages'],
          message: `${AB_VARIANT_KEYS[i]} 版至少要有一則訊息`,
        });
    });
  });
export type AbTest = z.infer<typeof AbTestSchema>;

export const CampaignInputSchema = z
  .strictObject({
    name: z.string().trim().min(1, '請輸入活動名稱').max(80, '最多 80 個字'),
    description: z.string().trim().max(500).default(''),
    audience: AudienceSchema,
    /** The messages; with an A/B test, ignored on input and set to variant A's (what summaries and checks read). */
    messages: z.array(CampaignMessageSchema).max(5, '最多 5 則訊息').default([]),
    ab: AbTestSchema.nullable().default(null),
    coupon: z.strictObject({ templateId: objectId }).nullable().default(null),
    schedule: ScheduleSchema,
    options: CampaignOptionsSchema.default(CampaignOptionsSchema.parse({})),
    /** Save without scheduling (a draft is never sent). */
    draft: z.boolean().default(false),
  })
  .superRefine((c, ctx) => {
    if (!c.ab && !c.messages.length) ctx.addIssue({ code: 'custom', path: ['messages'], message: '至少一則訊息' });
    const couponLimit = '附加優惠券時最多 4 則訊息（優惠券通知佔 1 則）';
    if (c.coupon && !c.ab && c.messages.length > 4)
      ctx.addIssue({ code: 'custom', path: ['messages'], message: couponLimit });
    if (c.coupon && c.ab)
      c.ab.variants.forEach((v, i) => {
        if (v.messages.length > 4)
          ctx.addIssue({ code: 'custom', path: ['ab', 'variants', i, 'messages'], message: couponLimit });
      });
    const end = c.options.endAt;
    if (end && c.schedule.type === 'once' && c.schedule.at > end)
      ctx.addIssue({ code: 'custom', path: ['options', 'endAt'], message: '結束時間必須晚於發送時間' });
    const q = c.options.quietHours;
    if (q.enabled && q.start === q.end)
      ctx.addIssue({ code: 'custom', path: ['options', 'quietHours'], message: '勿擾時段的開始與結束不可相同' });
  })
  .transform((c) => (c.ab ? { ...c, messages: c.ab.variants[0].messages } : c));
export type CampaignInput = z.input<typeof CampaignInputSchema>;
export type ParsedCampaignInput = z.infer<typeof CampaignInputSchema>;

declare module '../../models/campaign.model' {
  /** What is stored is what this schema produced (see CampaignContent in the model). */
  interface CampaignContent {
    audience: CampaignAudience;
    messages: CampaignMessage[];
    schedule: CampaignSchedule;
    options: CampaignOptions;
    ab?: AbTest | null;
  }
}
