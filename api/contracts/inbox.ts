import { z } from 'zod';
import { objectIdSchema } from '../../shared/ids';
import type { IsoInstant, MemberDetail, TimelineItem } from './console-views';

/**
 * The 1:1 inbox's wire contract (/api/console/inbox, #13.5): request schemas validated by the server, response
 * types read by the console. The console imports it type-only.
 */

const objectId = objectIdSchema();
const replyText = z.string().trim().min(1, '請輸入要回覆的內容').max(5000, '回覆最多 5,000 個字（LINE 的上限）');

export const InboxListQuerySchema = z.object({
  status: z.enum(['open', 'closed', 'all']).default('open'),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type InboxListQuery = z.input<typeof InboxListQuerySchema>;

export const InboxReplyRequestSchema = z.strictObject({
  text: replyText,
  /** The console's id of this send (a UUID per typed reply): a retried request is sent once. */
  clientKey: z.string().regex(/^[\w-]{8,64}$/, '送出識別碼格式不正確'),
});
export type InboxReplyRequest = z.infer<typeof InboxReplyRequestSchema>;

export const InboxAssignRequestSchema = z.strictObject({ assigneeId: objectId.nullable() });
export type InboxAssignRequest = z.infer<typeof InboxAssignRequestSchema>;

/** POST /:id/close. `notify: false` is 「結束但不通知客人」: the conversation ends without the goodbye push. */
export const InboxCloseRequestSchema = z.strictObject({
  notify: z.boolean({ error: '請選擇是否通知客人' }).default(true),
});
export type InboxCloseRequest = z.input<typeof InboxCloseRequestSchema>;

export const CannedReplyRequestSchema = z.strictObject({
  title: z.string().trim().min(1, '請輸入標題').max(40, '標題最多 40 個字'),
  text: replyText,
});
export type CannedReplyRequest = z.infer<typeof CannedReplyRequestSchema>;

export type ConversationStatus = 'open' | 'closed';
export type HandoffReason = 'asked' | 'image' | 'unanswered';

export interface ConversationRow {
  id: string;
  memberId: string;
  displayName: string;
  status: ConversationStatus;
  reason: HandoffReason;
  assigneeId: string | null;
  assigneeName: string | null;
  openedAt: IsoInstant;
  closedAt: IsoInstant | null;
  lastMessageAt: IsoInstant;
  lastMessageFrom: 'customer' | 'agent';
  lastPreview: string;
  unread: number;
  waiting: boolean;
  /** After an agent closed it: whether the goodbye reached the customer (null while open). */
  closeNotice: 'none' | 'pending' | 'sent' | 'failed' | null;
}

export interface InboxCounts {
  open: number;
  waiting: number;
  /** Open conversations with messages no agent has opened yet. */
  unread: number;
}

export interface InboxList {
  items: ConversationRow[];
  counts: InboxCounts;
  /** The feed position the list reflects: give it to the stream as `Last-Event-ID` to miss nothing. */
  seq: number;
}

export interface InboxMessageView {
  id: string;
  direction: 'in' | 'out';
  kind: string;
  text: string;
  agentName: string | null;
  delivery: 'sent' | 'failed' | null;
  at: IsoInstant;
}

export interface RecentPurchase {
  id: string;
  orderId: string;
  amount: number;
  at: IsoInstant;
  items: string[];
}

export interface ConversationView {
  conversation: ConversationRow;
  messages: InboxMessageView[];
  member: MemberDetail;
  purchases: RecentPurchase[];
  timeline: TimelineItem[];
}

export interface InboxQuota {
  limit: number | null;
  used: number;
  remaining: number | null;
}

export interface InboxAgent {
  id: string;
  displayName: string;
  role: string;
}

export interface CannedReplyView {
  id: string;
  title: string;
  text: string;
  updatedAt: IsoInstant;
}

/** One SSE `inbox` event (`id:` is its seq): what changed and the conversation as it is now. */
export interface InboxStreamEvent {
  seq: number;
  type: 'opened' | 'message' | 'reply' | 'read' | 'assigned' | 'closed';
  conversation: ConversationRow | null;
  counts: InboxCounts;
}
