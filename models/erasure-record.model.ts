import mongoose, { type InferSchemaType, Schema } from 'mongoose';

/**
 * The one-time rewards a person already had before they erased their membership. Shared by the erasure registry
 * (models/erasure-record.model.ts) and the member who returns (`Member.priorRewards`), so a fresh membership starts
 * empty but does not earn them again. Nothing here says who the person was or what they did beyond these flags.
 */
export const priorRewardsSchema = new Schema(
  {
    /** The persona completion reward (the chat's or the card's). */
    persona: Boolean,
    /** Entered a friend's referral code (the referee's welcome reward, and the referrer's reward for them). */
    referee: Boolean,
    /** Years whose birthday gift was given. */
    birthdayYears: { type: [Number], default: undefined },
    /** Coupons held per coupon template id (counts against each template's per-member limit). */
    coupons: { type: Schema.Types.Mixed, default: undefined },
  },
  { _id: false },
);

/**
 * The erasure registry: one record per erased identity, keyed by `<kind>:<HMAC-SHA256(secret, value)>` of a LINE
 * userId or a phone number. Only the keyed hash and the rewards are stored (no member id, no dates, no name), so
 * the registry cannot be read back into a person; it only answers "has this LINE account or phone had these
 * rewards before?" for someone who comes back (domain/members/erasure-registry.service.ts).
 */
const erasureRecordSchema = new Schema(
  {
    identity: { type: String, required: true },
    rewards: { type: priorRewardsSchema },
  },
  { versionKey: false },
);
erasureRecordSchema.index({ identity: 1 }, { unique: true });

export type ErasureRecordFields = InferSchemaType<typeof erasureRecordSchema>;
export const ErasureRecord = mongoose.model('ErasureRecord', erasureRecordSchema);
