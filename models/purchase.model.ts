import mongoose, { type InferSchemaType, Schema } from 'mongoose';

const itemSchema = new Schema(
  {
    sku: String,
    name: { type: String, required: true },
    category: String,
    quantity: { type: Number, default: 1 },
    amount: { type: Number, required: true },
  },
  { _id: false },
);

const refundSchema = new Schema(
  {
    refundId: { type: String, required: true },
    amount: { type: Number, required: true },
    pointsReversed: { type: Number, default: 0 },
    /** The refunded part of the order's gross amount (what the caller asked); `amount` is its share of the spend. */
    grossAmount: Number,
    /** Credit (NT$) and paid points given back with this refund, in proportion (#16.2–3). */
    creditReturned: { type: Number, default: 0 },
    pointsReturned: { type: Number, default: 0 },
    /** The money part given back as 購物金 instead of money (`refundAs: 'credit'`, #16.2): NT$, one lot per refund. */
    refundAs: { type: String, enum: ['money', 'credit'], default: 'money' },
    creditGranted: { type: Number, default: 0 },
    reason: String,
    at: Date,
    by: String,
  },
  { _id: false },
);

/**
 * How an order was paid beyond money (#16.2–3): credit (NT$) and points with their NT$ value, taken in one keyed
 * update of the member after the purchase is inserted (`status` pending → taken), so nothing is taken without it.
 */
const paymentSchema = new Schema(
  {
    credit: { type: Number, default: 0 },
    points: { type: Number, default: 0 },
    pointsValue: { type: Number, default: 0 },
    status: { type: String, enum: ['pending', 'taken'], default: 'pending' },
    /** The idempotency key of the take in both ledgers: `pay:<source>:<orderId>:<purchaseId>`. */
    key: String,
  },
  { _id: false },
);

/**
 * One order from a POS, an online shop or a staff member, idempotent by (source, orderId). Effects (points,
 * stats, tier, referral, survey) are each idempotent, so a replay of an interrupted ingestion completes it.
 */
const purchaseSchema = new Schema(
  {
    source: { type: String, required: true },
    orderId: { type: String, required: true },
    memberId: { type: Schema.Types.ObjectId, ref: 'Member', required: true },
    /** How the caller identified the member. */
    matchedBy: { type: String, enum: ['lineUserId', 'memberCode', 'phone', 'memberId'] },
    /**
     * The spend the order counts as (points earned, tier, stats, stamps, revenue): the net paid in money by default,
     * the gross when the settings' `pointsPayment.spendBasis` says so. Refunds are subtracted from it in proportion.
     */
    amount: { type: Number, required: true },
    /** The order's total before credit and points (absent on orders recorded before #16.2: then equal to amount). */
    grossAmount: Number,
    /** What was left to pay in money: gross − credit − points' value. */
    netPaid: Number,
    payment: { type: paymentSchema, default: undefined },
    /** The refunded part of the gross amount (refunds are asked in gross terms). */
    refundedGross: Number,
    currency: { type: String, default: 'TWD' },
    items: { type: [itemSchema], default: [] },
    storeId: String,
    channel: { type: String, enum: ['store', 'online', 'other'], default: 'store' },
    /** When the purchase happened (not when we received it). */
    at: { type: Date, required: true },
    receivedAt: { type: Date, required: true },
    recordedBy: { type: String, default: 'system' },
    status: { type: String, enum: ['completed', 'partially_refunded', 'refunded'], default: 'completed' },
    refundedAmount: { type: Number, default: 0 },
    refunds: { type: [refundSchema], default: [] },
    pointsEarned: { type: Number, default: 0 },
    /** A counter mistake undone (#16.5): every effect reversed through the ledgers; kept for the audit trail. */
    voidedAt: Date,
    voidedBy: String,
    voidReason: String,
    /** The coupon redeemed with this purchase at the counter (#16.5); a void makes it usable again. */
    couponId: { type: Schema.Types.ObjectId, ref: 'Coupon' },
    /** Set when the amount was unusual for the member or store (ingest records it, the counter asks first). */
    flags: { type: [String], default: undefined },
    multiplier: { type: Number, default: 1 },
    tierAtPurchase: String,
    /** The response of the first ingestion, returned as is to replays. */
    result: { type: Schema.Types.Mixed },
    effectsDoneAt: Date,
    survey: {
      status: { type: String, enum: ['none', 'pending', 'sent', 'skipped'], default: 'none' },
      dueAt: Date,
    },
  },
  { timestamps: true, minimize: false },
);
purchaseSchema.index({ source: 1, orderId: 1 }, { unique: true });
purchaseSchema.index({ memberId: 1, at: -1 });
purchaseSchema.index({ at: 1 });
// The store's typical order and today's counter list (#16.5).
purchaseSchema.index({ storeId: 1, at: -1 });
purchaseSchema.index({ 'survey.status': 1, 'survey.dueAt': 1 });
// A SKU's name and category from its latest purchase: the product affinity rebuild, one read per SKU (#17.2).
purchaseSchema.index({ 'items.sku': 1, at: -1 });

export type PurchaseFields = InferSchemaType<typeof purchaseSchema>;
export type PurchaseDoc = PurchaseFields & { _id: mongoose.Types.ObjectId };
export const Purchase = mongoose.model('Purchase', purchaseSchema);
