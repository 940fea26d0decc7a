import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LineLogin } from '../../../domain/auth/line-login';
import { clearIdTokenCache, verifyLiffIdToken } from '../../../domain/auth/id-token.service';
import { createLineLogin } from '../../../server/line-login';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';

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
      const upstream = http.request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
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
    await expect(verifyLiffIdToken(login, idToken, new Date(exp * 1000 + 1))).rejects.toMatchObject({ code: 'invalid_token', status: 401 });
  });

  it('does not cache rejections: a bad token is checked every time and never becomes valid', async () => {
    const { idToken } = await env.emulator.idToken(userId, { channelId: '42' });
    await expect(verifyLiffIdToken(login, idToken, new Date())).rejects.toMatchObject({ code: 'invalid_token' });
    await expect(verifyLiffIdToken(login, idToken, new Date())).rejects.toMatchObject({ code: 'invalid_token' });
    expect(calls).toBe(2);
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
    await expect(verifyLiffIdToken(down, idToken, new Date())).rejects.toMatchObject({ code: 'auth_unavailable', status: 503 });
  });
});
