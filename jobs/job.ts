import type { AppDeps } from '../server/deps';

/** Counts a job reports at the end of a run (logged and stored with the run). */
export type JobResult = Record<string, number | string>;

/**
 * A scheduled job. `run(deps, now)` must be safe to run twice for the same occurrence (idempotency keys,
 * "sent" markers); the runner (jobs/runner.ts) additionally takes a lease in MongoDB so only one instance runs
 * each occurrence, and re-runs an occurrence whose holder crashed.
 */
export interface JobDefinition {
  name: string;
  description: string;
  /** node-cron expression (5 fields), evaluated in the configured time zone (Asia/Taipei by default). */
  schedule: string;
  run(deps: AppDeps, now: Date): Promise<JobResult>;
  /**
   * Which occurrence `now` belongs to and whether it is due yet. Default: one occurrence per scheduled minute,
   * always due. A job with a configurable time (birthday) returns its date as the key and `due: false` before
   * the configured time, so a frequent schedule still runs it once per day.
   */
  occurrenceOf?(deps: AppDeps, now: Date): Promise<{ key: string; due: boolean }>;
}
