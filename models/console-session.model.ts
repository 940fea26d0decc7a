import mongoose, { type InferSchemaType, Schema } from 'mongoose';

/**
 * A signed-in console session. The cookie carries a random token; only its hash is stored (see session.service),
 * so a database read does not hand out live sessions. The CSRF token (synchronizer pattern) lives beside it.
 */
const consoleSessionSchema = new Schema({
  tokenHash: { type: String, required: true },
  userId: { type: Schema.Types.ObjectId, ref: 'ConsoleUser', required: true },
  csrfToken: { type: String, required: true },
  createdAt: { type: Date, required: true },
  lastSeenAt: { type: Date, required: true },
  /** Sliding expiry; also an absolute cap from createdAt (see session.service). */
  expiresAt: { type: Date, required: true },
  ip: String,
  userAgent: String,
});
consoleSessionSchema.index({ tokenHash: 1 }, { unique: true });
consoleSessionSchema.index({ userId: 1 });
// Real MongoDB drops expired sessions by itself; the service also checks expiresAt, so the stand-in is safe too.
consoleSessionSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type ConsoleSessionFields = InferSchemaType<typeof consoleSessionSchema>;
export const ConsoleSession = mongoose.model('ConsoleSession', consoleSessionSchema);
