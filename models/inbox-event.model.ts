import mongoose, { type InferSchemaType, Schema } from 'mongoose';

/**
 * The inbox's change feed, shared by every server instance: each change to a conversation appends one event with
 * an increasing `seq`; each instance tails it by polling (`seq > last seen`) and forwards it to its SSE clients.
 * Kept a day (TTL): a console that was away longer reloads the list instead of resuming.
 */
const inboxEventSchema = new Schema({
  seq: { type: Number, required: true },
  type: { type: String, required: true },
  conversationId: { type: Schema.Types.ObjectId, ref: 'Conversation', required: true },
  at: { type: Date, required: true },
});
inboxEventSchema.index({ seq: 1 }, { unique: true });
inboxEventSchema.index({ at: 1 }, { expireAfterSeconds: 24 * 3600 });

/** The one counter that hands out `seq` (`_id: 'inbox'`, `$inc`: atomic across instances). */
const inboxSequenceSchema = new Schema({ _id: { type: String, required: true }, seq: { type: Number, default: 0 } });

export type InboxEventFields = InferSchemaType<typeof inboxEventSchema>;
export const InboxEvent = mongoose.model('InboxEvent', inboxEventSchema);
export const InboxSequence = mongoose.model('InboxSequence', inboxSequenceSchema);
