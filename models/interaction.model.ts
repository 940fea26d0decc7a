import mongoose, { type InferSchemaType, Schema } from 'mongoose';

export const INTERACTION_TYPES = [
  'message_in',
  'postback',
  'follow',
  'unfollow',
  'persona_answer',
  'reply',
  'push',
  'click',
  'coupon_issued',
  'coupon_redeemed',
  'purchase',
  'refund',
  'survey_answer',
  'points',
  'tag',
  'note',
  'event',
] as const;
export type InteractionType = (typeof INTERACTION_TYPES)[number];

/** One line of a member's timeline: everything they did and everything we sent them. */
const interactionSchema = new Schema({
  memberId: { type: Schema.Types.ObjectId, ref: 'Member' },
  lineUserId: String,
  type: { type: String, enum: INTERACTION_TYPES, required: true },
  channel: { type: String, enum: ['line', 'liff', 'console', 'pos', 'system'], default: 'line' },
  summary: { type: String, default: '' },
  at: { type: Date, required: true },
  /** Related ids: webhookEventId, campaignId, couponId, orderId … */
  refs: { type: Schema.Types.Mixed, default: {} },
  /** Unique when set: makes recording idempotent (e.g. `evt:<webhookEventId>`). */
  key: String,
});
interactionSchema.index({ memberId: 1, at: -1 });
interactionSchema.index({ key: 1 }, { unique: true, sparse: true });
// The retention job's range (#11.4): interactions older than the cutoff, oldest first, in batches.
interactionSchema.index({ at: 1 });
// LINE unsend events and erasure find a user's interactions by LINE userId.
interactionSchema.index({ lineUserId: 1 });
// Campaign stats: a campaign's clicks/replies by type.
interactionSchema.index({ 'refs.campaignId': 1, type: 1 });

export type InteractionFields = InferSchemaType<typeof interactionSchema>;
export const Interaction = mongoose.model('Interaction', interactionSchema);
