import { z } from 'zod';
import { lineUserIdSchema, objectIdSchema } from '../../shared/ids';

/**
 * What a POS, an online shop or a staff member sends for one order. The member is identified by exactly one
 * of LINE userId, member code or mobile number.
 */
const MemberRefSchema = z
  .object({
    lineUserId: z.string().trim().pipe(lineUserIdSchema).optional(),
    memberCode: z
      .string()
      .trim()
      .regex(/^\d{10}$/, '會員編號應為 10 碼數字')
      .optional(),
    phone: z.string().trim().min(8, '手機號碼格式不正確').max(20).optional(),
    memberId: objectIdSchema().optional(),
  })
  .strict()
  .refine((m) => [m.lineUserId, m.memberCode, m.phone, m.memberId].filter(Boolean).length === 1, {
    message: '請提供 lineUserId、memberCode 或 phone 其中一項',
  });

const ItemSchema = z
  .object({
    sku: z.string().trim().max(64).optional(),
    name: z.string().trim().min(1, '請提供品名').max(120),
    category: z.string().trim().max(60).optional(),
    quantity: z.number().int().min(1).max(10000).default(1),
    /** Line total in NT$ (after item discounts). */
    amount: z.number().min(0).max(10_000_000),
  })
  .strict();

const money = z
  .number()
  .min(0, '金額不可為負')
  .max(10_000_000, '金額過大')
  .refine((n) => Math.round(n * 100) === n * 100, '金額最多兩位小數');

export const PurchaseInputSchema = z
  .object({
    orderId: z
      .string()
      .trim()
      .min(1, '請提供訂單編號')
      .max(100)
      .regex(/^[\w.:\-/#]+$/, '訂單編號只能包含英數字與 . : - / # _'),
    member: MemberRefSchema,
    /** The order's total, NT$, before shopping credit and points (what the member owes before paying with them). */
    amount: money,
    /** NT$ of shopping credit (購物金) to pay with; capped per order by the settings. */
    credit: z.number().int('購物金必須是整數（新台幣元）').min(0, '購物金不可為負').max(10_000_000).default(0),
    /** Points to pay with (點數折抵), a multiple of the settings' points per NT$1; capped per order. */
    points: z.number().int('折抵點數必須是整數').min(0, '折抵點數不可為負').max(1_000_000_000).default(0),
    currency: z.literal('TWD', { message: '目前只支援新台幣 TWD' }).default('TWD'),
    items: z.array(ItemSchema).max(500).default([]),
    storeId: z.string().trim().min(1).max(40).optional(),
    channel: z.enum(['store', 'online', 'other']).default('store'),
    /** When the purchase happened (ISO 8601 with offset); defaults to now. */
    time: z.iso
      .datetime({ offset: true, message: '請用 ISO 8601 時間（含時區），例如 2026-03-01T14:30:00+08:00' })
      .optional(),
  })
  .strict();
export type PurchaseInput = z.input<typeof PurchaseInputSchema>;
export type ParsedPurchase = z.infer<typeof PurchaseInputSchema>;

export const RefundInputSchema = z
  .object({
    orderId: z.string().trim().min(1).max(100),
    /** Distinguishes partial refunds of one order; a replay with the same refundId changes nothing. Default `full`. */
    refundId: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .regex(/^[\w.:\-/#]+$/)
      .default('full'),
    /** NT$ refunded; default: everything not yet refunded. */
    amount: money.refine((n) => n > 0, '退款金額必須大於 0').optional(),
    reason: z.string().trim().max(200).optional(),
    time: z.iso.datetime({ offset: true }).optional(),
    /** Give the money part back as 購物金 instead (when the program allows it, settings `credit.refundAsCredit`). */
    refundAs: z.enum(['money', 'credit'], { error: '退款方式只能是 money 或 credit' }).default('money'),
  })
  .strict();
export type RefundInput = z.input<typeof RefundInputSchema>;
