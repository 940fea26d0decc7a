import mongoose, { type InferSchemaType, Schema } from 'mongoose';

/**
 * A marketer's version of one customer-facing text (the registry key, e.g. `welcome.body`). No document, or
 * `text: null`, means the built-in default. Every save appends to `history` (capped), so an earlier wording can be
 * restored; `version` counts saves and guards against two marketers editing the same text at once.
 */
const versionSchema = new Schema(
  {
    version: { type: Number, required: true },
    /** The template as saved; null when this version restored the default. */
    text: { type: String, default: null },
    action: { type: String, enum: ['edit', 'default', 'restore'], required: true },
    byId: String,
    byName: String,
    at: { type: Date, required: true },
  },
  { _id: false },
);

const replyTemplateSchema = new Schema(
  {
    key: { type: String, required: true },
    text: { type: String, default: null },
    version: { type: Number, required: true },
    updatedById: String,
    updatedByName: String,
    updatedAt: { type: Date, required: true },
    history: { type: [versionSchema], default: [] },
  },
  { minimize: false },
);
replyTemplateSchema.index({ key: 1 }, { unique: true });

/** Versions kept per key (the oldest drop off). */
export const REPLY_HISTORY_LIMIT = 50;

export type ReplyTemplateFields = InferSchemaType<typeof replyTemplateSchema>;
export const ReplyTemplate = mongoose.model('ReplyTemplate', replyTemplateSchema);
