import { createHmac } from 'node:crypto';
import request from 'supertest';
import { ConsoleSession } from '../../../models/console-session.model';
import { createConsoleUser } from '../../../domain/staff/user.service';
import { rootLogger } from '../../../domain/shared/logger';
import { createApp } from '../../../server/app';
import { loadConfig } from '../../../server/config';
import { createAppDeps } from '../../../server/deps';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';

/**
 * The console's production settings: Secure cookie, and session tokens stored as an HMAC keyed with SESSION_SECRET
 * (rotating the secret signs everybody out). The app is built with a production config over the test database.
 */
describe('console in production mode', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv();
    await createConsoleUser(
      { username: 'ops', displayName: '營運', role: 'admin', password: 'production password' },
      new Date(),
    );
  });
  afterAll(() => env.close());

  const appWith = (secret: string) =>
    createApp(
      createAppDeps(
        loadConfig(
          {
            NODE_ENV: 'production',
            MONGODB_URI: 'mongodb://127.0.0.1:1/unused',
            LINE_CHANNEL_SECRET: 's',
            LINE_CHANNEL_ACCESS_TOKEN: 't',
            LIFF_ID: '2000000000-AbCdEfGh',
            LINE_LOGIN_CHANNEL_ID: '2000000000',
            PUBLIC_BASE_URL: 'https://member.example.com',
            SESSION_SECRET: secret,
            ERASURE_HMAC_SECRET: 'e'.repeat(40),
          },
          { dotenv: false },
        ),
        { messenger: env.deps.messenger, clock: () => new Date(), logger: rootLogger },
      ),
    );

  it('sets a Secure cookie, stores an HMAC of the token, and a new SESSION_SECRET ends old sessions', async () => {
    const secret = 's'.repeat(40);
    const app = appWith(secret);
    const login = await request(app)
      .post('/api/console/auth/login')
      .send({ username: 'ops', password: 'production password' })
      .expect(200);
    const cookie = String(login.headers['set-cookie']);
    expect(cookie).toMatch(/; Secure/);
    const token = decodeURIComponent(/huigo_console=([^;]+)/.exec(cookie)![1]);
    expect(
      await ConsoleSession.countDocuments({ tokenHash: createHmac('sha256', secret).update(token).digest('hex') }),
    ).toBe(1);
    const sendCookie = `huigo_console=${encodeURIComponent(token)}`;
    await request(app).get('/api/console/auth/session').set('Cookie', sendCookie).expect(200);
    await request(appWith('r'.repeat(40)))
      .get('/api/console/auth/session')
      .set('Cookie', sendCookie)
      .expect(401);
  });
});
