import { createJourney } from '../../../domain/journeys/journey.service';
import { runDueJourneySteps } from '../../../domain/journeys/journey-engine.service';
import { journeyDepsOf } from '../../../jobs/journeys.job';
import { JourneyRun } from '../../../models/journey.model';
import { Member } from '../../../models/member.model';
import { loginAs } from '../../factories/console.factory';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { seedFollowers, taipei } from '../campaigns/fixtures';
import { virtualClock } from './journey-fixtures';

const start = taipei('2025-04-07T10:00:00');
const vc = virtualClock(start);
let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv({ clock: vc.clock });
});
afterAll(() => env?.close());
beforeEach(async () => {
  await env.resetDb();
  env.local.emulator!.reset();
  vc.set(start);
});

const text = (t: string) => ({ type: 'text' as const, text: t });

async function tagJourney(name: string, change: 'added' | 'removed', tag: string, message: string) {
  return createJourney(
    {
      name,
      trigger: { type: 'tag_changed', change, tag },
      steps: [{ id: 'hello', type: 'message', messages: [text(message)] }],
      options: { frequencyCap: null },
      status: 'active',
    },
    'tester',
  );
}

const runsOf = (journeyId: string) => JourneyRun.find({ journeyId }, { memberId: 1, entryRef: 1 }).lean();

describe('#15.1 tag added / tag removed triggers', () => {
  it('a tag staff add in the console enters the "tag added" journey once; removing it enters the "tag removed" one', async () => {
    const [m] = await seedFollowers(env, 1);
    const added = await tagJourney('VIP 歡迎', 'added', 'VIP', '歡迎成為 VIP！');
    const removed = await tagJourney('VIP 再見', 'removed', 'VIP', '期待您再回來！');
    const other = await tagJourney('其他標籤', 'added', '學生', '學生專屬優惠');
    const s = await loginAs(env, 'admin');

    const res = await s.agent
      .post(`/api/console/members/${m.memberId}/tags`)
      .set('X-CSRF-Token', s.csrf)
      .send({ tags: ['VIP'] });
    expect(res.body).toEqual({ added: ['VIP'] });
    expect(await runsOf(added.id)).toMatchObject([{ memberId: m.memberId, entryRef: 'tag:added:VIP' }]);
    expect(await runsOf(other.id)).toEqual([]);
    // Adding a tag the member already has changes nothing and enters nothing again.
    await s.agent
      .post(`/api/console/members/${m.memberId}/tags`)
      .set('X-CSRF-Token', s.csrf)
      .send({ tags: ['VIP'] });
    expect(await JourneyRun.countDocuments({ journeyId: added.id })).toBe(1);
    expect(await runsOf(removed.id)).toEqual([]);

    const del = await s.agent.delete(`/api/console/members/${m.memberId}/tags/VIP`).set('X-CSRF-Token', s.csrf);
    expect(del.body).toEqual({ removed: true });
    expect(await runsOf(removed.id)).toMatchObject([{ memberId: m.memberId, entryRef: 'tag:removed:VIP' }]);
    // Removing a tag the member no longer has enters nothing.
    await s.agent.delete(`/api/console/members/${m.memberId}/tags/VIP`).set('X-CSRF-Token', s.csrf);
    expect(await JourneyRun.countDocuments({ journeyId: removed.id })).toBe(1);

    await runDueJourneySteps(journeyDepsOf(env.deps), start);
    const texts = env.local.emulator!.messagesFor(m.lineUserId).map((e) => e.message.text);
    expect(texts).toEqual(['歡迎成為 VIP！', '期待您再回來！']);
  });

  it('a bad tag is refused in zh-TW and enters nothing', async () => {
    const [m] = await seedFollowers(env, 1);
    const added = await tagJourney('VIP 歡迎', 'added', 'VIP', '歡迎成為 VIP！');
    const s = await loginAs(env, 'admin');
    const res = await s.agent
      .post(`/api/console/members/${m.memberId}/tags`)
      .set('X-CSRF-Token', s.csrf)
      .send({ tags: ['x'.repeat(200)] });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toMatch(/[\u4e00-\u9fff]/);
    expect((await Member.findById(m.memberId, { tags: 1 }).lean())!.tags ?? []).toEqual([]);
    expect(await runsOf(added.id)).toEqual([]);
  });

  it("a journey's own tag step enters the journeys that tag triggers", async () => {
    const [m] = await seedFollowers(env, 1);
    const tagger = await createJourney(
      {
        name: '貼標旅程',
        trigger: { type: 'consent_accepted' },
        steps: [{ id: 'tag', type: 'tags', add: ['回購客'], remove: [] }],
        options: {},
        status: 'active',
      },
      'tester',
    );
    const follow = await tagJourney('回購客關懷', 'added', '回購客', '謝謝您再次光臨！');
    await JourneyRun.create({
      journeyId: tagger.id,
      memberId: m.memberId,
      lineUserId: m.lineUserId,
      slot: 'current',
      status: 'active',
      stepId: 'tag',
      nextRunAt: start,
      scheduledAt: start,
      enteredAt: start,
    });
    await runDueJourneySteps(journeyDepsOf(env.deps), start);
    expect((await Member.findById(m.memberId, { tags: 1 }).lean())!.tags!.map((t) => t.tag)).toEqual(['回購客']);
    expect(await runsOf(follow.id)).toMatchObject([{ memberId: m.memberId, entryRef: 'tag:added:回購客' }]);
    // The entered run's step was due at once: the same tick sent it.
    expect(env.local.emulator!.messagesFor(m.lineUserId).map((e) => e.message.text)).toEqual(['謝謝您再次光臨！']);
  });
});
