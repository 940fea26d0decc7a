import mongoose, { type InferSchemaType, Schema } from 'mongoose';

/**
 * What customers typed that hit the fallback, counted per normalised phrase and Taipei day, so the console's
 * 「未回覆的問題」 (last 30 days) reads at most 30 days of buckets through the `day` index and never scans the timeline.
 */
const unansweredPhraseSchema = new Schema({
  /** The phrase as the matcher reads it (normalised): 「營業時間?」 and 「營業時間」 count together. */
  phrase: { type: String, required: true },
  /** YYYY-MM-DD in the program's time zone. */
  day: { type: String, required: true },
  /** The latest text as typed, shown in the console. */
  sample: { type: String, required: true },
  count: { type: Number, default: 0 },
  lastAt: { type: Date, required: true },
});
unansweredPhraseSchema.index({ phrase: 1, day: 1 }, { unique: true });
unansweredPhraseSchema.index({ day: 1 });

export type UnansweredPhraseFields = InferSchemaType<typeof unansweredPhraseSchema>;
export const UnansweredPhrase = mongoose.model('UnansweredPhrase', unansweredPhraseSchema);
