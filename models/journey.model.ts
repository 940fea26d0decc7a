import mongoose, { type InferSchemaType, Schema } from 'mongoose';

export const JOURNEY_STATUSES = ['draft', 'active', 'paused', 'archived'] as const;
export type JourneyStatus = (typeof JOURNEY_STATUSES)[number];

/**
 * A journey: a trigger, an ordered list of steps (each with a stable id), exit conditions and a goal. The shape of
 * `trigger`, `steps`, `goal` and `options` is the zod schema's (domain/journeys/journey.schema.ts); stored as
 * produced by it. Counters (`stats`, `stepStats.<stepId>`) move by `$inc` exactly when a run's step moves on.
 */
const journeySchema = new Schema(
  {
    name: { type: String, required: true },
    description: { type: String, default: '' },
    status: { type: String, enum: JOURNEY_STATUSES, default: 'draft' },
    /** `marketing` steps need marketing consent; `transactional` (points/coupon notices) see program settings. */
    category: { type: String, enum: ['marketing', 'transactional'], default: 'marketing' },
    trigger: { type: Schema.Types.Mixed, required: true },
    steps: { type: [Schema.Types.Mixed], default: [] },
    goal: { type: Schema.Types.Mixed, default: null },
    options: { type: Schema.Types.Mixed, default: {} },
    /** Which demo template it came from (local seed), if any. */
    template: String,
    /** Tracked links per message step (`stepId` → link refs), made when the journey is saved. */
    stepLinks: { type: Schema.Types.Mixed, default: {} },
    stats: {
      entered: { type: Number, default: 0 },
      active: { type: Number, default: 0 },
      completed: { type: Number, default: 0 },
      goal: { type: Number, default: 0 },
      exited: { type: Number, default: 0 },
      revenue: { type: Number, default: 0 },
    },
    stepStats: { type: Schema.Types.Mixed, default: {} },
    /** Runs that left early, per reason (unfollowed, consent_withdrawn, left_segment …). */
    exitReasons: { type: Schema.Types.Mixed, default: {} },
    /** Taipei day the scheduled trigger (inactive, expiring, date-relative, segment) was last evaluated. */
    evaluatedFor: String,
    createdBy: String,
    updatedBy: String,
  },
  { timestamps: true, minimize: false },
);
journeySchema.index({ status: 1, 'trigger.type': 1 });
/** One journey per demo template: two instances seeding at once cannot both create it (a retry finds it). */
journeySchema.index({ template: 1 }, { unique: true, partialFilterExpression: { template: { $type: 'string' } } });

export const JOURNEY_RUN_STATUSES = ['active', 'paused', 'completed', 'goal', 'exited'] as const;
export type JourneyRunStatus = (typeof JOURNEY_RUN_STATUSES)[number];

/**
 * One member's pass through one journey. The job reads only due runs (`status: active, nextRunAt ≤ now` on the
 * (status, nextRunAt) index), claims a batch by a conditional update that sets its own `claim` token (an instance
 * only ever works on runs carrying its token), and moves a run on with a conditional update on the step it
 * executed, so a step's effects run once per (run, step): every effect is keyed by the run and the step.
 * `slot` is `current` while the member may not enter again; a run that allows re-entry frees it when it ends.
 */
const journeyRunSchema = new Schema(
  {
    journeyId: { type: Schema.Types.ObjectId, ref: 'Journey', required: true },
    memberId: { type: Schema.Types.ObjectId, ref: 'Member', required: true },
    lineUserId: String,
    slot: { type: String, required: true },
    status: { type: String, enum: JOURNEY_RUN_STATUSES, default: 'active' },
    /** The step to execute next (null once finished). */
    stepId: String,
    nextRunAt: Date,
    /**
     * When the current step was planned for. Quiet hours and LINE retries move `nextRunAt` only, so the waits that
     * follow count from the plan ("day 2" stays day 2 after a day-0 message waited for the morning).
     */
    scheduledAt: Date,
    enteredAt: { type: Date, required: true },
    endedAt: Date,
    exitReason: String,
    /** When the goal was met (a run that does not exit on the goal keeps going). */
    goalAt: Date,
    /** The event that started the run (e.g. `purchase:pos:A1`, `tier:gold`). */
    entryRef: String,
    /** Data of the entry event the steps may use (e.g. the tier reached). */
    entryData: { type: Schema.Types.Mixed, default: undefined },
    claim: String,
    claimUntil: Date,
    /** A send in flight: the batch key its retry key came from (a resumed send reuses it, so LINE drops a repeat). */
    pending: { stepId: String, batch: String },
    /** Steps done: id, when, outcome (sent, skipped:<reason>, coupon id, branch taken …). */
    history: { type: [{ _id: false, stepId: String, at: Date, outcome: String }], default: [] },
    /** Test runs (console, test recipients only) are excluded from the figures. */
    test: { type: Boolean, default: false },
  },
  { timestamps: true },
);
// The engine's due query sorts by (nextRunAt, _id) after the status equality: the index gives that order (no sort).
journeyRunSchema.index({ status: 1, nextRunAt: 1, _id: 1 });
journeyRunSchema.index({ journeyId: 1, memberId: 1, slot: 1 }, { unique: true });
journeyRunSchema.index({ memberId: 1, status: 1 });
journeyRunSchema.index({ claim: 1 }, { sparse: true });
journeyRunSchema.index({ journeyId: 1, status: 1 });
journeyRunSchema.index({ journeyId: 1, memberId: 1, endedAt: -1 });

/**
 * One multicast of one journey step, written before it is sent: its recipients and retry key are fixed here, so a
 * send resumed after a crash (by any instance) repeats exactly this request and LINE drops it if it was accepted.
 */
const journeySendSchema = new Schema({
  _id: { type: String, required: true },
  journeyId: { type: Schema.Types.ObjectId, ref: 'Journey', required: true },
  stepId: { type: String, required: true },
  to: { type: [String], required: true },
  runIds: { type: [Schema.Types.ObjectId], required: true },
  status: { type: String, enum: ['sending', 'sent', 'failed'], default: 'sending' },
  createdAt: { type: Date, required: true },
  sentAt: Date,
});
journeySendSchema.index({ journeyId: 1, stepId: 1, createdAt: -1 });

export type JourneyFields = InferSchemaType<typeof journeySchema>;
export type JourneyRunFields = InferSchemaType<typeof journeyRunSchema>;
export const Journey = mongoose.model('Journey', journeySchema);
export const JourneyRun = mongoose.model('JourneyRun', journeyRunSchema);
export const JourneySend = mongoose.model('JourneySend', journeySendSchema);
