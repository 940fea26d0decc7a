import mongoose, { type InferSchemaType, Schema } from 'mongoose';

/**
 * One FAQ entry the chat answers: the question, the other ways customers ask it, and the answer (plain text with
 * `{name}`-style variables filled from the program settings when sent). Read whole into each process's matcher
 * cache (domain/conversation/conversation-cache.service.ts), never per message.
 */
const faqEntrySchema = new Schema(
  {
    question: { type: String, required: true },
    alternatives: { type: [String], default: [] },
    answer: { type: String, required: true },
    active: { type: Boolean, default: true },
    /** Seeded entries carry a stable key so the demo seed can run twice. */
    seedKey: String,
    createdBy: String,
    updatedBy: String,
  },
  { timestamps: true },
);
// The console list and the cache load: all entries, newest first (a few hundred at most; a full read by design).
faqEntrySchema.index({ updatedAt: -1 });
faqEntrySchema.index({ seedKey: 1 }, { unique: true, sparse: true });

export type FaqEntryFields = InferSchemaType<typeof faqEntrySchema>;
export const FaqEntry = mongoose.model('FaqEntry', faqEntrySchema);
