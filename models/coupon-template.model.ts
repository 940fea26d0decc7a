import mongoose, { type InferSchemaType, Schema } from 'mongoose';

export const COUPON_KINDS = ['amount', 'percent', 'gift'] as const;
export type CouponKind = (typeof COUPON_KINDS)[number];

/** What a marketer designs: the offer, its validity and who may get it. Issued coupons copy the offer. */
const couponTemplateSchema = new Schema(
  {
    title: { type: String, required: true },
    terms: { type: String, default: '' },
    kind: { type: String, enum: COUPON_KINDS, required: true },
    /** amount: NT$ off; percent: percent off (15 = 85 折); gift: unused (see giftName). */
    value: { type: Number, default: 0 },
    giftName: String,
    validity: {
      mode: { type: String, enum: ['fixed', 'relative'], required: true },
      from: Date,
      until: Date,
      days: Number,
    },
    /** null = unlimited. `quotaRemaining` is decremented atomically on issue. */
    totalQuota: { type: Number, default: null },
    quotaRemaining: { type: Number, default: null },
    issuedCount: { type: Number, default: 0 },
    perMemberLimit: { type: Number, default: 1 },
    minSpend: { type: Number, default: 0 },
    /** Empty = every tier. */
    tierCodes: { type: [String], default: [] },
    segmentId: { type: Schema.Types.ObjectId, ref: 'Segment' },
    /** Empty = every store. */
    storeIds: { type: [String], default: [] },
    /** Points a member spends to get one; null = not exchangeable. */
    pointsCost: { type: Number, default: null },
    status: { type: String, enum: ['active', 'archived'], default: 'active' },
    createdBy: String,
    updatedBy: String,
  },
  { timestamps: true },
);
couponTemplateSchema.index({ status: 1, pointsCost: 1 });

export type CouponTemplateFields = InferSchemaType<typeof couponTemplateSchema>;
export type CouponTemplateDoc = CouponTemplateFields & { _id: mongoose.Types.ObjectId };
export const CouponTemplate = mongoose.model('CouponTemplate', couponTemplateSchema);
