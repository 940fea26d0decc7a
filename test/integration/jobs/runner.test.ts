import { JobLease } from '../../../models/job-lease.model';
import type { JobDefinition } from '../../../jobs/job';
import { listJobRuns } from '../../../domain/scheduling/job-lease.service';
import { recoverStaleRuns, runJobOnce } from '../../../jobs/runner';
import { startScheduler } from '../../../jobs/scheduler';
import { allJobs } from '../../../jobs/index';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { taipei, withClock } from '../campaigns/fixtures';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env?.close());
beforeEach(() => env.resetDb());

function countingJob(
  name: string,
  behaviour: (calls: Date[]) => void = () => undefined,
): JobDefinition & { calls: Date[] } {
  const calls: Date[] = [];
  return {
    name,
    description: name,
    schedule: '0 3 * * *',
    calls,
    async run(_deps, now) {
      calls.push(now);
      behaviour(calls);
      return { calls: calls.length };
    },
  };
}

describe('job runner and scheduler', () => {
  it('runs an occurrence once however many instances ask, and never again', async () => {
    const job = countingJob('nightly');
    const at = taipei('2025-03-01T03:00:00');
    const deps = withClock(env.deps, at).deps;
    const outcomes = await Promise.all(
      ['a', 'b', 'c'].map((owner) => runJobOnce(deps, 'nightly', at, { jobs: [job], owner })),
    );
    expect(outcomes.filter((o) => o.status === 'ran')).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'skipped')).toHaveLength(2);
    expect(await runJobOnce(deps, 'nightly', at, { jobs: [job] })).toMatchObject({
      status: 'skipped',
      reason: 'already_done',
    });
    expect(job.calls).toHaveLength(1);
    const [lease] = await listJobRuns({ job: 'nightly' });
    expect(lease).toMatchObject({ status: 'done', occurrence: '2025-03-01T03:00', result: { calls: 1 } });
  });

  it('ticks only the jobs whose schedule matches the minute, in Taipei time', async () => {
    const nightly = countingJob('nightly');
    const at = taipei('2025-03-01T03:00:00');
    const s = startScheduler(withClock(env.deps, at).deps, { jobs: [nightly], timer: false });
    await s.tick(taipei('2025-03-01T02:59:00'));
    await s.tick(at);
    await s.tick(taipei('2025-03-01T03:01:00'));
    await s.stop();
    expect(nightly.calls).toEqual([at]);
  });

  it('retries a failed occurrence after a pause, with its original time', async () => {
    const flaky = countingJob('flaky', (calls) => {
      if (calls.length === 1) throw new Error('database hiccup');
    });
    const at = taipei('2025-03-02T03:00:00');
    const clock = withClock(env.deps, at);
    expect(await runJobOnce(clock.deps, 'flaky', at, { jobs: [flaky] })).toMatchObject({
      status: 'failed',
      error: 'database hiccup',
    });
    expect(await recoverStaleRuns(clock.deps, { jobs: [flaky] })).toEqual([]); // too soon
    clock.advance(61_000);
    const [retry] = await recoverStaleRuns(clock.deps, { jobs: [flaky] });
    expect(retry).toMatchObject({ status: 'ran', attempt: 2 });
    expect(flaky.calls).toEqual([at, at]);
  });

  it('takes over an occurrence whose holder died once its lease runs out, exactly once', async () => {
    const job = countingJob('nightly');
    const at = taipei('2025-03-03T03:00:00');
    const clock = withClock(env.deps, at);
    // A holder that crashed: its lease says running, nobody renews it.
    await JobLease.create({
      key: 'nightly@2025-03-03T03:00',
      job: 'nightly',
      occurrence: '2025-03-03T03:00',
      scheduledFor: at,
      owner: 'dead',
      leaseUntil: new Date(at.getTime() + 60_000),
      startedAt: at,
    });
    expect(await recoverStaleRuns(clock.deps, { jobs: [job] })).toEqual([]);
    clock.advance(60_001);
    const results = (
      await Promise.all(['x', 'y', 'z'].map((owner) => recoverStaleRuns(clock.deps, { jobs: [job], owner })))
    ).flat();
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ status: 'ran', occurrence: '2025-03-03T03:00' });
    expect(job.calls).toEqual([at]);
  });

  it('registers the product jobs with valid schedules', () => {
    const names = allJobs.map((j) => j.name);
    expect(names).toEqual(expect.arrayContaining(['campaign-dispatch', 'birthday', 'rfm']));
    expect(new Set(names).size).toBe(names.length);
  });
});
