import mongoose, { type InferSchemaType, Schema } from 'mongoose';

/**
 * One member's card of one template. The card is its own ledger: `entries` holds every stamp with its
 * idempotency key (a card holds at most `stampsNeeded` entries, each worth at least one stamp), and `stamps`
 * always equals the sum of the entries' counts. `rewards` records each milestone/completion reward given.
 */
const stampCardSchema = new Schema({
  memberId: { type: Schema.Types.ObjectId, ref: 'Member', required: true },
  templateId: { type: Schema.Types.ObjectId, ref: 'StampCardTemplate', required: true },
  /** The member's n-th card of this template (unique per member and template). */
  seq: { type: Number, required: true },
  name: String,
  stampsNeeded: { type: Number, required: true },
  stamps: { type: Number, default: 0 },
  status: { type: String, enum: ['active', 'completed', 'expired'], default: 'active' },
  entries: {
    type: [
      {
        key: String,
        count: Number,
        reason: { type: String, enum: ['purchase', 'manual'] },
        /** The member's zoned day of the stamp (daily caps). */
        day: String,
        purchaseId: String,
        actor: String,
        note: String,
        at: Date,
        _id: false,
      },
    ],
    default: [],
  },
  rewards: {
    type: [
      {
        at: Number,
        kind: String,
        key: String,
        couponId: String,
        points: Number,
        /** Set when the stamps that earned it were reversed: the reward was taken back (or kept, if used). */
        reversal: String,
        _id: false,
      },
    ],
    default: [],
  },
  firstStampAt: Date,
  expiresAt: Date,
  completedAt: Date,
  expiredAt: Date,
  createdAt: Date,
});
stampCardSchema.index({ memberId: 1, templateId: 1, seq: 1 }, { unique: true });
stampCardSchema.index({ memberId: 1, status: 1 });
stampCardSchema.index({ 'entries.purchaseId': 1 }, { sparse: true });
// The expiry job reads only what is due: active cards whose end has passed.
stampCardSchema.index({ expiresAt: 1 }, { partialFilterExpression: { status: 'active' } });

export type StampCardFields = InferSchemaType<typeof stampCardSchema>;
export interface StampEntry {
  key: string;
  count: number;
  reason: 'purchase' | 'manual';
  day: string;
  purchaseId?: string | null;
  actor?: string | null;
  note?: string | null;
  at: Date;
}
export interface StampRewardRecord {
  at: number;
  kind: 'coupon' | 'points';
  key: string;
  couponId?: string | null;
  points?: number | null;
  reversal?: 'taken_back' | 'kept_used' | null;
}
/** A card as read with lean(). */
export interface StampCardDoc {
  _id: mongoose.Types.ObjectId;
  memberId: mongoose.Types.ObjectId;
  templateId: mongoose.Types.ObjectId;
  seq: number;
  name?: string | null;
  stampsNeeded: number;
  stamps: number;
  status: 'active' | 'completed' | 'expired';
  entries: StampEntry[];
  rewards: StampRewardRecord[];
  firstStampAt?: Date | null;
  expiresAt?: Date | null;
  completedAt?: Date | null;
  expiredAt?: Date | null;
}
export const StampCard = mongoose.model('StampCard', stampCardSchema);
