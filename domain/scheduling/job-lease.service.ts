import { JobLease, type JobLeaseFields } from '../../models/job-lease.model';

/*
 * The lease of each scheduled job occurrence (one document per `<job>@<occurrence>`, see models/job-lease.model.ts):
 * taken by inserting it, renewed while the job runs, recorded done or failed by its owner, and taken over by one
 * conditional update when the holder died or a failed run is due a retry. Which job runs when, and the run itself,
 * are the runner's (`jobs/runner.ts`).
 */

/** A failed occurrence is retried by recovery after this long, up to MAX_ATTEMPTS runs in all. */
const RETRY_AFTER_MS = 60_000;
/** Runs of one occurrence in all (the first and the retries); after that it stays failed. */
export const MAX_ATTEMPTS = 5;

export type JobTrigger = 'schedule' | 'cli' | 'recovery' | 'test';

export interface LeaseRequest {
  key: string;
  job: string;
  occurrence: string;
  /** The occurrence's own instant, handed to the job again on a takeover. */
  scheduledFor: Date;
  owner: string;
  leaseMs: number;
  trigger: JobTrigger;
}

/** What a lease holder is known by: only the owner may renew it or record its end. */
export interface LeaseHolder {
  key: string;
  owner: string;
}

/**
 * Takes the lease of an occurrence by inserting its document; the unique key makes exactly one instance win.
 * The others learn whether the occurrence is finished (`already_done`) or still held (`held_elsewhere`, which
 * includes a failed one waiting for recovery). Any error other than the duplicate key is thrown.
 */
export async function acquireJobLease(
  req: LeaseRequest,
  now: Date,
): Promise<'acquired' | 'already_done' | 'held_elsewhere'> {
  try {
    await JobLease.create({
      key: req.key,
      job: req.job,
      occurrence: req.occurrence,
      scheduledFor: req.scheduledFor,
      owner: req.owner,
      status: 'running',
      leaseUntil: new Date(now.getTime() + req.leaseMs),
      startedAt: now,
      trigger: req.trigger,
    });
    return 'acquired';
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err;
    const existing = await JobLease.findOne({ key: req.key }, { status: 1 }).lean();
    return existing?.status === 'done' ? 'already_done' : 'held_elsewhere';
  }
}

/** Extends a running lease to `now + leaseMs`; a no-op once the holder lost it (taken over, or finished). */
export async function renewJobLease(holder: LeaseHolder, leaseMs: number, now: Date): Promise<void> {
  await JobLease.updateOne(
    { key: holder.key, owner: holder.owner, status: 'running' },
    { $set: { leaseUntil: new Date(now.getTime() + leaseMs) } },
  );
}

/** Records a finished run with the counts the job reported (only if `holder` still owns the lease). */
export async function finishJobLease(
  holder: LeaseHolder,
  result: Record<string, number | string>,
  now: Date,
): Promise<void> {
  await JobLease.updateOne(
    { key: holder.key, owner: holder.owner },
    { $set: { status: 'done', finishedAt: now, result } },
  );
}

/**
 * Records a failed run (only if `holder` still owns the lease) and sets its lease to run out after RETRY_AFTER_MS,
 * when recovery takes the occurrence up again.
 */
export async function failJobLease(holder: LeaseHolder, error: string, now: Date): Promise<void> {
  await JobLease.updateOne(
    { key: holder.key, owner: holder.owner },
    {
      $set: {
        status: 'failed',
        error: error.slice(0, 500),
        finishedAt: now,
        leaseUntil: new Date(now.getTime() + RETRY_AFTER_MS),
      },
    },
  );
}

/** Occurrences of these jobs whose holder died (lease ran out while `running`) or that failed and are due a retry. */
export async function findStaleJobLeases(jobs: string[], now: Date) {
  return JobLease.find({
    job: { $in: jobs },
    status: { $in: ['running', 'failed'] },
    leaseUntil: { $lt: now },
    attempts: { $lt: MAX_ATTEMPTS },
  }).lean();
}

/**
 * Takes a stale lease over for `owner`: one conditional update on the state it was found in, so exactly one
 * instance wins it. Returns the lease as taken (with its attempt count), or null when another instance was first.
 */
export async function takeOverJobLease(
  stale: Pick<JobLeaseFields, 'key' | 'status' | 'owner'>,
  owner: string,
  leaseMs: number,
  now: Date,
) {
  return JobLease.findOneAndUpdate(
    { key: stale.key, status: stale.status, owner: stale.owner, leaseUntil: { $lt: now } },
    {
      $set: { owner, status: 'running', leaseUntil: new Date(now.getTime() + leaseMs), trigger: 'recovery' },
      $inc: { attempts: 1 },
    },
    { returnDocument: 'after' },
  ).lean();
}

/** Finished leases older than `keepDays` are deleted (the per-minute dispatch job leaves one per minute). */
export async function pruneJobLeases(now: Date, keepDays = 14): Promise<number> {
  const res = await JobLease.deleteMany({
    status: 'done',
    finishedAt: { $lt: new Date(now.getTime() - keepDays * 86_400_000) },
  });
  return res.deletedCount ?? 0;
}

/** Recent runs of every job, newest first (for the console's job page). */
export async function listJobRuns(opts: { job?: string; limit?: number } = {}) {
  return JobLease.find(opts.job ? { job: opts.job } : {})
    .sort({ startedAt: -1 })
    .limit(Math.min(opts.limit ?? 50, 500))
    .lean();
}
