import mongoose, { type InferSchemaType, Schema } from 'mongoose';

/**
 * A campaign URL rewritten to `/r/<_id>`. Multicast messages are identical for every recipient, so the link
 * itself cannot name the member: `clicks` counts every open; a click is attributed to a member only when the
 * link carries a signed member token (`?m=…`, added on per-member sends), see api/tracking.
 */
const trackedLinkSchema = new Schema(
  {
    /** Short random id used in the URL. */
    _id: { type: String, required: true },
    campaignId: { type: Schema.Types.ObjectId, ref: 'Campaign' },
    url: { type: String, required: true },
    clicks: { type: Number, default: 0 },
    lastClickAt: Date,
  },
  { timestamps: true },
);
trackedLinkSchema.index({ campaignId: 1, url: 1 });

export type TrackedLinkFields = InferSchemaType<typeof trackedLinkSchema>;
export const TrackedLink = mongoose.model('TrackedLink', trackedLinkSchema);
