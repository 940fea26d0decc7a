import mongoose, { type InferSchemaType, Schema } from 'mongoose';

/**
 * A campaign or journey-step URL rewritten to `/r/<_id>`. Multicast messages are identical for every recipient, so
 * the link itself cannot name the member: `clicks` counts every open; a click is attributed to a member when it
 * comes through the member's short code (a LinkCode, per-member sends) or, in older messages, a signed member token
 * (`?m=…`), see api/tracking.
 */
const trackedLinkSchema = new Schema(
  {
    /** Short random id used in the URL. */
    _id: { type: String, required: true },
    /** The campaign, or for a journey step's link the step's link scope (`linkScopeOf(journey, step)`). */
    campaignId: { type: Schema.Types.ObjectId, ref: 'Campaign' },
    /** A journey step's link: the journey and step (its UTM parameters name them). */
    journeyId: { type: Schema.Types.ObjectId, ref: 'Journey' },
    stepId: String,
    url: { type: String, required: true },
    /** The A/B variant whose messages carry the link (none outside A/B tests). */
    variant: String,
    clicks: { type: Number, default: 0 },
    lastClickAt: Date,
  },
  { timestamps: true },
);
trackedLinkSchema.index({ campaignId: 1, url: 1 });

export type TrackedLinkFields = InferSchemaType<typeof trackedLinkSchema>;
export const TrackedLink = mongoose.model('TrackedLink', trackedLinkSchema);

/**
 * A short code for one recipient's copy of one tracked link (`/r/<code>`, #17.4): what per-member sends show
 * instead of `/r/<linkId>?m=<member token>`, so no member token is visible. Resolved on the server to the link and
 * the member; one code per (link, member), created once (the unique key) and reused by a resumed send.
 */
const linkCodeSchema = new Schema(
  {
    _id: { type: String, required: true },
    linkId: { type: String, required: true },
    memberId: { type: Schema.Types.ObjectId, ref: 'Member', required: true },
    /** The campaign, or a journey step's link scope (as on the TrackedLink). */
    campaignId: { type: Schema.Types.ObjectId, ref: 'Campaign' },
    /**
     * A member merge moved the member's codes to the kept member, who already had a code for this link: this code
     * (still in old messages) stands for that one (`_id` of the kept member's code), so it redirects and counts there.
     */
    aliasOf: String,
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);
linkCodeSchema.index({ linkId: 1, memberId: 1 }, { unique: true });
linkCodeSchema.index({ memberId: 1 });

export type LinkCodeFields = InferSchemaType<typeof linkCodeSchema>;
export const LinkCode = mongoose.model('LinkCode', linkCodeSchema);
