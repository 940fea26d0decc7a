import mongoose, { type InferSchemaType, Schema } from 'mongoose';

/**
 * A rich menu the marketer made in the console (domain/richmenus/): a layout template with tiles, or an uploaded
 * image with explicit areas; the member state it is for (`rule`); and, once published, LINE's id and alias.
 */
const richMenuSchema = new Schema(
  {
    name: { type: String, required: true },
    chatBarText: { type: String, required: true },
    layout: { type: String, enum: ['2x3', '2x2', '1x3', 'tabs2', 'image'], required: true },
    /** Template menus: one entry per cell ({ label, hint, action }); validated by domain/richmenus/richmenu.schema.ts. */
    tiles: { type: [Schema.Types.Mixed], default: [] },
    /** Uploaded-image menus: explicit tappable areas ({ bounds, action }). */
    areas: { type: [Schema.Types.Mixed], default: [] },
    /** Two-tab menus: the labels of both tabs, which one this menu is, and the menu shown by the other tab. */
    tabs: { labels: [String], index: Number, peerId: { type: Schema.Types.ObjectId, ref: 'RichMenu' } },
    /** The uploaded image (≤ 1 MB, checked against LINE's rules before it is stored). */
    image: {
      data: Buffer,
      contentType: String,
      width: Number,
      height: Number,
    },
    /** Who sees the menu: lower `priority` wins; optional schedule (from inclusive, to exclusive). */
    rule: {
      kind: { type: String, enum: ['none', 'pending', 'member', 'tier', 'segment', 'tag'], default: 'none' },
      value: String,
      priority: { type: Number, default: 100 },
      from: Date,
      to: Date,
    },
    /** LINE's id of the published version; a change to the menu needs a new publish (LINE menus are immutable). */
    lineRichMenuId: String,
    /** Alias LINE knows this menu by (richmenuswitch targets it); stays the same across re-publishes. */
    aliasId: String,
    publishedAt: Date,
    /** Content hash of what was published: unchanged menus are not uploaded again. */
    publishedHash: String,
    /** Changed since the last publish (LINE still shows the published version). */
    edited: { type: Boolean, default: false },
    updatedBy: String,
  },
  { timestamps: true },
);

// The rule list (console order, member-state evaluation) reads menus by priority.
richMenuSchema.index({ 'rule.priority': 1, _id: 1 });
richMenuSchema.index({ lineRichMenuId: 1 }, { sparse: true });

export type RichMenuFields = InferSchemaType<typeof richMenuSchema>;
export const RichMenu = mongoose.model('RichMenu', richMenuSchema);
