import mongoose, { type InferSchemaType, Schema } from 'mongoose';

/**
 * Failed console sign-ins of one account from one client IP, with the lock they earned (exponential backoff).
 * Keyed per (account, IP) so that guessing from one address never locks the account for anybody else. Kept in
 * MongoDB, changed only by conditional updates on `failures`, so the count holds across server instances.
 */
const loginThrottleSchema = new Schema({
  /** `pair:<username>|<ip>`. */
  key: { type: String, required: true },
  /** Normalized username (also for names that do not exist: the response must not tell them apart). */
  account: { type: String, required: true },
  ip: { type: String, required: true },
  failures: { type: Number, default: 0 },
  lockedUntil: Date,
  lastAttemptAt: Date,
  expiresAt: { type: Date, required: true },
});
loginThrottleSchema.index({ key: 1 }, { unique: true });
loginThrottleSchema.index({ account: 1, lockedUntil: -1 });
loginThrottleSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type LoginThrottleFields = InferSchemaType<typeof loginThrottleSchema>;
export const LoginThrottle = mongoose.model('LoginThrottle', loginThrottleSchema);
