import mongoose, { type InferSchemaType, Schema } from 'mongoose';

export const CONVERSATION_STATUSES = ['open', 'closed'] as const;
export const HANDOFF_REASONS = ['asked', 'image', 'unanswered'] as const;
export type HandoffReason = (typeof HANDOFF_REASONS)[number];
export const CLOSE_NOTICE_STATES = ['none', 'pending', 'sent', 'failed'] as const;
export type CloseNoticeState = (typeof CLOSE_NOTICE_STATES)[number];

/**
 * One 1:1 inbox conversation with a member (#13.5). While one is open the bot's automatic replies to that member
 * are paused; closing it (or `resumeAt` passing) resumes them. At most one open conversation per member.
 */
const conversationSchema = new Schema({
  memberId: { type: Schema.Types.ObjectId, ref: 'Member', required: true },
  lineUserId: { type: String, required: true },
  /** The member's name as it was when the conversation opened, for the list (the panel reads the member). */
  displayName: { type: String, default: '' },
  status: { type: String, enum: CONVERSATION_STATUSES, required: true },
  reason: { type: String, enum: HANDOFF_REASONS, required: true },
  assigneeId: { type: String, default: null },
  assigneeName: { type: String, default: null },
  openedAt: { type: Date, required: true },
  closedAt: Date,
  closedBy: String,
  /** `agent` or `auto` (the configured time passed without a message). */
  closedHow: String,
  /**
   * The goodbye pushed when an agent closes: `none` (closed without telling the customer, or by time), `pending`
   * (to be sent, or being sent), `sent`, `failed` (closing again retries it with the same retry key).
   */
  closeNotice: { type: String, enum: CLOSE_NOTICE_STATES },
  lastMessageAt: { type: Date, required: true },
  lastMessageFrom: { type: String, enum: ['customer', 'agent'], required: true },
  lastPreview: { type: String, default: '' },
  /** Customer messages agents have not opened yet. */
  unread: { type: Number, default: 0 },
  /** The last message is the customer's: someone here owes an answer. */
  waiting: { type: Boolean, default: true },
  /** LINE's read token of the newest customer message (marks it and every earlier one read). */
  markAsReadToken: String,
  /** When the bot takes over again if nobody closes the conversation (last message + the configured hours). */
  resumeAt: { type: Date, required: true },
});
// The inbox list: conversations by last message (all, or one status).
conversationSchema.index({ lastMessageAt: -1 });
conversationSchema.index({ status: 1, lastMessageAt: -1 });
// The member's open conversation (the bot asks on every message); unique so two instances cannot open two.
conversationSchema.index({ memberId: 1 }, { unique: true, partialFilterExpression: { status: 'open' } });
conversationSchema.index({ memberId: 1, openedAt: -1 });
// By LINE user (erasure, support look-ups).
conversationSchema.index({ lineUserId: 1 });
// The nav badge: open conversations waiting for us / with unread messages.
conversationSchema.index({ status: 1, waiting: 1 });
conversationSchema.index({ status: 1, unread: 1 });

export type ConversationFields = InferSchemaType<typeof conversationSchema>;
export const Conversation = mongoose.model('Conversation', conversationSchema);
