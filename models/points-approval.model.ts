import mongoose, { type InferSchemaType, Schema } from 'mongoose';

/**
 * A manual points adjustment larger than the requester's role may make alone (#16.5): held here, changing
 * nothing, until an admin approves (applied once through `changePoints`, key `manual:approval:<id>`) or rejects.
 */
const pointsApprovalSchema = new Schema(
  {
    memberId: { type: Schema.Types.ObjectId, ref: 'Member', required: true },
    /** Which ledger: points (#16.5) or shopping credit in NT$ (購物金, #16.2 manual grants). */
    kind: { type: String, enum: ['points', 'credit'], default: 'points' },
    /** A held credit grant's chosen expiry (none: the settings' manual validity, counted from the approval). */
    expiresAt: Date,
    delta: { type: Number, required: true },
    reason: { type: String, required: true },
    /** The requester's idempotency key: a double click holds one request. */
    key: { type: String, required: true },
    requestedBy: { id: { type: String, required: true }, name: String, role: String },
    requestedAt: { type: Date, required: true },
    /** The cap that held it, for the approver. */
    cap: { type: Number, required: true },
    /** The requester's store (the counter's today list). */
    storeId: String,
    status: { type: String, enum: ['pending', 'approved', 'rejected'], default: 'pending' },
    decidedBy: { id: String, name: String },
    decidedAt: Date,
    decisionNote: String,
    /** The ledger entry the approval created. */
    entryId: String,
  },
  { timestamps: true },
);
pointsApprovalSchema.index({ key: 1 }, { unique: true });
// The admin's queue (pending first, newest first) and the history list.
pointsApprovalSchema.index({ status: 1, requestedAt: -1 });
// Today's counter list: adjustments requested at one store that day.
pointsApprovalSchema.index({ storeId: 1, requestedAt: -1 });

export type PointsApprovalFields = InferSchemaType<typeof pointsApprovalSchema>;
export type PointsApprovalDoc = PointsApprovalFields & { _id: mongoose.Types.ObjectId };
export const PointsApproval = mongoose.model('PointsApproval', pointsApprovalSchema);
