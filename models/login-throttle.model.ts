import mongoose, { type InferSchemaType, Schema } from 'mongoose';

/**
 * Failed console logins counted per fixed time window, per account and per client IP. Kept in MongoDB so the
 * limit holds across server instances and restarts.
 */
const loginThrottleSchema = new Schema({
  /** `account:<username>:<window>` or `ip:<address>:<window>`. */
  key: { type: String, required: true },
  failures: { type: Number, default: 0 },
  windowStart: { type: Date, required: true },
  expiresAt: { type: Date, required: true },
});
loginThrottleSchema.index({ key: 1 }, { unique: true });
loginThrottleSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type LoginThrottleFields = InferSchemaType<typeof loginThrottleSchema>;
export const LoginThrottle = mongoose.model('LoginThrottle', loginThrottleSchema);
