import mongoose, { type InferSchemaType, Schema } from 'mongoose';

export const DELIVERY_STATUSES = ['pending', 'sent', 'failed', 'skipped', 'cancelled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * One recipient of one campaign occurrence, frozen when the occurrence starts. The batch number is fixed at
 * freeze time, so a resumed send rebuilds exactly the same batches and sends them with the same retry keys
 * (LINE drops a batch it already accepted). Pending and sent deliveries count toward the frequency cap.
 */
const deliverySchema = new Schema({
  campaignId: { type: Schema.Types.ObjectId, ref: 'Campaign', required: true },
  occurrence: { type: String, required: true },
  memberId: { type: Schema.Types.ObjectId, ref: 'Member', required: true },
  lineUserId: { type: String, required: true },
  /** -1 for deliveries skipped at freeze time. */
  batch: { type: Number, required: true },
  status: { type: String, enum: DELIVERY_STATUSES, default: 'pending' },
  /** Why skipped/failed: frequency_cap, coupon_unavailable, line_error … */
  reason: String,
  /** Frozen time, then the send time: what the frequency cap window looks at. */
  countedAt: { type: Date, required: true },
  sentAt: Date,
  couponId: String,
  /** The A/B variant letter the freeze assigned (none outside A/B tests). */
  variant: String,
});
deliverySchema.index({ campaignId: 1, occurrence: 1, memberId: 1 }, { unique: true });
deliverySchema.index({ campaignId: 1, occurrence: 1, status: 1, batch: 1 });
deliverySchema.index({ memberId: 1, countedAt: -1 });
deliverySchema.index({ countedAt: -1, status: 1 });

export type DeliveryFields = InferSchemaType<typeof deliverySchema>;
export const Delivery = mongoose.model('Delivery', deliverySchema);
