import mongoose, { type InferSchemaType, Schema } from 'mongoose';

/** Who did what, to what, when: one entry per console write (and per sign-in attempt). Append-only. */
const auditLogSchema = new Schema({
  at: { type: Date, required: true },
  /** Console user id, or `anonymous` for failed sign-ins. */
  actorId: { type: String, required: true },
  actorName: String,
  actorRole: String,
  /** Dotted verb, e.g. `member.tag.add`, `campaign.schedule`, `auth.login.failed`. */
  action: { type: String, required: true },
  targetType: String,
  targetId: String,
  /** Human label of the target at the time (member code, campaign name…). */
  targetLabel: String,
  /** What changed; never passwords, tokens or phone numbers in clear. */
  details: { type: Schema.Types.Mixed, default: {} },
  ip: String,
  requestId: String,
});
auditLogSchema.index({ at: -1 });
auditLogSchema.index({ actorId: 1, at: -1 });
auditLogSchema.index({ targetType: 1, targetId: 1, at: -1 });

export type AuditLogFields = InferSchemaType<typeof auditLogSchema>;
export const AuditLog = mongoose.model('AuditLog', auditLogSchema);
