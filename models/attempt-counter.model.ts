import mongoose, { type InferSchemaType, Schema } from 'mongoose';

/**
 * Attempts counted per fixed time window and subject (`<scope>:<subject>:<window>`), e.g. sign-in failures per
 * client IP or referral-code guesses per member. Kept in MongoDB so a limit holds across server instances.
 */
const attemptCounterSchema = new Schema({
  key: { type: String, required: true },
  count: { type: Number, default: 0 },
  windowStart: { type: Date, required: true },
  expiresAt: { type: Date, required: true },
});
attemptCounterSchema.index({ key: 1 }, { unique: true });
attemptCounterSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type AttemptCounterFields = InferSchemaType<typeof attemptCounterSchema>;
export const AttemptCounter = mongoose.model('AttemptCounter', attemptCounterSchema);
