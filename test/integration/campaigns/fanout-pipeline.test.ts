import mongoose from 'mongoose';
import { CampaignRun } from '../../../models/campaign.model';
import { Delivery } from '../../../models/delivery.model';
import { createCampaign } from '../../../domain/campaigns/campaign.service';
import { freezeRun } from '../../../domain/campaigns/run-freeze.service';
import type { Messenger } from '../../../domain/messaging/messenger';
import { runJobOnce } from '../../../jobs/runner';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { deliveriesPerUser, seedFollowers, taipei, withClock } from './fixtures';

// Seeding thousands of followers through the emulator takes a while on a loaded machine.
jest.setTimeout(90_000);

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env?.close());
beforeEach(async () => {
  await env.resetDb();
  env.local.emulator!.reset();
  env.local.emulator!.setMonthlyQuota(1_000_000);
});

const campaignAt = (at: Date) =>
  createCampaign(
    {
      name: '週年慶',
      audience: { type: 'all' },
      messages: [{ type: 'text', text: '週年慶全館 8 折，會員再送點數！' }],
      schedule: { type: 'once', at: at.toISOString() },
    },
    'tester',
    new Date(at.getTime() - 3_600_000),
    { timeZone: 'Asia/Taipei' },
  );

/** Every command mongoose sends while `fn` runs, as `collection.method`, in order. */
async function commands(fn: () => Promise<unknown>, log: string[] = []): Promise<string[]> {
  mongoose.set('debug', (coll: string, method: string, query: unknown) =>
    log.push(
      `${coll}.${method}${method === 'find' && (query as { status?: string })?.status === 'pending' ? ':pending' : ''}`,
    ),
  );
  try {
    await fn();
  } finally {
    mongoose.set('debug', false);
  }
  return log;
}

describe('#18.4 campaign freeze streams in bulk and fan-out pipelines its writes with LINE calls', () => {
  it('freezes 2,500 members with three unordered bulk inserts, in _id order, and a re-freeze does not duplicate', async () => {
    const members = await seedFollowers(env, 2500);
    const at = taipei('2025-07-01T10:00:00');
    const campaign = await campaignAt(at);
    const run = await CampaignRun.create({
      campaignId: campaign.id,
      occurrence: 'o1',
      plannedAt: at,
      status: 'freezing',
    });
    const lean = await mongoose.model('Campaign').findById(campaign.id).lean();
    const input = { runId: run._id, campaign: lean as never, occurrence: 'o1', now: at, timeZone: 'Asia/Taipei' };
    const log = await commands(() => freezeRun(input));
    expect(log.filter((c) => c === 'deliveries.insertMany')).toHaveLength(3);
    // The audience came through one cursor (find + getMores), not one find per member.
    expect(log.filter((c) => c === 'members.find')).toHaveLength(1);
    const frozen = await Delivery.find({}, { memberId: 1, batch: 1 }).sort({ _id: 1 }).lean();
    expect(frozen.map((d) => String(d.memberId))).toEqual(members.map((m) => String(m.memberId)).sort());
    expect(frozen.map((d) => d.batch)).toEqual(frozen.map((_, i) => Math.floor(i / 500)));
    // Retried (a crash while freezing): the same 2,500, once each; the unique key refuses a second copy.
    await freezeRun(input);
    expect(await Delivery.countDocuments()).toBe(2500);
    await expect(
      Delivery.create({
        ...frozen[0],
        _id: undefined,
        campaignId: campaign.id,
        occurrence: 'o1',
        lineUserId: 'U1',
        countedAt: at,
      }),
    ).rejects.toMatchObject({ code: 11000 });
  });

  it('sends the next batch while the last one is still being recorded, and records every batch exactly once', async () => {
    const members = await seedFollowers(env, 1500);
    const at = taipei('2025-07-02T10:00:00');
    await campaignAt(at);
    const log: string[] = [];
    const real = env.deps.messenger;
    const tracing: Messenger = {
      ...real,
      async multicast(to, messages, opts) {
        log.push('line.multicast');
        return real.multicast(to, messages, opts);
      },
    };
    const deps = {
      ...withClock(env.deps, at).deps,
      messenger: tracing,
      config: { ...env.deps.config, sending: { ...env.deps.config.sending, concurrency: 1 } },
    };
    await commands(() => runJobOnce(deps, 'campaign-dispatch', at), log);
    const calls = log
      .map((c, i) => [c, i] as const)
      .filter(([c]) => c === 'line.multicast')
      .map(([, i]) => i);
    expect(calls).toHaveLength(3);
    // Batch 0's timeline entries are written after batch 1 went to LINE: its recording ran behind the next send.
    const firstTimelineWrite = log.indexOf('interactions.insertMany');
    expect(firstTimelineWrite).toBeGreaterThan(calls[0]);
    expect(firstTimelineWrite).toBeGreaterThan(calls[1]);
    // The pending deliveries were read through one cursor, not once per batch.
    expect(log.filter((c) => c === 'deliveries.find:pending')).toHaveLength(1);
    const per = deliveriesPerUser(await env.emulator.pushes());
    expect(members.every((m) => per.get(m.lineUserId) === 1)).toBe(true);
    expect(await Delivery.countDocuments({ status: 'sent' })).toBe(1500);
    expect(await CampaignRun.findOne().lean()).toMatchObject({ status: 'completed', sent: 1500, failed: 0 });
  });
});
