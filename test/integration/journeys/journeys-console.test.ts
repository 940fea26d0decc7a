import { JourneyRun } from '../../../models/journey.model';
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
