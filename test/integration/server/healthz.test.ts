import request from 'supertest';
import { rootLogger } from '../../../domain/shared/logger';
import { createApp } from '../../../server/app';
import { loadConfig } from '../../../server/config';
import { createAppDeps } from '../../../server/deps';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';

const OPERATOR_TOKEN = 'op-'.repeat(12);

/** /healthz: `status` for everyone; the deployment's details only in local mode or with the operator token. */
describe('#12.11 /healthz keeps details for operators', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv();
  });
  afterAll(() => env.close());

  const production = (extra: Record<string, string> = {}) =>
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
            SESSION_SECRET: 's'.repeat(40),
            ERASURE_HMAC_SECRET: 'e'.repeat(40),
            LINE_API_BASE_URL: 'https://line-proxy.internal.example',
            ...extra,
          },
          { dotenv: false },
        ),
        { messenger: env.deps.messenger, clock: () => new Date(), logger: rootLogger },
      ),
    );

  it('in production shows only the status to anyone, and to a wrong token', async () => {
    const anon = await request(production({ OPERATOR_TOKEN })).get('/healthz').expect(200);
    expect(anon.body).toEqual({ status: 'ok' });
    expect(JSON.stringify(anon.body)).not.toContain('line-proxy');
    const wrong = await request(production({ OPERATOR_TOKEN }))
      .get('/healthz')
      .set('Authorization', `Bearer ${'x'.repeat(36)}`)
      .expect(200);
    expect(wrong.body).toEqual({ status: 'ok' });
    const noTokenConfigured = await request(production()).get('/healthz').set('Authorization', 'Bearer ').expect(200);
    expect(noTokenConfigured.body).toEqual({ status: 'ok' });
  });

  it('shows the details with the operator token, and always in local mode', async () => {
    const op = await request(production({ OPERATOR_TOKEN }))
      .get('/healthz')
      .set('Authorization', `Bearer ${OPERATOR_TOKEN}`)
      .expect(200);
    expect(op.body).toEqual({
      status: 'ok',
      mode: 'production',
      db: 'connected',
      line: { mode: 'line', baseURL: 'https://line-proxy.internal.example' },
    });
    const local = await request(env.url).get('/healthz').expect(200);
    expect(local.body).toMatchObject({
      status: 'ok',
      mode: 'local',
      db: 'connected',
      line: { mode: 'emulator', baseURL: env.local.emulator!.baseURL },
    });
  });

  it('refuses an operator token shorter than 32 characters', () => {
    expect(() => loadConfig({ OPERATOR_TOKEN: 'short' }, { dotenv: false })).toThrow(/OPERATOR_TOKEN/);
  });
});
