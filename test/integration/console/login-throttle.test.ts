import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { AuditLog } from '../../../models/audit-log.model';
import { createConsoleUser } from '../../../domain/staff/user.service';
import { createApp } from '../../../server/app';
import { loginAs } from '../../factories/console.factory';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';

let env: TestEnv;
let second: http.Server;
let secondUrl: string;
let now = new Date('2025-06-01T02:00:00Z');
const later = (ms: number) => {
  now = new Date(now.getTime() + ms);
};

beforeAll(async () => {
  // The proxy in front of the tests is loopback: X-Forwarded-For then names the client, as behind a load balancer.
  env = await startTestEnv({ clock: () => now, env: { TRUST_PROXY: 'loopback' } });
  // A second instance on the same database: the throttle must not live in one process's memory.
  second = http.createServer(createApp(env.deps));
  await new Promise<void>((resolve) => second.listen(0, '127.0.0.1', resolve));
  secondUrl = `http://127.0.0.1:${(second.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => second.close(() => resolve()));
  await env.close();
});

const login = (username: string, password: string, ip: string, base = env.url) =>
  request(base).post('/api/console/auth/login').set('X-Forwarded-For', ip).send({ username, password });

async function user(username: string) {
  return (
    await createConsoleUser({ username, displayName: username, role: 'staff', password: 'the real password' }, now)
  ).user;
}

describe('#12.2 login throttle per account and IP', () => {
  it('five wrong passwords from one IP do not stop the right password from another IP', async () => {
    await user('mei.lin');
    for (let i = 0; i < 5; i++) await login('mei.lin', `wrong guess ${i}`, '203.0.113.10').expect(401);
    const locked = await login('mei.lin', 'the real password', '203.0.113.10').expect(429);
    expect(locked.body.error).toMatchObject({
      code: 'login_throttled',
      message: '登入失敗次數過多，請 1 分鐘後再試。',
      details: { retryAfterSeconds: 60 },
    });
    await login('mei.lin', 'the real password', '198.51.100.7').expect(200);
    // The lock is in the database: the other instance refuses the failing IP too.
    await login('mei.lin', 'the real password', '203.0.113.10', secondUrl).expect(429);
  });

  it('a correct login after the backoff from the failing IP works; each further failure doubles the wait', async () => {
    await user('backoff');
    const ip = '203.0.113.20';
    for (let i = 0; i < 5; i++) await login('backoff', `wrong guess ${i}`, ip, i % 2 ? secondUrl : env.url).expect(401);
    later(61_000);
    await login('backoff', 'still wrong!', ip).expect(401); // 6th failure: 2 minutes
    later(61_000);
    expect((await login('backoff', 'the real password', ip).expect(429)).body.error.details.retryAfterSeconds).toBe(59);
    later(60_000);
    await login('backoff', 'the real password', ip).expect(200);
    // Success forgot the failures: the next wrong password is the first again, not a lock.
    await login('backoff', 'wrong again', ip).expect(401);
    await login('backoff', 'the real password', ip).expect(200);
  });

  it('keeps a per-IP limit across accounts, without touching other IPs', async () => {
    await user('bystander');
    const sprayer = '203.0.113.30';
    for (let i = 0; i < 30; i++) await login(`name-${i}`, 'password123', sprayer).expect(401);
    const refused = await login('bystander', 'the real password', sprayer).expect(429);
    expect(refused.body.error.code).toBe('login_throttled');
    await login('bystander', 'the real password', '198.51.100.30').expect(200);
  });

  it('records the lockout in the audit log, and an admin can unlock the account from the users page API', async () => {
    const target = await user('locked.out');
    const ip = '203.0.113.40';
    for (let i = 0; i < 5; i++) await login('locked.out', `wrong guess ${i}`, ip).expect(401);
    const entry = await AuditLog.findOne({ action: 'auth.login.locked', targetLabel: 'locked.out' }).lean();
    expect(entry).toMatchObject({ ip, actorId: 'anonymous', details: { failures: 5, lockedForSeconds: 60 } });
    expect(JSON.stringify(entry)).not.toContain('wrong guess');

    const admin = await loginAs(env, 'admin');
    const listed = await admin.agent.get('/api/console/users').expect(200);
    expect(listed.body.users.find((u: { id: string }) => u.id === target.id).signInLock).toMatchObject({
      ips: 1,
      until: new Date(now.getTime() + 60_000).toISOString(),
    });

    const staff = await loginAs(env, 'staff');
    await staff.agent.post(`/api/console/users/${target.id}/unlock`).set('X-CSRF-Token', staff.csrf).expect(403);
    await admin.agent
      .post('/api/console/users/0123456789abcdef01234567/unlock')
      .set('X-CSRF-Token', admin.csrf)
      .expect(404);
    await admin.agent.post(`/api/console/users/${target.id}/unlock`).set('X-CSRF-Token', admin.csrf).expect(200);
    expect(await AuditLog.countDocuments({ action: 'user.unlock', targetId: target.id, actorId: admin.userId })).toBe(
      1,
    );
    await login('locked.out', 'the real password', ip).expect(200);
    expect(
      (await admin.agent.get('/api/console/users').expect(200)).body.users.find(
        (u: { id: string }) => u.id === target.id,
      ).signInLock,
    ).toBeNull();
  });
});
