import request from 'supertest';
import { AuditLog } from '../../../models/audit-log.model';
import { loadConfig } from '../../../server/config';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';

const failedLoginIp = async (env: TestEnv, forwardedFor: string) => {
  const username = `nobody-${Math.random().toString(36).slice(2, 8)}`;
  await request(env.url)
    .post('/api/console/auth/login')
    .set('X-Forwarded-For', forwardedFor)
    .send({ username, password: 'wrong password' })
    .expect(401);
  return (await AuditLog.findOne({ action: 'auth.login.failed', 'details.username': username }).lean())!.ip;
};

describe('#12.3 TRUST_PROXY decides whose X-Forwarded-For counts', () => {
  it('unset: X-Forwarded-For is ignored (the audit log and throttling see the socket address)', async () => {
    const env = await startTestEnv();
    try {
      const ip = await failedLoginIp(env, '203.0.113.99');
      expect(ip).not.toBe('203.0.113.99');
      expect(ip).toMatch(/127\.0\.0\.1$/);
    } finally {
      await env.close();
    }
  });

  it('a hop count or the proxy address: the client named by the proxy counts', async () => {
    for (const setting of ['1', '127.0.0.1, ::1', '127.0.0.0/8,::ffff:127.0.0.1']) {
      const env = await startTestEnv({ env: { TRUST_PROXY: setting } });
      try {
        expect([setting, await failedLoginIp(env, '203.0.113.99')]).toEqual([setting, '203.0.113.99']);
      } finally {
        await env.close();
      }
    }
  });

  it('a proxy list that does not include our peer leaves the header unbelieved', async () => {
    const env = await startTestEnv({ env: { TRUST_PROXY: '10.0.0.0/8' } });
    try {
      expect(await failedLoginIp(env, '203.0.113.99')).toMatch(/127\.0\.0\.1$/);
    } finally {
      await env.close();
    }
  });

  it('validates the setting in config, listing the problem', () => {
    const read = (TRUST_PROXY: string) => loadConfig({ TRUST_PROXY }, { dotenv: false }).trustProxy;
    expect(read('')).toBe(false);
    expect(read('false')).toBe(false);
    expect(read('2')).toBe(2);
    expect(read('10.0.0.0/8, 192.168.1.5,loopback')).toEqual(['10.0.0.0/8', '192.168.1.5', 'loopback']);
    expect(loadConfig({}, { dotenv: false }).trustProxy).toBe(false);
    for (const bad of ['true', '*', '99', '10.0.0.0/33', 'proxy.example.com', '1.2.3', ',']) {
      expect(() => loadConfig({ TRUST_PROXY: bad }, { dotenv: false })).toThrow(/TRUST_PROXY/);
    }
  });
});
