import mongoose, { type InferSchemaType, Schema, type Types } from 'mongoose';

export const CAMPAIGN_STATUSES = ['draft', 'scheduled', 'sending', 'held', 'completed', 'cancelled', 'failed'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/**
 * A campaign as the marketer authored it (validated by domain/campaigns/campaign.schema.ts): who (audience),
 * what (messages, optional coupon), when (one-time or cron) and how (frequency cap, quiet hours, end date,
 * quota policy). `nextRunAt` is the next planned occurrence; the dispatch job picks campaigns whose time has come.
 */
const campaignSchema = new Schema(
  {
    name: { type: String, required: true },
    description: { type: String, default: '' },
    audience: { type: Schema.Types.Mixed, required: true },
    messages: { type: [Schema.Types.Mixed], required: true },
    /** An A/B test: `{ metric, variants: [{ share, messages }] }`, or null. */
    ab: { type: Schema.Types.Mixed, default: null },
    coupon: { templateId: String },
    schedule: { type: Schema.Types.Mixed, required: true },
    options: { type: Schema.Types.Mixed, required: true },
    status: { type: String, enum: CAMPAIGN_STATUSES, default: 'draft' },
    nextRunAt: Date,
    /** Set while the due occurrence waits for quiet hours to end. */
    deferredUntil: Date,
    heldReason: String,
    /** Why the campaign failed: LINE refused its messages (`{ message, details }`), before or during a send. */
    failedReason: String,
    lineError: { type: Schema.Types.Mixed, default: undefined },
    lastRunAt: Date,
    /** Tracked links of the messages: original URL → /r/<id>; per variant letter in an A/B test. */
    links: {
      type: [
        { _id: false, id: { type: String, required: true }, url: { type: String, required: true }, variant: String },
      ],
      default: [],
    },
    createdBy: { type: String, default: 'system' },
    updatedBy: String,
    cancelledAt: Date,
    cancelledBy: String,
  },
  { timestamps: true },
);
campaignSchema.index({ status: 1, nextRunAt: 1 });
campaignSchema.index({ createdAt: -1 });

/**
 * The authored fields stored as Mixed (audience, messages, schedule, options) are typed by what the input schema
 * produces: domain/campaigns/campaign.schema.ts fills this interface in (declaration merging), so the stored shape
 * follows the schema while this module imports nothing from domain.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface CampaignContent {}

export type CampaignFields = Omit<InferSchemaType<typeof campaignSchema>, keyof CampaignContent | 'links'> &
  CampaignContent & {
    links: Array<{ id: string; url: string; variant?: string }>;
  };
export type CampaignDoc = mongoose.HydratedDocument<CampaignFields>;
/** A campaign as read with `.lean()`. */
export type CampaignLean = CampaignFields & { _id: Types.ObjectId };
export const Campaign = mongoose.model<CampaignFields>('Campaign', campaignSchema);

export const RUN_STATUSES = ['freezing', 'sending', 'held', 'completed', 'failed', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/**
 * One occurrence of a campaign (`occurrence` = its planned time, e.g. `2025-03-01T10:00`). It is claimed by one
 * dispatcher at a time (`lockedBy`/`lockedUntil`, renewed per batch); the deliveries hold the frozen audience.
 */
const campaignRunSchema = new Schema({
  campaignId: { type: Schema.Types.ObjectId, ref: 'Campaign', required: true },
  occurrence: { type: String, required: true },
  plannedAt: { type: Date, required: true },
  status: { type: String, enum: RUN_STATUSES, default: 'freezing' },
  /** Members matched by the audience rule when frozen. */
  matched: { type: Number, default: 0 },
  /** Deliveries to send (matched minus skipped). */
  audience: { type: Number, default: 0 },
  skipped: { type: Schema.Types.Mixed, default: {} },
  batches: { type: Number, default: 0 },
  sent: { type: Number, default: 0 },
  failed: { type: Number, default: 0 },
  heldReason: String,
  error: String,
  /** LINE's 400 answer (`{ message, details: [{ property, message }] }`) when it refused the messages. */
  lineError: { type: Schema.Types.Mixed, default: undefined },
  lockedBy: String,
  lockedUntil: Date,
  startedAt: Date,
  frozenAt: Date,
  completedAt: Date,
});
campaignRunSchema.index({ campaignId: 1, occurrence: 1 }, { unique: true });
campaignRunSchema.index({ status: 1, lockedUntil: 1 });

/** `skipped` counts deliveries left out, by reason (`frequency_cap`, `quota_exceeded`). */
export type CampaignRunFields = Omit<InferSchemaType<typeof campaignRunSchema>, 'skipped'> & {
  skipped: Record<string, number>;
};
export const CampaignRun = mongoose.model<CampaignRunFields>('CampaignRun', campaignRunSchema);
