import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { LineLogin } from '../../../domain/auth/line-login';
import { clearIdTokenCache, verifyLiffIdToken } from '../../../domain/auth/id-token.service';
import { createLineLogin } from '../../../server/line-login';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { createLiffMember } from '../../factories/liff-member.factory';

/**
 * verifyLiffIdToken against the emulator's LINE Login verify endpoint, seen through a counting forwarder so the
 * test can tell a cached answer from a round trip.
 */
describe('verifyLiffIdToken', () => {
  let env: TestEnv;
  let forwarder: http.Server;
  let calls = 0;
  let login: LineLogin;
  let userId: string;

  beforeAll(async () => {
    env = await startTestEnv();
    userId = (await env.emulator.createUser('王小明')).userId;
    const target = new URL(env.config.line.loginBaseURL);
    forwarder = http.createServer((req, res) => {
      calls++;
      const upstream = http.request(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => forwarder.listen(0, '127.0.0.1', resolve));
    const port = (forwarder.address() as AddressInfo).port;
    login = createLineLogin({ baseURL: `http://127.0.0.1:${port}`, channelId: env.config.line.liffChannelId });
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => forwarder.close(() => resolve()));
    await env.close();
  });
  beforeEach(() => {
    clearIdTokenCache();
    calls = 0;
  });

  it('returns sub, name and exp, and reuses the verification until exp', async () => {
    const { idToken, exp } = await env.emulator.idToken(userId, { ttlSeconds: 600 });
    const now = new Date();
    const first = await verifyLiffIdToken(login, idToken, now);
    expect(first).toEqual({ sub: userId, name: '王小明', exp });
    expect(calls).toBe(1);
    await verifyLiffIdToken(login, idToken, new Date(exp * 1000 - 1000));
    expect(calls).toBe(1);
  });

  it('refuses a cached token once its exp has passed, without trusting the cache', async () => {
    const { idToken, exp } = await env.emulator.idToken(userId, { ttlSeconds: 600 });
    await verifyLiffIdToken(login, idToken, new Date());
    await expect(verifyLiffIdToken(login, idToken, new Date(exp * 1000 + 1))).rejects.toMatchObject({
      code: 'invalid_token',
      status: 401,
    });
  });

  it('rejects malformed tokens without calling LINE', async () => {
    for (const token of ['', 'abc', 'a.b', `${'x'.repeat(5000)}.y.z`]) {
      await expect(verifyLiffIdToken(login, token, new Date())).rejects.toMatchObject({ status: 401 });
    }
    expect(calls).toBe(0);
  });

  it('answers 503 auth_unavailable (not 401) when LINE Login cannot be reached', async () => {
    const { idToken } = await env.emulator.idToken(userId);
    const down = createLineLogin({ baseURL: 'http://127.0.0.1:1', channelId: env.config.line.liffChannelId });
    await expect(verifyLiffIdToken(down, idToken, new Date())).rejects.toMatchObject({
      code: 'auth_unavailable',
      status: 503,
    });
  });
});

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
/** A JWT-shaped token with the given claims and a signature nobody can verify. */
const unsigned = (claims: Record<string, unknown>) =>
  `${b64({ typ: 'JWT', alg: 'HS256' })}.${b64(claims)}.${createHmac('sha256', 'attacker').update('x').digest('base64url')}`;

describe('#12.4 LIFF token checks: junk refused locally, refusals cached, per-IP limit', () => {
  let env: TestEnv;
  let forwarder: http.Server;
  let verifyCalls = 0;
  let now = new Date();
  let userId: string;

  beforeAll(async () => {
    env = await startTestEnv({ clock: () => now, env: { TRUST_PROXY: 'loopback', LIFF_TOKEN_CHECKS_PER_MINUTE: '8' } });
    userId = (await createLiffMember(env, { displayName: '林小美' })).userId;
    // The emulator's verify endpoint behind a counter; the running app is pointed at it.
    const target = new URL(env.config.line.loginBaseURL);
    forwarder = http.createServer((req, res) => {
      if (req.url === '/oauth2/v2.1/verify') verifyCalls++;
      const upstream = http.request(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => forwarder.listen(0, '127.0.0.1', resolve));
    env.deps.lineLogin = createLineLogin({
      baseURL: `http://127.0.0.1:${(forwarder.address() as AddressInfo).port}`,
      channelId: env.config.line.liffChannelId,
    });
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => forwarder.close(() => resolve()));
    await env.close();
  });
  beforeEach(() => {
    clearIdTokenCache();
    verifyCalls = 0;
  });

  const me = (token: string, ip = '203.0.113.1') =>
    request(env.url).get('/api/member/me').set('X-Forwarded-For', ip).set('Authorization', `Bearer ${token}`);
  const exp = () => Math.floor(now.getTime() / 1000) + 600;

  it('refuses malformed tokens (shape, JSON, aud of another channel, exp past) without calling LINE Login', async () => {
    const aud = env.config.line.liffChannelId;
    const junk = [
      'abc',
      'a.b.c',
      `${b64({ alg: 'HS256' })}.bm90IGpzb24.c2ln`,
      unsigned({ sub: userId, aud: '42', exp: exp() }),
      unsigned({ sub: userId, aud, exp: Math.floor(now.getTime() / 1000) - 1 }),
      unsigned({ sub: userId, aud }),
      (await env.emulator.idToken(userId, { channelId: '42' })).idToken,
    ];
    for (const [i, token] of junk.entries()) {
      const res = await me(token, `198.51.100.${i + 1}`);
      expect([i, res.status, res.body.error.code]).toEqual([i, 401, 'invalid_token']);
    }
    expect(verifyCalls).toBe(0);
  });

  it("caches LINE's refusal briefly: a forged token costs one call a minute, not one per request", async () => {
    const forged = unsigned({
      iss: 'https://access.line.me',
      sub: userId,
      aud: env.config.line.liffChannelId,
      exp: exp(),
    });
    for (let i = 0; i < 3; i++) await me(forged).expect(401);
    expect(verifyCalls).toBe(1);
    now = new Date(now.getTime() + 61_000);
    await me(forged).expect(401);
    expect(verifyCalls).toBe(2);
  });

  it('limits unverified token checks per IP with a 429 in zh-TW; other IPs and verified members are not affected', async () => {
    const { idToken } = await env.emulator.idToken(userId);
    await me(idToken, '203.0.113.50').expect(200); // the 1st check of the minute; then served from the cache
    for (let i = 0; i < 7; i++) await me(`junk.token.${i}`, '203.0.113.50').expect(401);
    const limited = await me('junk.token.again', '203.0.113.50').expect(429);
    expect(limited.body.error).toMatchObject({
      code: 'too_many_token_checks',
      message: '登入驗證太頻繁了，請稍等一分鐘再開啟會員卡。',
    });
    expect(limited.body.error.details.retryAfterSeconds).toBeGreaterThan(0);
    const callsBefore = verifyCalls;
    await me(unsigned({ sub: userId, aud: env.config.line.liffChannelId, exp: exp() }), '203.0.113.50').expect(429);
    expect(verifyCalls).toBe(callsBefore);
    await me(idToken, '203.0.113.50').expect(200);
    await me('junk.token.elsewhere', '203.0.113.51').expect(401);
    now = new Date(now.getTime() + 60_000);
    await me('junk.token.later', '203.0.113.50').expect(401);
  });
});
