import request from 'supertest';
import { enterRun } from '../../../domain/journeys/journey-enter.service';
import type { JourneyLean } from '../../../domain/journeys/journey-enter.service';
import { aggregationUnitOf } from '../../../domain/journeys/journey-time';
import { Journey } from '../../../models/journey.model';
import { TrackedLink } from '../../../models/tracked-link.model';
import type { JourneyStatsResponse } from '../../../api/contracts/journeys';
import { loginAs, type ConsoleLogin } from '../../factories/console.factory';
import { createApiKey } from '../../factories/program.factory';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { seedFollowers } from '../campaigns/fixtures';
import { pushedTexts, tick, virtualClock } from './journey-fixtures';

// The emulator dates what it sends by its own (real) clock, and LINE's figures are asked for by date: this file's
// virtual clock starts at the real time, with quiet hours off for its journey (it may run at night in Taipei).
const start = new Date();
const vc = virtualClock(start);
const DEST = 'https://shop.example.com/spring';
let env: TestEnv;
let marketer: ConsoleLogin;
beforeAll(async () => {
  env = await startTestEnv({ clock: vc.clock });
});
afterAll(() => env?.close());
beforeEach(async () => {
  await env.resetDb();
  env.local.emulator!.reset();
  env.local.emulator!.setMonthlyQuota(100_000);
  vc.set(start);
  marketer = await loginAs(env, 'marketer');
});

const journeyBody = {
  name: '春季新品旅程',
  trigger: { type: 'consent_accepted' },
  steps: [
    { id: 'hello', type: 'message', messages: [{ type: 'text', text: `春季新品上市，搶先看：${DEST}` }] },
    { id: 'wait-1d', type: 'wait', days: 1 },
    { id: 'tag', type: 'tags', add: ['春季'] },
  ],
  goal: { kind: 'purchase', minAmount: 0 },
  options: { quietHours: { enabled: false, start: '21:00', end: '09:00' }, frequencyCap: null },
  status: 'active',
};
const jstDay = (d: Date) => new Date(d.getTime() + 9 * 3_600_000).toISOString().slice(0, 10).replace(/-/g, '');

const stats = async (id: string) => {
  const res = await marketer.agent.get(`/api/console/journeys/${id}/stats`);
  expect(res.status).toBe(200);
  return res.body as JourneyStatsResponse;
};

describe('#15.5 GET /api/console/journeys/:id/stats (emulator, real HTTP)', () => {
  it('per step: entered, sent, clicked, goal conversions and revenue from our data; LINE per-unit figures, null below its threshold', async () => {
    const created = await marketer.agent
      .post('/api/console/journeys')
      .set('X-CSRF-Token', marketer.csrf)
      .send(journeyBody)
      .expect(201);
    const id = created.body.journey.id as string;
    const journey = (await Journey.findById(id).lean()) as unknown as JourneyLean;
    const members = await seedFollowers(env, 3);
    for (const m of members) await enterRun(journey, m.memberId, vc.now, 'Asia/Taipei', 'test-entry');
    await tick(env, vc.now);
    for (const m of members) expect(pushedTexts(env, m.lineUserId)[0]).toContain('春季新品上市');

    // Below LINE's threshold of 20 people: LINE answers, with null figures.
    const before = await stats(id);
    expect(before.steps.map((s) => s.stepId)).toEqual(['hello', 'wait-1d', 'tag']);
    expect(before.steps[0]).toMatchObject({
      type: 'message',
      entered: 3,
      sent: 3,
      clicked: 0,
      line: { available: true, uniqueImpression: null, uniqueClick: null },
    });
    // A wait is not executed: runs sleeping through it count as entered into the step they wait for.
    expect(before.steps[1]).toMatchObject({ type: 'wait', entered: 0, line: null });
    expect(before.steps[2]).toMatchObject({ type: 'tags', entered: 3, sent: 0, line: null });

    // Two open the message, one taps the link (LINE's figures); the tap reaches our tracked redirect (ours).
    const emu = env.local.emulator!;
    emu.setInsightMinCount(0);
    const unit = aggregationUnitOf(id, 'hello');
    emu.openMessage(members[0].lineUserId, unit);
    const sent = emu.messagesFor(members[1].lineUserId).find((e) => e.via === 'multicast')!;
    const tracked = /https?:\/\/\S+/.exec(String(sent.message.text))![0];
    expect(tracked).not.toBe(DEST);
    emu.clickUrl(members[1].lineUserId, tracked, unit);
    const link = (await TrackedLink.findOne({}, { _id: 1 }).lean())!;
    await request(env.url).get(`/r/${link._id}`).expect(302);

    // The third buys within the attribution window: a goal conversion of the step last sent, with its revenue.
    const { key } = await createApiKey();
    await request(env.url)
      .post('/api/ingest/purchases')
      .set('x-api-key', key)
      .send({ orderId: 'S-1', member: { memberId: String(members[2].memberId) }, amount: 1280 })
      .expect(201);

    const after = await stats(id);
    expect(after.steps[0]).toEqual({
      stepId: 'hello',
      type: 'message',
      entered: 3,
      sent: 3,
      skipped: 0,
      failed: 0,
      clicked: 1,
      conversions: 1,
      revenue: 1280,
      line: { available: true, uniqueImpression: 2, uniqueClick: 1 },
    });
    expect(after.totals).toMatchObject({ entered: 3, goal: 1, revenue: 1280, active: 2 });
    expect(after.linePeriod).toEqual({ from: jstDay(new Date(start.getTime() - 29 * 86_400_000)), to: jstDay(start) });
  });

  it('an unknown journey is a zh-TW 404 and changes nothing', async () => {
    const before = await Journey.countDocuments();
    for (const id of ['64b000000000000000000000', 'not-an-id']) {
      const res = await marketer.agent.get(`/api/console/journeys/${id}/stats`);
      expect(res.status).toBe(404);
      expect(res.body.error).toMatchObject({ code: 'journey_not_found', message: '找不到這個旅程。' });
    }
    expect(await Journey.countDocuments()).toBe(before);
  });

  it('needs the campaigns permission (store staff are refused)', async () => {
    const staff = await loginAs(env, 'staff');
    expect((await staff.agent.get('/api/console/journeys/64b000000000000000000000/stats')).status).toBe(403);
  });
});
