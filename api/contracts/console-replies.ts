import { z } from 'zod';

/**
 * /api/console/replies: the customer-facing texts a marketer edits (greeting, data notice and its buttons, Q&A,
 * fallback, keyword answers, birthday and tier texts). Request schemas are validated by the server; the console
 * imports this module type-only for the response shapes.
 */

export type ReplyKind = 'text' | 'buttons' | 'label' | 'flex';

export interface ReplyView {
  /** Stable registry key, e.g. `welcome.body`. */
  key: string;
  label: string;
  group: string;
  kind: ReplyKind;
  hint: string | null;
  /** Placeholder names the text may use (`name` → `{name}`). */
  vars: string[];
  defaultText: string;
  text: string;
  isDefault: boolean;
  /** Send it back as `version` with the next save or restore (0: never saved). */
  version: number;
  updatedAt: string | null;
  updatedBy: string | null;
  /** The LINE message the text becomes, with sample values (what the preview shows). */
  preview: Record<string, unknown>;
}

export interface ReplyVersionView {
  version: number;
  /** null: this version went back to the built-in default. */
  text: string | null;
  action: 'edit' | 'default' | 'restore';
  by: string | null;
  at: string;
}

export interface ReplyListResponse {
  replies: ReplyView[];
}
export interface ReplyResponse {
  reply: ReplyView;
}
export interface ReplyHistoryResponse {
  versions: ReplyVersionView[];
}

export interface ReplyPreviewResponse {
  /** null when the text cannot be rendered (empty, unknown variable). */
  preview: Record<string, unknown> | null;
  /** What a save would refuse, by field (empty: it may be saved). */
  fields: Array<{ path: string; message: string }>;
}

const version = z.number({ error: '缺少版本號碼' }).int().min(0);

export const SaveReplyRequestSchema = z.strictObject({
  text: z.string({ error: '請輸入訊息內容。' }).max(5000, '訊息最多 5,000 個字。'),
  version,
});
export type SaveReplyRequest = z.infer<typeof SaveReplyRequestSchema>;

/** Without `toVersion`: back to the built-in default. */
export const RestoreReplyRequestSchema = z.strictObject({
  version,
  toVersion: z.number().int().min(1).optional(),
});
export type RestoreReplyRequest = z.infer<typeof RestoreReplyRequestSchema>;

export const PreviewReplyRequestSchema = z.strictObject({
  text: z.string({ error: '請輸入訊息內容。' }).max(5000, '訊息最多 5,000 個字。'),
});
