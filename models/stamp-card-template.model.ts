import mongoose, { type InferSchemaType, Schema } from 'mongoose';

export const STAMP_EARN_RULES = ['per_purchase', 'per_amount', 'per_visit', 'per_category'] as const;
export type StampEarnRule = (typeof STAMP_EARN_RULES)[number];

/** A reward at a milestone or at completion: a coupon (through the coupon domain and its limits) or points. */
const stampRewardSchema = new Schema(
  {
    kind: { type: String, enum: ['coupon', 'points'], required: true },
    couponTemplateId: { type: Schema.Types.ObjectId, ref: 'CouponTemplate' },
    points: Number,
  },
  { _id: false },
);

/** A stamp card (集點卡) a marketer designs: how stamps are earned, what they give, how long a card lasts. */
const stampCardTemplateSchema = new Schema({
  name: { type: String, required: true },
  status: { type: String, enum: ['active', 'archived'], default: 'active' },
  stampsNeeded: { type: Number, required: true },
  earn: {
    rule: { type: String, enum: STAMP_EARN_RULES, required: true },
    /** per_amount: one stamp per this many NT$ of the order. */
    amountPerStamp: Number,
    /** per_visit: at most this many stamped visits per member per day. */
    dailyCap: Number,
    /** per_category: items of these categories give one stamp per unit. */
    categories: { type: [String], default: [] },
  },
  milestones: { type: [{ at: Number, reward: stampRewardSchema, _id: false }], default: [] },
  completionReward: stampRewardSchema,
  validity: {
    mode: { type: String, enum: ['days_from_first_stamp', 'fixed_end', 'none'], default: 'none' },
    days: Number,
    endsAt: Date,
  },
  /** The card a member gets after completing this one (null = a fresh card of this same template). */
  nextTemplateId: { type: Schema.Types.ObjectId, ref: 'StampCardTemplate', default: null },
  /** Manual stamps staff may add per member per day. */
  manualDailyLimit: { type: Number, default: 1 },
  createdAt: Date,
  updatedAt: Date,
  updatedBy: String,
});
stampCardTemplateSchema.index({ status: 1 });

export type StampCardTemplateFields = InferSchemaType<typeof stampCardTemplateSchema>;
export interface StampReward {
  kind: 'coupon' | 'points';
  couponTemplateId?: mongoose.Types.ObjectId | null;
  points?: number | null;
}
/** A template as read with lean(). */
export interface StampCardTemplateDoc {
  _id: mongoose.Types.ObjectId;
  name: string;
  status: 'active' | 'archived';
  stampsNeeded: number;
  earn: {
    rule: StampEarnRule;
    amountPerStamp?: number | null;
    dailyCap?: number | null;
    categories?: string[] | null;
  };
  milestones: Array<{ at: number; reward?: StampReward | null }>;
  completionReward?: StampReward | null;
  validity?: { mode?: string | null; days?: number | null; endsAt?: Date | null } | null;
  nextTemplateId?: mongoose.Types.ObjectId | null;
  manualDailyLimit?: number | null;
}
export const StampCardTemplate = mongoose.model('StampCardTemplate', stampCardTemplateSchema);
