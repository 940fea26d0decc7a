import type { AppDeps } from '../server/deps';

/** Counts a job reports at the end of a run (logged and stored with the run). */
export type JobResult = Record<string, number | string>;

/**
 * A scheduled job. `run(deps, now)` must be safe to run twice for the same occurrence (idempotency keys,
 * "sent" markers); the scheduler additionally takes a lease so only one instance runs each occurrence.
 */
export interface JobDefinition {
  name: string;
  description: string;
  /** node-cron expression, evaluated in the configured time zone (Asia/Taipei by default). */
  schedule: string;
  run(deps: AppDeps, now: Date): Promise<JobResult>;
}
