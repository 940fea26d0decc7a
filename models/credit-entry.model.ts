import mongoose, { type InferSchemaType, Schema } from 'mongoose';

export const CREDIT_REASONS = [
  'birthday',
  'referral',
  'journey',
  'refund',
  'manual',
  'spend',
  'expire',
  'reversal',
  'tier_gift',
] as const;
export type CreditReason = (typeof CREDIT_REASONS)[number];

/**
 * Append-only shopping-credit ledger (NT$ integers). The sum of a member's deltas always equals
 * `Member.creditBalance`; positive entries are lots that expire at `expiresAt`, spends take soonest-expiring first.
 */
const creditEntrySchema = new Schema({
  memberId: { type: Schema.Types.ObjectId, ref: 'Member', required: true },
  delta: { type: Number, required: true },
  reason: { type: String, enum: CREDIT_REASONS, required: true },
  /** Unique idempotency key, e.g. `pay:<source>:<orderId>`, `birthday:<memberId>:<year>`. */
  key: { type: String, required: true },
  actor: { type: String, default: 'system' },
  note: String,
  balanceAfter: Number,
  expiresAt: Date,
  refs: { type: Schema.Types.Mixed, default: {} },
  at: { type: Date, required: true },
});
creditEntrySchema.index({ key: 1 }, { unique: true });
creditEntrySchema.index({ memberId: 1, at: -1 });
// The counter's day list: a store's manual grants and deductions of the day (#16.2).
creditEntrySchema.index({ reason: 1, at: 1 });
// Expiry job: only lots (delta > 0) expire.
creditEntrySchema.index({ expiresAt: 1 }, { partialFilterExpression: { delta: { $gt: 0 } } });

export type CreditEntryFields = InferSchemaType<typeof creditEntrySchema>;
export const CreditEntry = mongoose.model('CreditEntry', creditEntrySchema);
