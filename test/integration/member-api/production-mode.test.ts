import request from 'supertest';
import { createApp } from '../../../server/app';
import { loadConfig } from '../../../server/config';
import { createAppDeps } from '../../../server/deps';
import { createLineMessenger } from '../../../server/line-messenger';
import { rootLogger } from '../../../domain/shared/logger';

/** In production the card runs real LIFF: no mock mode, and the emulator login endpoints do not exist. */
describe('member API in production mode', () => {
  const config = loadConfig(
    {
      NODE_ENV: 'production',
      MONGODB_URI: 'mongodb://127.0.0.1:1/huigo',
      LINE_CHANNEL_SECRET: 's',
      LINE_CHANNEL_ACCESS_TOKEN: 't',
      LIFF_ID: '2000000000-AbCdEfGh',
      LINE_LOGIN_CHANNEL_ID: '2000000000',
      PUBLIC_BASE_URL: 'https://member.example.com',
      SESSION_SECRET: 'x'.repeat(40),
      ERASURE_HMAC_SECRET: 'e'.repeat(40),
      LINE_BOT_BASIC_ID: '@huigo-shop',
    },
    { dotenv: false },
  );
  const app = createApp(
    createAppDeps(config, {
      messenger: createLineMessenger({ channelAccessToken: 't' }),
      clock: () => new Date(),
      logger: rootLogger,
    }),
  );

  it('serves the real LIFF id, mock off, and the real add-friend link', async () => {
    const res = await request(app).get('/api/member/config');
    expect(res.body).toEqual({
      liffId: '2000000000-AbCdEfGh',
      mock: false,
      addFriendUrl: 'https://line.me/R/ti/p/%40huigo-shop',
      botBasicId: '@huigo-shop',
      timeZone: 'Asia/Taipei',
    });
  });

  it('has no dev login: asking for emulator users or tokens needs a real ID token', async () => {
    expect((await request(app).get('/api/member/dev/users')).status).toBe(401);
    const res = await request(app)
      .post('/api/member/dev/id-token')
      .send({ userId: `U${'0'.repeat(32)}` });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('missing_token');
  });
});
