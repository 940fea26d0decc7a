import mongoose, { type InferSchemaType, Schema } from 'mongoose';

export const JOB_RUN_STATUSES = ['running', 'done', 'failed'] as const;
export type JobRunStatus = (typeof JOB_RUN_STATUSES)[number];

/**
 * One occurrence of a scheduled job (e.g. `birthday@2025-03-01`), doubling as its lease: whichever instance
 * inserts it first runs it; the others see the unique key and skip. The holder renews `leaseUntil` while it
 * works, so a crashed holder's lease runs out and another instance takes the occurrence over (and the job,
 * being idempotent, resumes where it stopped).
 */
const jobLeaseSchema = new Schema({
  /** `<job>@<occurrence>`. */
  key: { type: String, required: true },
  job: { type: String, required: true },
  occurrence: { type: String, required: true },
  /** The `now` the occurrence was started with; a takeover re-runs with the same instant. */
  scheduledFor: { type: Date, required: true },
  owner: { type: String, required: true },
  status: { type: String, enum: JOB_RUN_STATUSES, default: 'running' },
  leaseUntil: { type: Date, required: true },
  attempts: { type: Number, default: 1 },
  startedAt: { type: Date, required: true },
  finishedAt: Date,
  /** The counts the job reported. */
  result: { type: Schema.Types.Mixed },
  error: String,
  /** Who asked: the cron schedule, the CLI, recovery of a stale lease, a test. */
  trigger: { type: String, default: 'schedule' },
});
jobLeaseSchema.index({ key: 1 }, { unique: true });
jobLeaseSchema.index({ status: 1, leaseUntil: 1 });
jobLeaseSchema.index({ job: 1, startedAt: -1 });

export type JobLeaseFields = InferSchemaType<typeof jobLeaseSchema>;
export const JobLease = mongoose.model('JobLease', jobLeaseSchema);
