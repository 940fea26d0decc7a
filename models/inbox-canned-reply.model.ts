import mongoose, { type InferSchemaType, Schema } from 'mongoose';

/** A canned reply agents pick in the inbox ("營業時間", "退貨流程" …). */
const cannedReplySchema = new Schema({
  title: { type: String, required: true },
  text: { type: String, required: true },
  updatedBy: String,
  updatedAt: { type: Date, required: true },
});
cannedReplySchema.index({ title: 1 });

export type CannedReplyFields = InferSchemaType<typeof cannedReplySchema>;
export const CannedReply = mongoose.model('InboxCannedReply', cannedReplySchema);
