import mongoose, { type InferSchemaType, Schema } from 'mongoose';

/**
 * One satisfaction survey sent after a purchase, and its answer. Its `_id` is the `<surveyId>` of the
 * postback data `survey:<surveyId>:<score>`.
 */
const surveyResponseSchema = new Schema(
  {
    memberId: { type: Schema.Types.ObjectId, ref: 'Member', required: true },
    purchaseId: { type: Schema.Types.ObjectId, ref: 'Purchase' },
    /** Idempotency key of the send, e.g. `purchase:<purchaseId>`. */
    key: { type: String, required: true },
    question: { type: String, required: true },
    status: { type: String, enum: ['sent', 'answered'], default: 'sent' },
    sentAt: { type: Date, required: true },
    score: Number,
    comment: String,
    answeredAt: Date,
    commentAt: Date,
  },
  { timestamps: true },
);
surveyResponseSchema.index({ key: 1 }, { unique: true });
surveyResponseSchema.index({ memberId: 1, sentAt: -1 });
// Survey reports by send time.
surveyResponseSchema.index({ sentAt: 1 });

export type SurveyResponseFields = InferSchemaType<typeof surveyResponseSchema>;
export const SurveyResponse = mongoose.model('SurveyResponse', surveyResponseSchema);
