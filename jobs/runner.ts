import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { minuteKey } from '../domain/scheduling/cron';
import {
  acquireJobLease,
  failJobLease,
  findStaleJobLeases,
  finishJobLease,
  renewJobLease,
  takeOverJobLease,
  type JobTrigger,
} from '../domain/scheduling/job-lease.service';
import type { AppDeps } from '../server/deps';
import type { JobDefinition, JobResult } from './job';
import { allJobs } from './index';

/** The scheduler prunes old leases through the runner, its one door to the lease store. */
export { pruneJobLeases } from '../domain/scheduling/job-lease.service';

/** How long a lease lasts without renewal; the holder renews it every third of that while it runs. */
export const DEFAULT_LEASE_MS = 60_000;

export interface RunOptions {
  /** Identifies this instance in the lease (default: host:pid:random, fixed per process). */
  owner?: string;
  trigger?: JobTrigger;
  leaseMs?: number;
  /** Run even if the job says the occurrence is not due yet (CLI). */
  force?: boolean;
  jobs?: JobDefinition[];
}

export type RunOutcome =
  | { status: 'ran'; job: string; occurrence: string; result: JobResult; attempt: number }
  | { status: 'failed'; job: string; occurrence: string; error: string; attempt: number }
  | { status: 'skipped'; job: string; occurrence: string; reason: 'held_elsewhere' | 'already_done' }
  | { status: 'not_due'; job: string };

export const processOwner = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;

function findJob(name: string, jobs: JobDefinition[]): JobDefinition {
  const job = jobs.find((j) => j.name === name);
  if (!job) throw new Error(`unknown job "${name}"; known: ${jobs.map((j) => j.name).join(', ')}`);
  return job;
}

/** The occurrence `now` belongs to for a job (its own rule, or one per minute). */
export async function occurrenceFor(
  deps: AppDeps,
  job: JobDefinition,
  now: Date,
): Promise<{ key: string; due: boolean }> {
  return job.occurrenceOf ? job.occurrenceOf(deps, now) : { key: minuteKey(now, deps.config.timeZone), due: true };
}

/**
 * Runs one occurrence of a job at most once across every instance sharing the database: the first instance to
 * insert the lease document runs it; the others skip. Lease times follow `deps.clock` (wall time in production,
 * a controlled clock in tests); `now` is the occurrence's own instant handed to the job.
 */
export async function runJobOnce(deps: AppDeps, name: string, now: Date, opts: RunOptions = {}): Promise<RunOutcome> {
  const job = findJob(name, opts.jobs ?? allJobs);
  const occ = await occurrenceFor(deps, job, now);
  if (!occ.due && !opts.force) return { status: 'not_due', job: name };
  const owner = opts.owner ?? processOwner;
  const leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
  const key = `${name}@${occ.key}`;
  const lease = await acquireJobLease(
    { key, job: name, occurrence: occ.key, scheduledFor: now, owner, leaseMs, trigger: opts.trigger ?? 'schedule' },
    deps.clock(),
  );
  if (lease !== 'acquired') return { status: 'skipped', job: name, occurrence: occ.key, reason: lease };
  return execute(deps, job, { key, occurrence: occ.key, now, owner, leaseMs, attempt: 1 });
}

interface Held {
  key: string;
  occurrence: string;
  now: Date;
  owner: string;
  leaseMs: number;
  attempt: number;
}

/** Runs the job under a held lease: renews it while running, then records done/failed (only if still the owner). */
async function execute(deps: AppDeps, job: JobDefinition, held: Held): Promise<RunOutcome> {
  const log = deps.logger.child({ module: 'jobs', job: job.name, occurrence: held.occurrence, attempt: held.attempt });
  const started = Date.now();
  const renew = setInterval(
    () => {
      renewJobLease(held, held.leaseMs, deps.clock()).catch((err) => log.warn({ err }, 'lease renewal failed'));
    },
    Math.max(50, Math.floor(held.leaseMs / 3)),
  );
  renew.unref();
  log.info('job started');
  try {
    // Customer texts a job sends (birthday, tier, expiry) read the marketer's current wording.
    const result = await deps.replies.run(() => job.run(deps, held.now));
    clearInterval(renew);
    await finishJobLease(held, result, deps.clock());
    log.info({ ...result, durationMs: Date.now() - started }, 'job finished');
    return { status: 'ran', job: job.name, occurrence: held.occurrence, result, attempt: held.attempt };
  } catch (err) {
    clearInterval(renew);
    const error = err instanceof Error ? err.message : String(err);
    await failJobLease(held, error, deps.clock()).catch(() => undefined);
    log.error({ err, durationMs: Date.now() - started }, 'job failed');
    return { status: 'failed', job: job.name, occurrence: held.occurrence, error, attempt: held.attempt };
  }
}

/**
 * Takes over occurrences whose holder died (lease ran out while `running`) or that failed and are due a retry,
 * and re-runs them with their original `now`. The takeover is one conditional update, so exactly one instance
 * wins each. The jobs are idempotent, so a re-run resumes rather than repeats.
 */
export async function recoverStaleRuns(deps: AppDeps, opts: RunOptions = {}): Promise<RunOutcome[]> {
  const jobs = opts.jobs ?? allJobs;
  const owner = opts.owner ?? processOwner;
  const leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
  const outcomes: RunOutcome[] = [];
  const names = jobs.map((j) => j.name);
  const stale = await findStaleJobLeases(names, deps.clock());
  for (const lease of stale) {
    const taken = await takeOverJobLease(lease, owner, leaseMs, deps.clock());
    if (!taken) continue;
    const job = jobs.find((j) => j.name === lease.job)!;
    deps.logger
      .child({ module: 'jobs' })
      .warn(
        { job: lease.job, occurrence: lease.occurrence, previousOwner: lease.owner, previousStatus: lease.status },
        'resuming a stale job occurrence',
      );
    outcomes.push(
      await execute(deps, job, {
        key: lease.key,
        occurrence: lease.occurrence,
        now: new Date(lease.scheduledFor),
        owner,
        leaseMs,
        attempt: taken.attempts ?? 2,
      }),
    );
  }
  return outcomes;
}
