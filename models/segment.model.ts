import mongoose, { type InferSchemaType, Schema } from 'mongoose';

/**
 * A saved rule segment: a validated rule tree (domain/segments/rule.ts) that is compiled to a query server-side
 * each time it is used, so "who is in it" is always current. The rule is stored as validated JSON, never as a
 * MongoDB query.
 */
const segmentSchema = new Schema(
  {
    name: { type: String, required: true },
    description: { type: String, default: '' },
    rule: { type: Schema.Types.Mixed, required: true },
    /** Audience size when last counted (shown in lists without recounting). */
    lastCount: Number,
    lastCountAt: Date,
    createdBy: { type: String, default: 'system' },
    updatedBy: String,
    archivedAt: Date,
  },
  { timestamps: true },
);
segmentSchema.index({ name: 1 });

export type SegmentFields = InferSchemaType<typeof segmentSchema>;
export const Segment = mongoose.model('Segment', segmentSchema);

/**
 * The outcome of one RFM scoring run: the quintile cut points and how many members landed in each named segment,
 * so the console can show how the scores were derived.
 */
const rfmRunSchema = new Schema({
  at: { type: Date, required: true },
  windowDays: { type: Number, required: true },
  scored: { type: Number, default: 0 },
  unscored: { type: Number, default: 0 },
  /** Cut points (values at the 20/40/60/80th percentile) of recency days, frequency and monetary. */
  cuts: { r: [Number], f: [Number], m: [Number] },
  segments: { type: Schema.Types.Mixed, default: {} },
  /** Member counts by R (rows 1–5) × F (columns 1–5), for the console's heat map. */
  grid: { type: Schema.Types.Mixed, default: [] },
});
rfmRunSchema.index({ at: -1 });

export type RfmRunFields = InferSchemaType<typeof rfmRunSchema>;
export const RfmRun = mongoose.model('RfmRun', rfmRunSchema);
