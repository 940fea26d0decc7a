import mongoose, { type InferSchemaType, Schema } from 'mongoose';

export const POINT_REASONS = [
  'purchase',
  'persona_complete',
  'referral',
  'birthday',
  'manual',
  'redeem',
  'expire',
  'reversal',
  'survey',
  'welcome',
  'merge',
  'erasure',
  'journey',
  'stamp',
  'payment',
  'payment_return',
  'tier_gift',
] as const;
export type PointReason = (typeof POINT_REASONS)[number];

/** Append-only points ledger. The sum of a member's deltas always equals `Member.pointsBalance`. */
const pointsEntrySchema = new Schema({
  memberId: { type: Schema.Types.ObjectId, ref: 'Member', required: true },
  delta: { type: Number, required: true },
  reason: { type: String, enum: POINT_REASONS, required: true },
  /** Unique idempotency key, e.g. `purchase:<source>:<orderId>`, `persona-complete:<memberId>`. */
  key: { type: String, required: true },
  /** `system` or a console user id. */
  actor: { type: String, default: 'system' },
  note: String,
  balanceAfter: Number,
  /** Earned entries expire (FIFO); null = never. */
  expiresAt: Date,
  refs: { type: Schema.Types.Mixed, default: {} },
  at: { type: Date, required: true },
});
pointsEntrySchema.index({ key: 1 }, { unique: true });
pointsEntrySchema.index({ memberId: 1, at: -1 });
// Points expiry: only earning entries (delta > 0) expire, so the index holds only those.
pointsEntrySchema.index({ expiresAt: 1 }, { partialFilterExpression: { delta: { $gt: 0 } } });
// Daily jobs and reports: entries of one reason in a time window.
pointsEntrySchema.index({ reason: 1, at: 1 });

export type PointsEntryFields = InferSchemaType<typeof pointsEntrySchema>;
export const PointsEntry = mongoose.model('PointsEntry', pointsEntrySchema);
