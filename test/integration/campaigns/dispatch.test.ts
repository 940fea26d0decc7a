import { Campaign, CampaignRun } from '../../../models/campaign.model';
import { Delivery } from '../../../models/delivery.model';
import { Member } from '../../../models/member.model';
import { createCampaign, getCampaign, getCampaignStats } from '../../../domain/campaigns/campaign.service';
import { startScheduler } from '../../../jobs/scheduler';
import { runJobOnce } from '../../../jobs/runner';
import type { Messenger } from '../../../domain/messaging/messenger';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { deliveriesPerUser, seedFollowers, taipei, withClock } from './fixtures';

let env: TestEnv;

beforeAll(async () => {
  env = await startTestEnv({ env: { SEND_RETRY_BASE_MS: '1', SEND_RETRY_MAX_MS: '10', SEND_MAX_ATTEMPTS: '15' } });
});
afterAll(() => env?.close());
beforeEach(async () => {
  await env.resetDb();
  env.local.emulator!.reset();
  env.local.emulator!.setMonthlyQuota(1_000_000);
});

const TEXT = [{ type: 'text', text: '春季新品上市，會員獨享 85 折！' }];
const onceAt = (at: Date, extra: Record<string, unknown> = {}) => ({
  name: '春季新品',
  audience: { type: 'all' },
  messages: TEXT,
  schedule: { type: 'once', at: at.toISOString() },
  ...extra,
});

describe('campaign dispatch', () => {
  it('three scheduler instances on one database deliver each batch exactly once', async () => {
    const members = await seedFollowers(env, 1100);
    const at = taipei('2025-04-01T10:00:00');
    const clock = withClock(env.deps, at);
    await createCampaign(onceAt(at), 'tester', taipei('2025-04-01T09:00:00'), { timeZone: 'Asia/Taipei' });
    const schedulers = [1, 2, 3].map((i) => startScheduler(clock.deps, { owner: `instance-${i}`, timer: false }));
    const outcomes = (await Promise.all(schedulers.map((s) => s.tick(at)))).flat();
    await Promise.all(schedulers.map((s) => s.stop()));

    const dispatchRuns = outcomes.filter((o) => o.job === 'campaign-dispatch');
    expect(dispatchRuns.filter((o) => o.status === 'ran')).toHaveLength(1);
    expect(dispatchRuns.filter((o) => o.status === 'skipped')).toHaveLength(2);
    const log = await env.emulator.pushes();
    const accepted = log.filter((e) => e.api === 'multicast' && e.status === 200);
    expect(accepted).toHaveLength(3); // 500 + 500 + 100
    expect(new Set(accepted.map((e) => e.retryKey)).size).toBe(3);
    const per = deliveriesPerUser(log);
    expect(members.every((m) => per.get(m.lineUserId) === 1)).toBe(true);
    const stats = await getCampaignStats(String((await Campaign.findOne())!._id));
    expect(stats).toMatchObject({ audience: 1100, sent: 1100, failed: 0, pending: 0 });
    expect((await Campaign.findOne())!.status).toBe('completed');
  });

  it('resumes a send that crashed mid-way without sending anything twice', async () => {
    const members = await seedFollowers(env, 1200);
    const at = taipei('2025-04-02T10:00:00');
    const clock = withClock(env.deps, at);
    await createCampaign(onceAt(at), 'tester', taipei('2025-04-02T09:00:00'), { timeZone: 'Asia/Taipei' });
    // The process "dies" right after LINE accepted the second batch, before we could record it.
    let calls = 0;
    const real = env.deps.messenger;
    const crashing: Messenger = {
      ...real,
      async multicast(to, messages, opts) {
        const r = await real.multicast(to, messages, opts);
        if (++calls === 2) throw new Error('simulated crash');
        return r;
      },
    };
    const first = await runJobOnce(
      {
        ...clock.deps,
        messenger: crashing,
        config: { ...env.deps.config, sending: { ...env.deps.config.sending, concurrency: 1 } },
      },
      'campaign-dispatch',
      at,
    );
    expect(first.status).toBe('failed');
    expect(await Delivery.countDocuments({ status: 'sent' })).toBe(500);
    expect(await Delivery.countDocuments({ status: 'pending' })).toBe(700);

    // Later, another instance: the run lock and the job lease have run out; recovery resumes the occurrence.
    clock.advance(5 * 60_000);
    const scheduler = startScheduler(clock.deps, { owner: 'survivor', timer: false });
    const outcomes = await scheduler.tick(new Date(at.getTime() + 5 * 60_000));
    await scheduler.stop();
    expect(outcomes.some((o) => o.status === 'ran')).toBe(true);
    const log = await env.emulator.pushes();
    const per = deliveriesPerUser(log);
    expect(members.every((m) => per.get(m.lineUserId) === 1)).toBe(true);
    // The re-sent second batch was recognised by its retry key.
    expect(log.filter((e) => e.status === 409)).toHaveLength(1);
    expect(await Delivery.countDocuments({ status: 'sent' })).toBe(1200);
    const run = await CampaignRun.findOne().lean();
    expect(run).toMatchObject({ status: 'completed', sent: 1200, failed: 0 });
  });

  it('delivers to every recipient exactly once while LINE fails 30% of calls with 429/500', async () => {
    // 1,500 by multicast (3 batches) and 300 by per-member push (300 calls): enough calls for the faults to bite.
    const multicast = await seedFollowers(env, 1500, () => ({ city: '台中市' }));
    const perMember = await seedFollowers(env, 300, () => ({ city: '高雄市' }));
    const byCity = (city: string) => ({
      type: 'rule',
      rule: { op: 'and', conditions: [{ field: 'city', op: 'in', values: [city] }] },
    });
    env.local.emulator!.setFaults({ rate429: 0.15, rate500: 0.15 });
    const at = taipei('2025-04-03T11:00:00');
    await createCampaign({ ...onceAt(at), audience: byCity('台中市') }, 'tester', taipei('2025-04-03T10:00:00'), {
      timeZone: 'Asia/Taipei',
    });
    await createCampaign(
      { ...onceAt(at), name: '個人連結', audience: byCity('高雄市'), options: { linkTracking: 'member' } },
      'tester',
      taipei('2025-04-03T10:00:00'),
      { timeZone: 'Asia/Taipei' },
    );
    const out = await runJobOnce(withClock(env.deps, at).deps, 'campaign-dispatch', at);
    env.local.emulator!.setFaults({ rate429: 0, rate500: 0 });
    expect(out.status).toBe('ran');
    const log = await env.emulator.pushes();
    const failures = log.filter((e) => e.status === 429 || e.status === 500).length;
    expect(failures / log.length).toBeGreaterThan(0.1);
    const per = deliveriesPerUser(log);
    expect([...multicast, ...perMember].every((m) => per.get(m.lineUserId) === 1)).toBe(true);
    expect(await Delivery.countDocuments({ status: 'sent' })).toBe(1800);
  });

  it('defers a send due in quiet hours until they end, and never drops it', async () => {
    const members = await seedFollowers(env, 3);
    const at = taipei('2025-04-04T22:30:00');
    const c = await createCampaign(onceAt(at), 'tester', taipei('2025-04-04T12:00:00'), { timeZone: 'Asia/Taipei' });
    const night = await runJobOnce(withClock(env.deps, at).deps, 'campaign-dispatch', at);
    expect(night.status === 'ran' && night.result.deferred).toBe(1);
    expect((await getCampaign(c.id)).deferredUntil).toEqual(taipei('2025-04-05T09:00:00'));
    const early = taipei('2025-04-05T08:59:00');
    await runJobOnce(withClock(env.deps, early).deps, 'campaign-dispatch', early);
    expect(await env.emulator.pushes()).toHaveLength(0);
    const morning = taipei('2025-04-05T09:00:00');
    await runJobOnce(withClock(env.deps, morning).deps, 'campaign-dispatch', morning);
    const per = deliveriesPerUser(await env.emulator.pushes());
    expect(members.every((m) => per.get(m.lineUserId) === 1)).toBe(true);
  });

  it('holds the frequency cap across campaigns', async () => {
    const members = await seedFollowers(env, 4);
    const cap = { options: { frequencyCap: { maxPerWindow: 1, windowDays: 7 } } };
    const d1 = taipei('2025-04-07T10:00:00');
    const d2 = taipei('2025-04-09T10:00:00');
    const d3 = taipei('2025-04-15T10:00:00');
    // Only member 0 is targeted by the first campaign.
    await Member.updateOne({ _id: members[0].memberId }, { $set: { city: '台北市' } });
    await createCampaign(
      {
        ...onceAt(d1, cap),
        audience: { type: 'rule', rule: { op: 'and', conditions: [{ field: 'city', op: 'in', values: ['台北市'] }] } },
      },
      't',
      taipei('2025-04-06T10:00:00'),
      { timeZone: 'Asia/Taipei' },
    );
    const second = await createCampaign({ ...onceAt(d2, cap), name: '第二檔' }, 't', taipei('2025-04-06T10:00:00'), {
      timeZone: 'Asia/Taipei',
    });
    const third = await createCampaign({ ...onceAt(d3, cap), name: '第三檔' }, 't', taipei('2025-04-06T10:00:00'), {
      timeZone: 'Asia/Taipei',
    });
    for (const at of [d1, d2, d3]) await runJobOnce(withClock(env.deps, at).deps, 'campaign-dispatch', at);

    const s2 = await getCampaignStats(second.id);
    expect(s2).toMatchObject({ matched: 4, sent: 3, skipped: { frequency_cap: 1 } });
    const s3 = await getCampaignStats(third.id); // 8 days after the first, 6 after the second
    expect(s3).toMatchObject({ matched: 4, sent: 1, skipped: { frequency_cap: 3 } });
    const per = deliveriesPerUser(await env.emulator.pushes());
    expect(members.map((m) => per.get(m.lineUserId))).toEqual([2, 1, 1, 1]);
  });

  it('never sends anything to blocked, erased or non-consenting members', async () => {
    const states = [
      {},
      { status: 'blocked', blockedAt: new Date() },
      { 'consent.marketing': false },
      { erasedAt: new Date() },
      { consent: { status: 'pending', marketing: false } },
    ];
    const members = await seedFollowers(env, states.length, (i) => states[i]);
    const at = taipei('2025-04-08T10:00:00');
    const c = await createCampaign(onceAt(at), 't', taipei('2025-04-08T09:00:00'), { timeZone: 'Asia/Taipei' });
    await runJobOnce(withClock(env.deps, at).deps, 'campaign-dispatch', at);
    const per = deliveriesPerUser(await env.emulator.pushes());
    expect(members.map((m) => per.get(m.lineUserId) ?? 0)).toEqual([1, 0, 0, 0, 0]);
    expect((await getCampaignStats(c.id)).matched).toBe(1);
  });

  it('holds a campaign that would exceed the monthly quota instead of sending part of it', async () => {
    await seedFollowers(env, 10);
    env.local.emulator!.setMonthlyQuota(6);
    const at = taipei('2025-04-10T10:00:00');
    const c = await createCampaign(onceAt(at), 't', taipei('2025-04-10T09:00:00'), { timeZone: 'Asia/Taipei' });
    await runJobOnce(withClock(env.deps, at).deps, 'campaign-dispatch', at);
    const held = await getCampaign(c.id);
    expect(held.status).toBe('held');
    expect(held.heldReason).toContain('需要 10 則，剩餘 6 則');
    expect(await env.emulator.pushes()).toHaveLength(0);
    expect(await Delivery.countDocuments({ status: 'pending' })).toBe(10);
  });
});
