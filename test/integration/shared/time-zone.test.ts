import request from 'supertest';
import { loginAs } from '../../factories/console.factory';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';

/** The front ends format dates in the zone the server is configured with, which they learn from these responses. */
describe('the configured time zone reaches the card and the console', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv({ env: { TZ_APP: 'Asia/Tokyo' } });
  });
  afterAll(() => env.close());

  it('LIFF config', async () => {
    const res = await request(env.url).get('/api/member/config').expect(200);
    expect(res.body.timeZone).toBe('Asia/Tokyo');
  });

  it('console login and session', async () => {
    const s = await loginAs(env, 'staff');
    const session = await s.agent.get('/api/console/auth/session').expect(200);
    expect(session.body.timeZone).toBe('Asia/Tokyo');
    const login = await request(env.url)
      .post('/api/console/auth/login')
      .send({ username: s.username, password: s.password })
      .expect(200);
    expect(login.body.timeZone).toBe('Asia/Tokyo');
  });
});
