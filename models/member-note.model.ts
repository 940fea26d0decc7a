import mongoose, { type InferSchemaType, Schema } from 'mongoose';

/** A staff note on a member (qualitative things learned in service: what they care about, how a case went). */
const memberNoteSchema = new Schema({
  memberId: { type: Schema.Types.ObjectId, ref: 'Member', required: true },
  body: { type: String, required: true },
  authorId: { type: String, required: true },
  authorName: String,
  at: { type: Date, required: true },
  deletedAt: Date,
});
memberNoteSchema.index({ memberId: 1, at: -1 });

export type MemberNoteFields = InferSchemaType<typeof memberNoteSchema>;
export const MemberNote = mongoose.model('MemberNote', memberNoteSchema);
