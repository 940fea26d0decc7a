import request from 'supertest';
import { JourneyRun } from '../../../models/journey.model';
import { Member } from '../../../models/member.model';
import { Coupon } from '../../../models/coupon.model';
import { createApiKey } from '../../factories/program.factory';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { taipei } from '../campaigns/fixtures';
import { HOUR, pushedTexts, startTemplate, tick, virtualClock } from './journey-fixtures';

const start = taipei('2025-03-03T10:00:00');
const lateJoin = taipei('2025-03-03T22:30:00');
const vc = virtualClock(start);
let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv({ clock: vc.clock });
});
afterAll(() => env?.close());
beforeEach(async () => {
  await env.resetDb();
  env.local.emulator!.reset();
  env.local.emulator!.setMonthlyQuota(100_000);
  vc.set(start);
});

/** A LINE user who follows (webhook) and accepts the data notice (postback), at the clock's time. */
async function newFollower(name: string): Promise<string> {
  const { userId } = await env.emulator.createUser(name);
  await env.emulator.follow(userId);
  await env.emulator.postback(userId, 'consent:accept');
  // The bot handles webhook events after answering LINE: wait until this one entered the journey.
  for (let i = 0; i < 200 && !(await JourneyRun.exists({ lineUserId: userId })); i++)
    await new Promise((r) => setTimeout(r, 25));
  return userId;
}

/** Ticks every 30 minutes from the clock's time until `until`, noting on which virtual time each push arrived. */
async function runUntil(until: Date, users: string[]): Promise<Map<string, Array<{ at: Date; text: string }>>> {
  const seen = new Map(users.map((u) => [u, [] as Array<{ at: Date; text: string }>]));
  const before = new Map(users.map((u) => [u, pushedTexts(env, u).length]));
  for (let t = vc.now.getTime(); t <= until.getTime(); t += HOUR) {
    vc.set(new Date(t));
    await tick(env, vc.now);
    for (const u of users) {
      const texts = pushedTexts(env, u);
      const got = seen.get(u)!;
      for (const text of texts.slice(before.get(u)! + got.length)) got.push({ at: vc.now, text });
    }
  }
  return seen;
}

const taipeiDay = (at: Date) => new Date(at.getTime() + 8 * HOUR).toISOString().slice(0, 10);
const taipeiHour = (at: Date) => new Date(at.getTime() + 8 * HOUR).getUTCHours();

describe('#15.1 #15.2 welcome series (emulator, virtual clock, real HTTP)', () => {
  it('a new follower gets day 0, day 2 and day 7 in Asia/Taipei time, never in quiet hours; a purchase on day 3 exits before the day-7 coupon', async () => {
    const journey = await startTemplate(env, 'welcome');
    const early = await newFollower('早上加入');
    const buyer = await newFollower('第三天消費');
    vc.set(lateJoin);
    const late = await newFollower('晚上加入');
    const { key } = await createApiKey();

    // Day 0 to day 3 noon, then the buyer buys (POS ingest over HTTP), then on to day 8.
    vc.set(start);
    const first = await runUntil(taipei('2025-03-06T12:00:00'), [early, buyer, late]);
    const buyerMember = await Member.findOne({ lineUserId: buyer }).lean();
    const res = await request(env.url)
      .post('/api/ingest/purchases')
      .set('x-api-key', key)
      .send({ orderId: 'W-1', member: { memberCode: buyerMember!.memberCode }, amount: 880 });
    expect(res.status).toBe(201);
    vc.set(new Date(vc.now.getTime() + HOUR));
    const rest = await runUntil(taipei('2025-03-11T12:30:00'), [early, buyer, late]);
    const all = (u: string) => [...first.get(u)!, ...rest.get(u)!];

    const e = all(early);
    expect(e.map((x) => taipeiDay(x.at))).toEqual(['2025-03-03', '2025-03-05', '2025-03-10']);
    expect(e[0].text).toContain('歡迎加入會員');
    expect(e[1].text).toContain('結帳時出示會員卡');
    expect(e[2].text).toContain('首購折 100 元');
    for (const x of [...e, ...all(late)]) expect(taipeiHour(x.at) >= 9 && taipeiHour(x.at) < 21).toBe(true);

    // Joined at 22:30 (quiet hours 21:00–09:00): day 0's welcome waits for 09:00, the rest keep their days.
    const l = all(late);
    expect(l.map((x) => `${taipeiDay(x.at)} ${taipeiHour(x.at)}`)).toEqual([
      '2025-03-04 9',
      '2025-03-05 12',
      '2025-03-10 12',
    ]);

    // The buyer got day 0 and day 2, then left on the goal: no day-7 coupon, no coupon in the wallet.
    expect(all(buyer).map((x) => taipeiDay(x.at))).toEqual(['2025-03-03', '2025-03-05']);
    const run = await JourneyRun.findOne({ memberId: buyerMember!._id }).lean();
    expect(run).toMatchObject({ status: 'goal', exitReason: 'goal' });
    expect(await Coupon.countDocuments({ memberId: buyerMember!._id })).toBe(0);
    expect(await Coupon.countDocuments({ source: 'journey' })).toBe(2);

    const detail = await request(env.url).get(`/api/console/journeys/${journey.id}`);
    expect(detail.status).toBe(401);
  }, 180_000);
});
