import { z } from 'zod';
import { checkLineMessage } from '../messaging/line-rules/line-message-rules';

/**
 * What a marketer authors for the chat: FAQ entries and keyword auto-reply rules, validated with zh-TW messages
 * (the console shows them at the field). Rule replies are checked by the same LINE validator as campaigns.
 */

const phrase = z.string().trim().min(1, '請輸入文字').max(100, '最多 100 個字');

export const FaqInputSchema = z.strictObject({
  question: z.string().trim().min(1, '請輸入問題').max(100, '問題最多 100 個字'),
  alternatives: z.array(phrase).max(30, '其他問法最多 30 個').default([]),
  answer: z
    .string()
    .trim()
    .min(1, '請輸入回答')
    .max(2000, '回答最多 2,000 個字')
    .superRefine((text, ctx) => {
      for (const issue of checkLineMessage({ type: 'text', text }))
        ctx.addIssue({ code: 'custom', message: issue.message });
    }),
  active: z.boolean().default(true),
});
export type FaqInput = z.infer<typeof FaqInputSchema>;

const time = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, '時間請用 HH:mm 格式，例如 09:30')
  .optional();

const RuleReplySchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('text'),
      text: z.string().trim().min(1, '請輸入回覆文字').max(2000, '回覆最多 2,000 個字'),
    }),
    z.strictObject({ kind: z.literal('flex'), flex: z.record(z.string(), z.unknown()) }),
    z.strictObject({
      kind: z.literal('coupon'),
      couponTemplateId: z.string().regex(/^[0-9a-f]{24}$/i, '請選擇優惠券'),
      text: z.string().trim().max(500, '說明最多 500 個字').optional(),
    }),
    z.strictObject({
      kind: z.literal('card'),
      text: z.string().trim().min(1, '請輸入說明文字').max(300, '說明最多 300 個字'),
    }),
  ],
  { error: '請選擇回覆方式（文字、Flex、優惠券或會員卡連結）' },
);

export const RuleInputSchema = z
  .strictObject({
    name: z.string().trim().min(1, '請輸入規則名稱').max(50, '名稱最多 50 個字'),
    mode: z.enum(['exact', 'contains', 'any'], { error: '請選擇比對方式（完全相同、包含全部、包含任一）' }),
    words: z.array(phrase).min(1, '請至少輸入一個關鍵字').max(20, '關鍵字最多 20 個'),
    priority: z.number().int().min(0, '優先順序是 0 到 100').max(100, '優先順序是 0 到 100').default(0),
    days: z.array(z.number().int().min(0).max(6, '星期請用 0（日）到 6（六）')).max(7).default([]),
    from: time,
    to: time,
    reply: RuleReplySchema,
    tags: z.array(z.string().trim().min(1).max(30, '標籤最多 30 個字')).max(10, '標籤最多 10 個').default([]),
    active: z.boolean().default(true),
  })
  .superRefine((rule, ctx) => {
    if (Boolean(rule.from) !== Boolean(rule.to))
      ctx.addIssue({ code: 'custom', path: [rule.from ? 'to' : 'from'], message: '開始與結束時間要一起設定' });
    if (rule.from && rule.from === rule.to)
      ctx.addIssue({ code: 'custom', path: ['to'], message: '結束時間不能和開始時間相同' });
  });
export type RuleInput = z.infer<typeof RuleInputSchema>;
export type RuleReply = RuleInput['reply'];
