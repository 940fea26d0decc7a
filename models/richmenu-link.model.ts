import mongoose, { type InferSchemaType, Schema } from 'mongoose';

/**
 * The rich menu we last linked to a member on LINE (one row per member): what makes every change idempotent (an
 * unchanged menu is not linked again) and what the nightly reconcile compares with.
 */
const richMenuLinkSchema = new Schema(
  {
    memberId: { type: Schema.Types.ObjectId, ref: 'Member', required: true },
    lineUserId: { type: String, required: true },
    /** Null: no menu of ours (LINE shows the default menu). */
    menuId: { type: Schema.Types.ObjectId, ref: 'RichMenu', default: null },
    lineRichMenuId: { type: String, default: null },
    reason: String,
    linkedAt: Date,
  },
  { timestamps: false },
);
richMenuLinkSchema.index({ memberId: 1 }, { unique: true });
richMenuLinkSchema.index({ lineRichMenuId: 1 });

/** Every change of a member's menu, for the member timeline and support questions ("why this menu?"). */
const richMenuLinkLogSchema = new Schema({
  memberId: { type: Schema.Types.ObjectId, ref: 'Member', required: true },
  fromMenuId: { type: Schema.Types.ObjectId, default: null },
  toMenuId: { type: Schema.Types.ObjectId, default: null },
  reason: { type: String, required: true },
  via: { type: String, enum: ['single', 'bulk'], required: true },
  at: { type: Date, required: true },
});
richMenuLinkLogSchema.index({ memberId: 1, at: -1 });

export type RichMenuLinkFields = InferSchemaType<typeof richMenuLinkSchema>;
export const RichMenuLink = mongoose.model('RichMenuLink', richMenuLinkSchema);
export const RichMenuLinkLog = mongoose.model('RichMenuLinkLog', richMenuLinkLogSchema);
