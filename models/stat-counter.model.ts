import mongoose, { type InferSchemaType, Schema } from 'mongoose';

/**
 * Aggregates the dashboard and campaign stats read instead of scanning members, deliveries and interactions.
 * `_id` names the bucket: `program` (program-wide gauges), `day:<YYYY-MM-DD>` (by day in the program's zone:
 * members by follow day, last activity by day, the funnel stages of the members who followed that day),
 * `campaign:<id>` (deliveries by status, skipped by reason, clicks, unique clickers, coupons, attributed
 * purchases), `template:<id>` (coupons used) and `revenue:<YYYY-MM>` (net revenue and orders, new-customer
 * part, per store: domain/reports/revenue-counters.service.ts). Every figure is a number under `n` changed by `$inc` where the
 * event is recorded; `npm run stats:rebuild` recomputes them all from the raw records.
 */
const statCounterSchema = new Schema(
  {
    _id: { type: String, required: true },
    kind: { type: String, enum: ['program', 'day', 'campaign', 'template', 'revenue'], required: true },
    /** `YYYY-MM-DD` for day buckets (kept as a field so a range of days is one indexed query). */
    day: String,
    n: { type: Schema.Types.Mixed, default: {} },
  },
  { minimize: false, versionKey: false },
);
statCounterSchema.index({ kind: 1, day: 1 });

/**
 * The exactly-once side of the counters: a marker per "first time" (a campaign's unique clicker, a campaign's
 * attributed buyer with how many of their purchases count), per freeze of an occurrence (what it added), and
 * per member (what the member currently contributes to the day and program buckets, compared-and-set).
 */
const statMarkerSchema = new Schema(
  {
    _id: { type: String, required: true },
    memberId: Schema.Types.ObjectId,
    campaignId: Schema.Types.ObjectId,
    /** A counter (e.g. attributed purchases of this buyer) or a version for compare-and-set. */
    v: { type: Number, default: 0 },
    c: Schema.Types.Mixed,
  },
  { minimize: false, versionKey: false },
);
statMarkerSchema.index({ memberId: 1 }, { sparse: true });

export type StatCounterFields = InferSchemaType<typeof statCounterSchema>;
export const StatCounter = mongoose.model('StatCounter', statCounterSchema, 'statcounters');
export const StatMarker = mongoose.model('StatMarker', statMarkerSchema, 'statmarkers');
