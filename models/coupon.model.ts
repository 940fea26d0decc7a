import mongoose, { type InferSchemaType, Schema } from 'mongoose';
import { COUPON_KINDS } from './coupon-template.model';

export const COUPON_SOURCES = [
  'manual',
  'batch',
  'exchange',
  'referral',
  'birthday',
  'tier',
  'campaign',
  'welcome',
  // A keyword auto-reply rule (#13.2).
  'auto_reply',
  'journey',
  // A stamp card's milestone or completion reward (#16.1).
  'stamp',
] as const;
export type CouponSource = (typeof COUPON_SOURCES)[number];

/**
 * One coupon in one member's wallet with its one-time redemption code. The offer is copied from the template at
 * issue time so later template edits never change what a member already holds.
 */
const couponSchema = new Schema(
  {
    templateId: { type: Schema.Types.ObjectId, ref: 'CouponTemplate', required: true },
    memberId: { type: Schema.Types.ObjectId, ref: 'Member', required: true },
    /** Short code from an unambiguous alphabet (no 0/O/1/I), unique. */
    code: { type: String, required: true },
    /** Idempotency key of the issuance. */
    key: { type: String, required: true },
    /** 1..perMemberLimit; unique per (template, member) so the per-member limit holds under concurrency. */
    slot: { type: Number, required: true },
    source: { type: String, enum: COUPON_SOURCES, default: 'manual' },
    title: { type: String, required: true },
    terms: { type: String, default: '' },
    kind: { type: String, enum: COUPON_KINDS, required: true },
    value: { type: Number, default: 0 },
    giftName: String,
    minSpend: { type: Number, default: 0 },
    storeIds: { type: [String], default: [] },
    status: { type: String, enum: ['active', 'used', 'void'], default: 'active' },
    issuedAt: { type: Date, required: true },
    issuedBy: { type: String, default: 'system' },
    validFrom: { type: Date, required: true },
    validUntil: { type: Date, required: true },
    usedAt: Date,
    usedStoreId: String,
    redeemedBy: String,
    /** The counter's idempotency key of the redemption: a retry with it is the same redemption (#16.5). */
    redeemKey: String,
    /** The order amount typed at the counter, and the purchase recorded with the redemption (#16.5). */
    redeemOrderAmount: Number,
    redeemedPurchaseId: { type: Schema.Types.ObjectId, ref: 'Purchase' },
    /** Admin reversals of a redemption, newest last. */
    reversals: {
      type: [{ at: Date, by: String, usedAt: Date, usedStoreId: String, _id: false }],
      default: [],
    },
  },
  { timestamps: true },
);
couponSchema.index({ code: 1 }, { unique: true });
couponSchema.index({ key: 1 }, { unique: true });
couponSchema.index({ templateId: 1, memberId: 1, slot: 1 }, { unique: true });
couponSchema.index({ memberId: 1, issuedAt: -1 });
// Dashboard and coupon rules: active coupons by expiry.
couponSchema.index({ status: 1, validUntil: 1 });
// Today's counter list: redemptions at one store on one day (#16.5).
couponSchema.index({ usedStoreId: 1, usedAt: -1 });

export type CouponFields = InferSchemaType<typeof couponSchema>;
/** A coupon as read with `.lean()`. */
export type CouponDoc = Omit<CouponFields, 'reversals'> & {
  _id: mongoose.Types.ObjectId;
  reversals?: Array<{ at?: Date | null; by?: string | null; usedAt?: Date | null; usedStoreId?: string | null }>;
};
export const Coupon = mongoose.model('Coupon', couponSchema);
