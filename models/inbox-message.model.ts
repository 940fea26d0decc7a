import mongoose, { type InferSchemaType, Schema } from 'mongoose';

/** One message of an inbox conversation: in from the customer (text, image …) or out from an agent. */
const inboxMessageSchema = new Schema({
  conversationId: { type: Schema.Types.ObjectId, ref: 'Conversation', required: true },
  memberId: { type: Schema.Types.ObjectId, ref: 'Member', required: true },
  direction: { type: String, enum: ['in', 'out'], required: true },
  /** text, image, video, audio, file, sticker, location … as LINE names it. */
  kind: { type: String, required: true },
  text: { type: String, default: '' },
  /** LINE's message id of a customer message (its content can be fetched while LINE keeps it). */
  lineMessageId: String,
  agentId: String,
  agentName: String,
  /** An agent's reply: whether LINE accepted the push. */
  delivery: { type: String, enum: ['sent', 'failed'] },
  at: { type: Date, required: true },
  /** A notice the bot sent by itself (closed hours): the key of the customer message it answered. */
  answers: String,
  /** Idempotency: `in:<webhookEventId>`, `out:<conversationId>:<client key>`, `closed-hours:<conversationId>:<next opening>`. */
  key: { type: String, required: true },
});
inboxMessageSchema.index({ conversationId: 1, at: 1 });
inboxMessageSchema.index({ key: 1 }, { unique: true });

export type InboxMessageFields = InferSchemaType<typeof inboxMessageSchema>;
export const InboxMessage = mongoose.model('InboxMessage', inboxMessageSchema);
