import request from 'supertest';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';

/** The whole loop over real HTTP both ways: emulator → signed webhook → app → @line/bot-sdk → emulator inbox. */
describe('webhook smoke test', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv();
  });
  afterAll(async () => {
    await env.close();
  });

  it('answers /healthz with mode, db and line', async () => {
    const res = await request(env.url).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'ok',
      mode: 'local',
      db: 'connected',
      line: { mode: 'emulator', baseURL: env.local.emulator!.baseURL },
    });
  });

  it('a text message typed by an emulator user gets a reply in their inbox', async () => {
    const user = await env.emulator.createUser('小明');
    const sent = await env.emulator.text(user.userId, '你好');
    expect(sent.webhookStatus).toBe(200);
    const inbox = await env.emulator.messages(user.userId, 1);
    expect(inbox.length).toBeGreaterThanOrEqual(1);
    const first = inbox[0];
    expect(['reply', 'push']).toContain(first.via);
    expect(first.message.type).toBeDefined();
  });

  it('an unknown route is a JSON 404', async () => {
    const res = await request(env.url).get('/no/such/route');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});
