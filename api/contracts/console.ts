import { z } from 'zod';
import { lineUserIdSchema, objectIdSchema } from '../../shared/ids';
import type { PersonaScript, SegmentGroup } from './console-programs';
import type { CampaignStatus } from './console-views';
import { CAMPAIGN_STATUSES, CONSOLE_ROLES, MERGE_FIELD_CHOICES } from './console-views';

/**
 * The console's wire contract. Request schemas of /api/console/* (validated by the server; the server returns
 * field errors that the forms show next to the inputs) are here; the response types are in console-views.ts and
 * the documents marketers author (rules, campaigns, persona script, settings) in console-programs.ts, re-exported
 * below so the console imports one module. The console imports it type-only, so zod stays out of its bundle.
 */

export type * from './console-views';
export type * from './console-programs';
export type * from './console-richmenus';
export { CAMPAIGN_STATUSES, CONSOLE_ROLES, MERGE_FIELD_CHOICES } from './console-views';

/** A MongoDB ObjectId as it appears in paths and bodies. */
const objectId = objectIdSchema();

/** `?page=` of a paged list (the page size is the route's). */
export const PageQuerySchema = z.object({ page: z.coerce.number().int().min(1).max(10_000).default(1) });
const trimmed = (max: number, label = '此欄位') =>
  z.string().trim().min(1, `${label}不可空白`).max(max, `${label}最多 ${max} 個字`);

// ---- auth ---------------------------------------------------------------------------------------------------

export const LoginRequestSchema = z.strictObject({
  username: trimmed(60, '帳號'),
  password: z.string().min(1, '請輸入密碼').max(200),
});
export type LoginRequest = z.infer<typeof LoginRequestSchema>;

export const ChangePasswordRequestSchema = z.strictObject({
  currentPassword: z.string().min(1, '請輸入目前的密碼'),
  newPassword: z.string().min(10, '新密碼至少需要 10 個字元').max(200),
});
export type ChangePasswordRequest = z.input<typeof ChangePasswordRequestSchema>;

// ---- users --------------------------------------------------------------------------------------------------

const username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9._-]{3,40}$/, '帳號須為 3–40 個英文小寫、數字或 . _ -');
const lineUserId = z.string().trim().pipe(lineUserIdSchema);

export const CreateUserRequestSchema = z.strictObject({
  username,
  displayName: trimmed(40, '名稱'),
  role: z.enum(CONSOLE_ROLES),
  /** Omit to have one generated and shown once. */
  password: z.string().min(10, '密碼至少需要 10 個字元').max(200).optional(),
  storeId: z.string().trim().max(40).optional(),
});
export type CreateUserRequest = z.input<typeof CreateUserRequestSchema>;

export const UpdateUserRequestSchema = z.strictObject({
  displayName: trimmed(40, '名稱').optional(),
  role: z.enum(CONSOLE_ROLES).optional(),
  status: z.enum(['active', 'disabled']).optional(),
  storeId: z.string().trim().max(40).nullable().optional(),
});
export type UpdateUserRequest = z.input<typeof UpdateUserRequestSchema>;

/** My own account: the name others see. My LINE is linked by a one-time code typed in the chat, not typed here. */
export const UpdateMeRequestSchema = z.strictObject({
  displayName: trimmed(40, '名稱').optional(),
});
export type UpdateMeRequest = z.input<typeof UpdateMeRequestSchema>;

// ---- campaign test recipients -------------------------------------------------------------------------------

/** An admin lists a follower as a test recipient. */
export const AddTestRecipientRequestSchema = z.strictObject({ lineUserId, label: trimmed(40, '名稱') });
export type AddTestRecipientRequest = z.input<typeof AddTestRecipientRequestSchema>;

export const ResetPasswordRequestSchema = z.strictObject({ password: z.string().min(10).max(200).optional() });
export type ResetPasswordRequest = z.input<typeof ResetPasswordRequestSchema>;

export const CreateApiKeyRequestSchema = z.strictObject({
  name: z.string().trim().min(1, '請輸入名稱').max(60),
  source: z.string().trim().max(40).optional(),
});
export type CreateApiKeyRequest = z.input<typeof CreateApiKeyRequestSchema>;

// ---- audit --------------------------------------------------------------------------------------------------

export const AuditQuerySchema = z.object({
  actorId: z.string().max(40).optional(),
  action: z.string().max(60).optional(),
  targetType: z.string().max(40).optional(),
  targetId: z.string().max(60).optional(),
  /** The `nextCursor` of the previous page, as received (opaque; the server checks it: 400 `invalid_cursor`). */
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type AuditQuery = z.input<typeof AuditQuerySchema>;

// ---- members ------------------------------------------------------------------------------------------------

const csvList = z.preprocess(
  (v) =>
    typeof v === 'string'
      ? v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : v,
  z.array(z.string().max(60)).max(50),
);

export const MemberSearchQuerySchema = z.object({
  q: z.string().trim().max(100).optional(),
  segmentId: objectId.optional(),
  rfm: z.string().max(30).optional(),
  tier: z.string().max(30).optional(),
  tags: csvList.optional(),
  consent: z.enum(['marketing', 'no-marketing', 'pending', 'declined']).optional(),
  status: z.enum(['active', 'blocked', 'imported']).optional(),
  persona: z.enum(['completed', 'incomplete']).optional(),
  sort: z.enum(['recent', 'lastInteraction', 'spend', 'points']).default('recent'),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(25),
});
export type MemberSearchQuery = z.input<typeof MemberSearchQuerySchema>;
/** The member search as the console's filters send it (values as typed in the URL; `tags` comma-separated). */
export type MemberSearchParams = Partial<
  Record<'q' | 'segmentId' | 'rfm' | 'tier' | 'tags' | 'consent' | 'status' | 'persona' | 'sort' | 'fields', string>
> & { page?: number; pageSize?: number };

export const MemberExportQuerySchema = MemberSearchQuerySchema.omit({ page: true, pageSize: true, sort: true }).extend({
  fields: csvList.optional(),
});

const tagText = z
  .string()
  .trim()
  .min(1, '標籤不可空白')
  .max(30, '標籤最多 30 個字')
  .refine((t) => !/[,;、，；|]/.test(t), '標籤不能包含逗號或分號');
export const AddTagsRequestSchema = z.strictObject({ tags: z.array(tagText).min(1, '請輸入標籤').max(20) });
export type AddTagsRequest = z.input<typeof AddTagsRequestSchema>;
export const AddNoteRequestSchema = z.strictObject({ body: trimmed(2000, '備註') });
export type AddNoteRequest = z.input<typeof AddNoteRequestSchema>;
/** Staff set, change or clear a member's birthday (members set it once themselves). */
export const BirthdayUpdateRequestSchema = z.strictObject({
  birthday: z.union([z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '生日請用 YYYY-MM-DD 格式，例如 1990-05-20'), z.null()]),
});
export type BirthdayUpdateRequest = z.input<typeof BirthdayUpdateRequestSchema>;
export interface BirthdayUpdateResponse {
  birthday: string | null;
}

export const AdjustPointsRequestSchema = z.strictObject({
  delta: z
    .number()
    .int('點數必須是整數')
    .refine((n) => n !== 0, '點數不可為 0')
    .refine((n) => Math.abs(n) <= 100_000, '單次調整最多 100,000 點'),
  reason: trimmed(200, '原因'),
  /** Client-generated idempotency key: a double click or a retry adjusts once. */
  key: z.string().trim().min(8).max(80),
});
export type AdjustPointsRequest = z.input<typeof AdjustPointsRequestSchema>;

// ---- member merge (合併會員) --------------------------------------------------------------------------------

export const MergeCandidatesQuerySchema = z.object({
  q: z.string().trim().min(1, '請輸入手機、姓名或會員編號').max(100, '搜尋文字最多 100 字'),
});
export const MergePreviewQuerySchema = z.object({ sourceId: objectId });
export const MergeRequestSchema = z.strictObject({
  sourceId: objectId,
  /** Conflicting fields for which the imported member's value wins. */
  fieldChoices: z
    .array(z.enum(MERGE_FIELD_CHOICES, { error: '不認得的欄位' }))
    .max(MERGE_FIELD_CHOICES.length)
    .default([]),
});
export type MergeRequest = z.input<typeof MergeRequestSchema>;

export const TimelineQuerySchema = z.object({
  /** The `nextCursor` of the previous page, as received (opaque; the server checks it: 400 `invalid_cursor`). */
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  types: csvList.optional(),
});
/** `cursor` as the previous page gave it, `types` comma-separated. */
export interface TimelineQuery {
  cursor?: string;
  limit?: number;
  types?: string;
}

// ---- imports ------------------------------------------------------------------------------------------------

export const ImportUploadQuerySchema = z.object({ fileName: z.string().trim().min(1).max(200).default('import.csv') });
export const ImportMappingRequestSchema = z.strictObject({
  mapping: z.record(z.string().max(200), z.string().max(40)),
  onError: z.enum(['skip', 'abort']).default('skip'),
});
export type ImportMappingRequest = z.input<typeof ImportMappingRequestSchema>;

// ---- counter ------------------------------------------------------------------------------------------------

export const CounterLookupQuerySchema = z.object({ code: trimmed(200, '代碼') });
export const RedeemRequestSchema = z.strictObject({
  code: trimmed(40, '優惠券代碼'),
  storeId: z.string().trim().max(40).optional(),
  /** The order total; required when the coupon has a minimum spend (#16.5). */
  orderAmount: z.number().int('金額必須是整數').min(1, '金額至少 1 元').max(10_000_000).optional(),
  /** Record the order as a purchase linked to the redemption. */
  recordPurchase: z.boolean().optional(),
  /** Re-sent after the staff confirmed an unusual order amount (409 needs_confirmation). */
  confirm: z.boolean().optional(),
  /** Client-generated idempotency key: a retry is the same redemption and the same order. */
  key: z.string().trim().min(8).max(80).optional(),
});
export type RedeemRequest = z.input<typeof RedeemRequestSchema>;
export const ReverseRedemptionRequestSchema = z.strictObject({ couponId: objectId });
export type ReverseRedemptionRequest = z.input<typeof ReverseRedemptionRequestSchema>;
export const CounterTodayQuerySchema = z.object({ storeId: z.string().trim().max(40).optional() });
export type CounterTodayQuery = z.input<typeof CounterTodayQuerySchema>;
export const CounterPurchaseRequestSchema = z.strictObject({
  memberId: objectId,
  amount: z.number().int('金額必須是整數').min(1, '金額至少 1 元').max(10_000_000),
  /** NT$ of shopping credit and points to pay part of it with (#16.2–3); the server checks the per-order caps. */
  credit: z.number().int('購物金必須是整數').min(0, '購物金不可為負').optional(),
  points: z.number().int('折抵點數必須是整數').min(0, '折抵點數不可為負').optional(),
  orderId: z.string().trim().min(1).max(60).optional(),
  storeId: z.string().trim().max(40).optional(),
  note: z.string().trim().max(200).optional(),
  /** Re-sent after the staff confirmed an unusual amount (409 needs_confirmation). */
  confirm: z.boolean().optional(),
  /** Client-generated idempotency key, used as the order id when none is typed. */
  key: z.string().trim().min(8).max(80),
});
export type CounterPurchaseRequest = z.input<typeof CounterPurchaseRequestSchema>;
/** POST /purchases/:id/refund (#16): all that is left (no amount) or part of it, with a reason; `key` = refund id. */
export const RefundPurchaseRequestSchema = z.strictObject({
  amount: z
    .number({ error: '請輸入退款金額' })
    .positive('退款金額必須大於 0')
    .max(10_000_000, '金額過大')
    .refine((n) => Math.round(n * 100) === n * 100, '金額最多兩位小數')
    .optional(),
  reason: z.string({ error: '請填寫退款原因' }).trim().min(2, '退款原因至少 2 個字').max(200, '退款原因最多 200 字'),
  refundAs: z.enum(['money', 'credit'], { error: '退款方式只能是原付款方式或購物金' }).default('money'),
  key: z
    .string()
    .trim()
    .min(8)
    .max(80)
    .regex(/^[\w-]+$/),
});
export type RefundPurchaseRequest = z.input<typeof RefundPurchaseRequestSchema>;
/** POST /counter/points: the member page's adjustment, for the member found at the counter. */
export type CounterPointsRequest = AdjustPointsRequest & { memberId: string };

// ---- dashboard ----------------------------------------------------------------------------------------------

export const DashboardQuerySchema = z.object({
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  months: z.coerce.number().int().min(1).max(36).default(12),
});
export type DashboardQuery = { from?: string; to?: string; months?: number };

// ---- segments -----------------------------------------------------------------------------------------------

/** POST/PUT /segments (PUT accepts any part of it). */
export interface SegmentRequest {
  name: string;
  description?: string;
  rule: SegmentGroup;
}
export interface RfmSettings {
  windowDays: number;
}

// ---- campaigns ----------------------------------------------------------------------------------------------

export const CampaignListQuerySchema = z.object({
  status: z.enum(CAMPAIGN_STATUSES).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type CampaignListQuery = { status?: CampaignStatus; page?: number; pageSize?: number };
export const TestSendRequestSchema = z.strictObject({
  lineUserId: lineUserIdSchema.optional(),
  /** Which A/B variant to send (A when omitted). */
  variant: z.enum(['A', 'B', 'C', 'D'], { error: '版本必須是 A、B、C 或 D' }).optional(),
});
/** GET /campaigns/:id/preview?variant=B */
export const CampaignPreviewQuerySchema = z.object({
  variant: z.enum(['A', 'B', 'C', 'D'], { error: '版本必須是 A、B、C 或 D' }).optional(),
});
export type TestSendRequest = z.input<typeof TestSendRequestSchema>;
export const ResumeCampaignRequestSchema = z.strictObject({ sendPartial: z.boolean().default(false) });
export type ResumeCampaignRequest = z.input<typeof ResumeCampaignRequestSchema>;

// ---- coupons ------------------------------------------------------------------------------------------------

/** POST /coupons/templates (PUT accepts any part of it); instants as ISO strings. */
export interface CouponTemplateRequest {
  title: string;
  terms?: string;
  kind: 'amount' | 'percent' | 'gift';
  value?: number;
  giftName?: string;
  validity: { mode: 'fixed'; from?: string; until: string } | { mode: 'relative'; days: number };
  totalQuota?: number | null;
  perMemberLimit?: number;
  minSpend?: number;
  tierCodes?: string[];
  segmentId?: string | null;
  storeIds?: string[];
  pointsCost?: number | null;
}

export const IssueCouponRequestSchema = z
  .strictObject({
    /** One member, or every member of a saved segment (reachable, consenting members). */
    memberId: objectId.optional(),
    segmentId: objectId.optional(),
    /** Client-generated idempotency key: a retried click issues nothing twice. */
    key: z.string().trim().min(8).max(80),
    notify: z.boolean().default(true),
  })
  .refine((b) => Boolean(b.memberId) !== Boolean(b.segmentId), {
    message: '請選擇一位會員或一個分群',
    path: ['memberId'],
  });
export type IssueCouponRequest = z.input<typeof IssueCouponRequestSchema>;
export const CouponTemplatesQuerySchema = z.object({ status: z.enum(['active', 'archived', 'all']).default('active') });

// ---- settings -----------------------------------------------------------------------------------------------

export const SavePersonaScriptRequestSchema = z.strictObject({
  script: z.unknown(),
  expectedRevision: z.number().int().min(0).optional(),
});
export interface SavePersonaScriptRequest {
  script: PersonaScript;
  expectedRevision?: number;
}
