import request from 'supertest';
import { enterRun, type JourneyLean } from '../../../domain/journeys/journey-enter.service';
import { createJourney, previewJourneyStep } from '../../../domain/journeys/journey.service';
import { Interaction } from '../../../models/interaction.model';
import { Journey, JourneyRun } from '../../../models/journey.model';
import { Member } from '../../../models/member.model';
import { LinkCode, TrackedLink } from '../../../models/tracked-link.model';
import { loginAs } from '../../factories/console.factory';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { seedFollowers } from '../campaigns/fixtures';
import { DAY, pushedTexts, tick, virtualClock } from './journey-fixtures';

// #17.4: journey links as campaigns have them: per-recipient short codes, the destination's host line, UTM per step.
const start = new Date('2026-03-02T03:00:00Z');
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

const DEST = 'https://www.shop.example.com/spring?x=1&utm_source=edm';
const options = { quietHours: { enabled: false, start: '21:00', end: '09:00' }, frequencyCap: null };
const body = (linkTracking: 'member' | 'link') => ({
  name: 'Spring Journey',
  trigger: { type: 'consent_accepted' },
  steps: [
    { id: 'hello', type: 'message', linkTracking, messages: [{ type: 'text', text: `春季新品 ${DEST}` }] },
    { id: 'wait-1d', type: 'wait', days: 1 },
    { id: 'check', type: 'branch', condition: { kind: 'clicked', stepId: 'hello' }, then: 'yes', else: 'no' },
    { id: 'yes', type: 'tags', add: ['點過連結'] },
    { id: 'done', type: 'end' },
    { id: 'no', type: 'tags', add: ['沒點連結'] },
  ],
  goal: { kind: 'purchase', minAmount: 0 },
  options,
  status: 'active',
});

async function startJourney(linkTracking: 'member' | 'link', count: number) {
  const view = await createJourney(body(linkTracking), 'tester');
  const journey = (await Journey.findById(view.id).lean()) as unknown as JourneyLean;
  const members = await seedFollowers(env, count);
  for (const m of members) await enterRun(journey, m.memberId, vc.now, 'Asia/Taipei', 'test-entry');
  await tick(env, vc.now);
  return { id: view.id, members };
}

const tagsOf = async (memberId: unknown) =>
  ((await Member.findById(memberId, { tags: 1 }).lean())?.tags ?? []).map((t) => t.tag);

describe('#17.4 journey message links', () => {
  it('a per-member text: host line and an 8-character code of its own, no member token; the code redirects with the step UTM, counts once and the "clicked" branch follows it', async () => {
    const { id, members } = await startJourney('member', 2);
    const [t0, t1] = members.map((m) => pushedTexts(env, m.lineUserId)[0]);
    expect(t0).toMatch(/^春季新品\nshop\.example\.com › spring\nhttp:\/\/\S+\/r\/[A-Z2-9]{8}$/);
    expect(t0).not.toContain('m=');
    expect(t0).not.toBe(t1);
    expect(env.local.emulator!.messagesFor(members[0].lineUserId)[0].via).toBe('push');
    expect(await LinkCode.countDocuments()).toBe(2);

    const path = new URL(/http:\/\/\S+/.exec(t0)![0]).pathname;
    const res = await request(env.url).get(path);
    expect(res.status).toBe(302);
    // The marketer's own utm_source stays; medium, campaign and content name the journey and the step.
    expect(res.headers.location).toBe(
      'https://www.shop.example.com/spring?x=1&utm_source=edm&utm_medium=journey&utm_campaign=spring-journey&utm_content=hello',
    );
    await request(env.url).get(path).expect(302);
    expect(await Interaction.countDocuments({ type: 'click', memberId: members[0].memberId })).toBe(1);
    expect(await Interaction.countDocuments({ type: 'click', memberId: members[1].memberId })).toBe(0);
    expect((await TrackedLink.findOne({}).lean())?.clicks).toBe(2);
    expect((await request(env.url).get('/r/ZZZZZZZZ')).status).toBe(404);

    // A day later the branch reads the click: the one who tapped takes "yes", the other "no".
    vc.set(new Date(start.getTime() + DAY + 60_000));
    await tick(env, vc.now);
    await tick(env, vc.now);
    expect(await tagsOf(members[0].memberId)).toContain('點過連結');
    expect(await tagsOf(members[0].memberId)).not.toContain('沒點連結');
    expect(await tagsOf(members[1].memberId)).toContain('沒點連結');
    expect(await JourneyRun.countDocuments({ journeyId: id, status: 'active' })).toBe(0);

    // Journey step stats count the code's clicks.
    const marketer = await loginAs(env, 'marketer');
    const stats = await marketer.agent.get(`/api/console/journeys/${id}/stats`).expect(200);
    expect(stats.body.steps[0]).toMatchObject({ stepId: 'hello', sent: 2, clicked: 2 });
  });

  it('a multicast text shows the host line above the shared link, which redirects with the step UTM', async () => {
    const { members } = await startJourney('link', 2);
    const sent = env.local.emulator!.messagesFor(members[0].lineUserId)[0];
    expect(sent.via).toBe('multicast');
    const text = String(sent.message.text);
    expect(text).toMatch(/^春季新品\nshop\.example\.com › spring\nhttp:\/\/\S+\/r\/[A-Za-z0-9_-]{10}$/);
    const res = await request(env.url).get(new URL(/http:\/\/\S+/.exec(text)![0]).pathname);
    expect(res.status).toBe(302);
    expect(new URL(res.headers.location).searchParams.get('utm_content')).toBe('hello');
    expect(new URL(res.headers.location).searchParams.get('utm_medium')).toBe('journey');
    expect(await LinkCode.countDocuments()).toBe(0);
  });

  it('a journey named only in Chinese gets utm_campaign journey-<id>', async () => {
    const view = await createJourney({ ...body('link'), name: '春季旅程' }, 'tester');
    const link = (await TrackedLink.findOne({}).lean())!;
    expect(link).toMatchObject({ journeyId: expect.anything(), stepId: 'hello' });
    const res = await request(env.url).get(`/r/${link._id}`).expect(302);
    expect(new URL(res.headers.location).searchParams.get('utm_campaign')).toBe(`journey-${view.id.slice(-6)}`);
  });

  it('the editor preview shows the host line and a short-link placeholder of the real length; bad input is a zh-TW 400', async () => {
    const member = previewJourneyStep(
      { messages: [{ type: 'text', text: `春季新品 ${DEST}` }], linkTracking: 'member' },
      'https://huigo.example.com.tw',
    );
    expect(member.messages[0]).toEqual({
      type: 'text',
      text: '春季新品\nshop.example.com › spring\nhttps://huigo.example.com.tw/r/CCCCCCCC',
    });

    const marketer = await loginAs(env, 'marketer');
    const res = await marketer.agent
      .post('/api/console/journeys/preview-step')
      .set('X-CSRF-Token', marketer.csrf)
      .send({ messages: [{ type: 'text', text: `看看 ${DEST}` }] })
      .expect(200);
    expect(String(res.body.messages[0].text)).toMatch(/^看看\nshop\.example\.com › spring\nhttp:\/\/\S+\/r\/L{10}$/);

    const bad = await marketer.agent
      .post('/api/console/journeys/preview-step')
      .set('X-CSRF-Token', marketer.csrf)
      .send({ messages: [] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error)).toContain('至少一則訊息');
    expect(await TrackedLink.countDocuments()).toBe(0);
  });
});
