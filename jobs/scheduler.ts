import cron from 'node-cron';
import { cronMatches, parseCron, type CronSpec } from '../domain/scheduling/cron';
import type { AppDeps } from '../server/deps';
import type { JobDefinition } from './job';
import { allJobs } from './index';
import { pruneJobLeases, processOwner, recoverStaleRuns, type RunOutcome, runJobOnce } from './runner';

export interface Scheduler {
  /** Runs every job whose schedule matches the minute of `now`, then recovers stale occurrences. */
  tick(now: Date): Promise<RunOutcome[]>;
  stop(): Promise<void>;
}

export interface SchedulerOptions {
  jobs?: JobDefinition[];
  owner?: string;
  leaseMs?: number;
  /** false: no cron timer (tests call tick). */
  timer?: boolean;
  /** How long stop() waits for running jobs (default 10 s). */
  stopGraceMs?: number;
}

/**
 * One node-cron task per instance fires every minute (in the configured time zone) and runs the jobs whose
 * schedule matches that minute through the lease runner, so with several instances each occurrence runs once.
 * Each tick also takes over occurrences whose holder crashed. A job never overlaps itself within an instance.
 */
export function startScheduler(deps: AppDeps, opts: SchedulerOptions = {}): Scheduler {
  const jobs = opts.jobs ?? allJobs;
  const specs = new Map<string, CronSpec>(jobs.map((j) => [j.name, parseCron(j.schedule)]));
  const runOpts = { jobs, owner: opts.owner ?? processOwner, leaseMs: opts.leaseMs, trigger: 'schedule' as const };
  const log = deps.logger.child({ module: 'scheduler', owner: runOpts.owner });
  // A job still running in this instance (a big campaign send) is not started again by the next tick; other
  // jobs keep their schedule. Across instances the leases do the same job.
  const running = new Map<string, Promise<RunOutcome>>();
  let recovering: Promise<RunOutcome[]> | null = null;
  let lastPrune = 0;

  function start(job: JobDefinition, now: Date): Promise<RunOutcome> {
    const p = runJobOnce(deps, job.name, now, runOpts)
      .catch((err): RunOutcome => {
        log.error({ err, job: job.name }, 'job could not start');
        return { status: 'failed', job: job.name, occurrence: '?', error: String(err), attempt: 0 };
      })
      .finally(() => running.delete(job.name));
    running.set(job.name, p);
    return p;
  }

  async function tick(now: Date): Promise<RunOutcome[]> {
    const due = jobs.filter((j) => !running.has(j.name) && cronMatches(specs.get(j.name)!, now, deps.config.timeZone));
    const outcomes = await Promise.all(due.map((j) => start(j, now)));
    if (!recovering) {
      recovering = recoverStaleRuns(deps, runOpts)
        .catch((err) => {
          log.error({ err }, 'recovery failed');
          return [] as RunOutcome[];
        })
        .finally(() => {
          recovering = null;
        });
      outcomes.push(...(await recovering));
    }
    if (now.getTime() - lastPrune > 3_600_000) {
      lastPrune = now.getTime();
      await pruneJobLeases(now).catch((err) => log.warn({ err }, 'lease pruning failed'));
    }
    return outcomes;
  }

  const task =
    opts.timer === false
      ? null
      : cron.schedule(
          '* * * * *',
          () => {
            void tick(deps.clock());
          },
          { timezone: deps.config.timeZone, name: `huigo-scheduler-${runOpts.owner}` },
        );
  log.info({ jobs: jobs.map((j) => `${j.name} (${j.schedule})`) }, 'scheduler started');

  return {
    tick,
    async stop() {
      await task?.stop();
      await task?.destroy();
      // Give running jobs a moment to finish; a long send left behind is resumed by another instance's recovery.
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, opts.stopGraceMs ?? 10_000);
      });
      await Promise.race([Promise.allSettled([...running.values(), recovering]), grace]);
      clearTimeout(timer);
    },
  };
}
