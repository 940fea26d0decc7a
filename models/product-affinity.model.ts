import mongoose, { type InferSchemaType, Schema } from 'mongoose';

/** One item bought together with the document's item: members who bought both, P(B|A) and P(B|A)/P(B). */
const relatedSchema = new Schema(
  {
    key: { type: String, required: true },
    name: String,
    coBuyers: { type: Number, required: true },
    confidence: { type: Number, required: true },
    lift: { type: Number, required: true },
  },
  { _id: false },
);

const topSkuSchema = new Schema(
  { key: { type: String, required: true }, name: String, buyers: { type: Number, required: true } },
  { _id: false },
);

/**
 * The materialised product affinity (#17.2), rebuilt as a whole by `npm run affinity:rebuild` and the nightly
 * `affinity` job (domain/purchases/affinity.service.ts) from the members' purchase aggregates (`buys`): one document
 * per category (`category:<name>`) and per SKU (`sku:<sku>`), and one `meta` document with the build's figures
 * and the rule's thresholds. Reads are by `_id` (the console's pick, a member's SKUs at send time) or the list.
 */
const productAffinitySchema = new Schema(
  {
    _id: { type: String, required: true },
    kind: { type: String, enum: ['category', 'sku', 'meta'], required: true },
    key: String,
    /** The product's name (SKUs: as the latest purchase with it names it); categories: the category itself. */
    name: String,
    /** A SKU's category (as the latest purchase with it says). */
    category: String,
    /** Members whose purchases that still count include this item. */
    buyers: { type: Number, default: 0 },
    /** Same-kind items with at least `minSupport` co-buyers, highest lift first (at most 50). */
    related: { type: [relatedSchema], default: undefined },
    /** Categories: their best-selling SKUs (most buyers first, at most 20), the suggestion's fallback. */
    topSkus: { type: [topSkuSchema], default: undefined },
    /** meta: members with at least one purchase (the denominator of P(B)), the thresholds, the build. */
    members: Number,
    minSupport: Number,
    minLift: Number,
    ms: Number,
    builtAt: Date,
    build: String,
  },
  { versionKey: false, minimize: false },
);
productAffinitySchema.index({ kind: 1, buyers: -1 });
productAffinitySchema.index({ build: 1 });

export type ProductAffinityFields = InferSchemaType<typeof productAffinitySchema>;
export const ProductAffinity = mongoose.model('ProductAffinity', productAffinitySchema);
