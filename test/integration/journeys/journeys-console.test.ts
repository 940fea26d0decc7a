import { CouponTemplate } from '../../../models/coupon-template.model';
import { Journey, JourneyRun } from '../../../models/journey.model';
import { loginAs } from '../../factories/console.factory';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { seedFollowers } from '../campaigns/fixtures';
import { templates } from './journey-fixtures';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env?.close());
beforeEach(() => env.resetDb());

describe('#15.5 console journeys API', () => {
  it('creates, lists, pauses, resumes; refuses bad input in zh-TW; deleting with members asks what to do', async () => {
    const s = await loginAs(env, 'admin');
    const bad = await s.agent
      .post('/api/console/journeys')
      .set('X-CSRF-Token', s.csrf)
      .send({ name: '', trigger: { type: 'followed' }, steps: [] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('請輸入旅程名稱');
    expect((await s.agent.get('/api/console/journeys')).body.journeys).toEqual([]);

    const all = await templates(env);
    const created = await s.agent
      .post('/api/console/journeys')
      .set('X-CSRF-Token', s.csrf)
      .send({ ...all.welcome, status: 'active' });
    expect(created.status).toBe(201);
    const id = created.body.journey.id;
    const list = (await s.agent.get('/api/console/journeys')).body.journeys;
    expect(list).toMatchObject([{ id, status: 'active', triggerType: 'consent_accepted' }]);

    const [m] = await seedFollowers(env, 1);
    await JourneyRun.create({
      journeyId: id,
      memberId: m.memberId,
      slot: 'current',
      stepId: 'day2',
      enteredAt: new Date(),
    });
    expect(
      (await s.agent.post(`/api/console/journeys/${id}/pause`).set('X-CSRF-Token', s.csrf)).body.journey.status,
    ).toBe('paused');
    expect((await JourneyRun.findOne({ journeyId: id }).lean())!.status).toBe('paused');
    expect(
      (await s.agent.post(`/api/console/journeys/${id}/resume`).set('X-CSRF-Token', s.csrf)).body.journey.status,
    ).toBe('active');

    const refused = await s.agent.delete(`/api/console/journeys/${id}`).set('X-CSRF-Token', s.csrf);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('還有 1 位會員');
    const done = await s.agent.delete(`/api/console/journeys/${id}?members=exit`).set('X-CSRF-Token', s.csrf);
    expect(done.body).toEqual({ exited: 1 });
    expect((await s.agent.get(`/api/console/journeys/${id}`)).status).toBe(404);
  });
});

describe('#15.5 journey templates for "create from a template"', () => {
  it('offers every template filled with the newest coupon template; a journey made from one remembers it', async () => {
    const s = await loginAs(env, 'marketer');
    await templates(env);
    const newest = await CouponTemplate.findOne({}, { _id: 1 }).sort({ createdAt: -1 }).lean();
    const res = await s.agent.get('/api/console/journeys/templates').expect(200);
    const keys = res.body.templates.map((x: { key: string }) => x.key);
    expect(keys).toEqual(['welcome', 'post_purchase', 'win_back', 'points_expiring', 'tier_upgrade', 'birthday_month']);
    const welcome = res.body.templates[0].journey;
    expect(welcome.name).toContain('歡迎');
    expect(welcome.steps.find((x: { type: string }) => x.type === 'coupon').templateId).toBe(String(newest!._id));

    const created = await s.agent
      .post('/api/console/journeys?template=welcome')
      .set('X-CSRF-Token', s.csrf)
      .send(welcome)
      .expect(201);
    expect(created.body.journey).toMatchObject({ template: 'welcome', status: 'draft' });
  });

  it('refuses an unknown template in zh-TW and stores nothing', async () => {
    const s = await loginAs(env, 'marketer');
    const all = await templates(env);
    const res = await s.agent
      .post('/api/console/journeys?template=nope')
      .set('X-CSRF-Token', s.csrf)
      .send(all.welcome)
      .expect(400);
    expect(JSON.stringify(res.body)).toContain('沒有這個旅程範本');
    expect(await Journey.countDocuments()).toBe(0);
  });
});
