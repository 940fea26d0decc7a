import { z } from 'zod';
import { CONSOLE_ROLES } from '../../models/console-user.model';
import { lineUserIdSchema, objectIdSchema } from '../../shared/ids';

/**
 * Request schemas of /api/console/* (validated by the server) and the response types the console front end reads.
 * The console imports this file type-only, so zod stays out of its bundle; the server returns field errors that
 * the forms show next to the inputs.
 */

export type { ConsoleUserView } from '../../domain/staff/user.service';
export type { Permission } from '../../domain/staff/roles';
export type { MemberListRow } from '../../domain/members/member-search.service';
export type { MemberNoteView } from '../../domain/members/member-note.service';
export type { FunnelReport, FunnelStage, FunnelCohort } from '../../domain/reports/funnel.service';
export type { ImportJobView, ImportPreviewRow } from '../../domain/imports/import-job.presenter';

/** A MongoDB ObjectId as it appears in paths and bodies. */
const objectId = objectIdSchema();

/** `?page=` of a paged list (the page size is the route's). */
export const PageQuerySchema = z.object({ page: z.coerce.number().int().min(1).max(10_000).default(1) });
const trimmed = (max: number, label = '此欄位') => z.string().trim().min(1, `${label}不可空白`).max(max, `${label}最多 ${max} 個字`);

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

export interface SessionResponse {
  user: import('../../domain/staff/user.service').ConsoleUserView;
  permissions: import('../../domain/staff/roles').Permission[];
  csrfToken: string;
  mode: 'local' | 'production';
  /** The program's time zone (IANA, e.g. Asia/Taipei): the console shows every date and time in it. */
  timeZone: string;
}

// ---- users --------------------------------------------------------------------------------------------------

const username = z.string().trim().toLowerCase().regex(/^[a-z0-9._-]{3,40}$/, '帳號須為 3–40 個英文小寫、數字或 . _ -');
const lineUserId = z.string().trim().pipe(lineUserIdSchema);

export const CreateUserRequestSchema = z.strictObject({
  username,
  displayName: trimmed(40, '名稱'),
  role: z.enum(CONSOLE_ROLES),
  /** Omit to have one generated and shown once. */
  password: z.string().min(10, '密碼至少需要 10 個字元').max(200).optional(),
  lineUserId: lineUserId.optional().or(z.literal('')),
  storeId: z.string().trim().max(40).optional(),
});

export const UpdateUserRequestSchema = z.strictObject({
  displayName: trimmed(40, '名稱').optional(),
  role: z.enum(CONSOLE_ROLES).optional(),
  status: z.enum(['active', 'disabled']).optional(),
  lineUserId: lineUserId.nullable().optional().or(z.literal('')),
  storeId: z.string().trim().max(40).nullable().optional(),
});

export const UpdateMeRequestSchema = z.strictObject({
  displayName: trimmed(40, '名稱').optional(),
  lineUserId: lineUserId.optional().or(z.literal('')),
});

export const ResetPasswordRequestSchema = z.strictObject({ password: z.string().min(10).max(200).optional() });

// ---- audit --------------------------------------------------------------------------------------------------

export const AuditQuerySchema = z.object({
  actorId: z.string().max(40).optional(),
  action: z.string().max(60).optional(),
  targetType: z.string().max(40).optional(),
  targetId: z.string().max(60).optional(),
  before: z.coerce.date().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export interface AuditEntryView {
  id: string;
  at: string;
  actorId: string;
  actorName?: string;
  actorRole?: string;
  action: string;
  target?: { type: string; id?: string; label?: string };
  details: Record<string, unknown>;
  ip?: string;
}

// ---- members ------------------------------------------------------------------------------------------------

const csvList = z.preprocess((v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v), z.array(z.string().max(60)).max(50));

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

export const MemberExportQuerySchema = MemberSearchQuerySchema.omit({ page: true, pageSize: true, sort: true }).extend({
  fields: csvList.optional(),
});

const tagText = z.string().trim().min(1, '標籤不可空白').max(30, '標籤最多 30 個字').refine((t) => !/[,;、，；|]/.test(t), '標籤不能包含逗號或分號');
export const AddTagsRequestSchema = z.strictObject({ tags: z.array(tagText).min(1, '請輸入標籤').max(20) });
export const AddNoteRequestSchema = z.strictObject({ body: trimmed(2000, '備註') });

export const AdjustPointsRequestSchema = z.strictObject({
  delta: z.number().int('點數必須是整數').refine((n) => n !== 0, '點數不可為 0').refine((n) => Math.abs(n) <= 100_000, '單次調整最多 100,000 點'),
  reason: trimmed(200, '原因'),
  /** Client-generated idempotency key: a double click or a retry adjusts once. */
  key: z.string().trim().min(8).max(80),
});

// ---- member merge (合併會員) --------------------------------------------------------------------------------

export const MERGE_FIELD_CHOICES = ['name', 'email', 'gender', 'birthday', 'city', 'preferences.priceSensitivity', 'preferences.promotionType', 'preferences.contactTime', 'notes'] as const;
export const MergeCandidatesQuerySchema = z.object({ q: z.string().trim().min(1, '請輸入手機、姓名或會員編號').max(100, '搜尋文字最多 100 字') });
export const MergePreviewQuerySchema = z.object({ sourceId: objectId });
export const MergeRequestSchema = z.strictObject({
  sourceId: objectId,
  /** Conflicting fields for which the imported member's value wins. */
  fieldChoices: z.array(z.enum(MERGE_FIELD_CHOICES, { error: '不認得的欄位' })).max(MERGE_FIELD_CHOICES.length).default([]),
});
export type MergeRequest = z.input<typeof MergeRequestSchema>;

export const TimelineQuerySchema = z.object({
  before: z.coerce.date().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  types: csvList.optional(),
});

// ---- imports ------------------------------------------------------------------------------------------------

export const ImportUploadQuerySchema = z.object({ fileName: z.string().trim().min(1).max(200).default('import.csv') });
export const ImportMappingRequestSchema = z.strictObject({
  mapping: z.record(z.string().max(200), z.string().max(40)),
  onError: z.enum(['skip', 'abort']).default('skip'),
});

// ---- counter ------------------------------------------------------------------------------------------------

export const CounterLookupQuerySchema = z.object({ code: trimmed(200, '代碼') });
export const RedeemRequestSchema = z.strictObject({ code: trimmed(40, '優惠券代碼'), storeId: z.string().trim().max(40).optional() });
export const CounterPurchaseRequestSchema = z.strictObject({
  memberId: objectId,
  amount: z.number().int('金額必須是整數').min(1, '金額至少 1 元').max(10_000_000),
  orderId: z.string().trim().min(1).max(60).optional(),
  storeId: z.string().trim().max(40).optional(),
  note: z.string().trim().max(200).optional(),
  /** Client-generated idempotency key, used as the order id when none is typed. */
  key: z.string().trim().min(8).max(80),
});

// ---- dashboard ----------------------------------------------------------------------------------------------

export const DashboardQuerySchema = z.object({
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  months: z.coerce.number().int().min(1).max(36).default(12),
});
