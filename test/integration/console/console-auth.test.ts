import request from 'supertest';
import { AuditLog } from '../../../models/audit-log.model';
import { ConsoleSession } from '../../../models/console-session.model';
import { ConsoleUser } from '../../../models/console-user.model';
import { createConsoleUser } from '../../../domain/staff/user.service';
import { loginAs, buildMember } from '../../factories/console.factory';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';

let env: TestEnv;
let now = new Date('2025-06-01T02:00:00Z');

beforeAll(async () => {
  env = await startTestEnv({ clock: () => now });
});
afterAll(() => env.close());

describe('console sign-in and sessions', () => {
  it('signs in with an httpOnly, SameSite=Strict cookie and stores only a hash of the token', async () => {
    await createConsoleUser(
      { username: 'mei', displayName: '美', role: 'marketer', password: 'correct horse battery' },
      now,
    );
    const res = await request(env.url)
      .post('/api/console/auth/login')
      .send({ username: 'MEI', password: 'correct horse battery' })
      .expect(200);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/huigo_console=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(res.body.user).toMatchObject({ username: 'mei', role: 'marketer' });
    expect(res.body.user.passwordHash).toBeUndefined();
    expect(res.body.csrfToken).toEqual(expect.any(String));
    const token = decodeURIComponent(/huigo_console=([^;]+)/.exec(cookie)![1]);
    expect(await ConsoleSession.countDocuments({ tokenHash: token })).toBe(0);
    const stored = await ConsoleUser.findOne({ username: 'mei' }).select('+passwordHash').lean();
    expect(stored!.passwordHash).toMatch(/^scrypt\$/);
    expect(stored!.passwordHash).not.toContain('correct horse');
  });

  it('answers 401 without a session and after logout', async () => {
    await request(env.url).get('/api/console/members').expect(401);
    await request(env.url).get('/api/console/auth/session').expect(401);
    const s = await loginAs(env, 'marketer');
    await s.agent.get('/api/console/auth/session').expect(200);
    await s.agent.post('/api/console/auth/logout').set('X-CSRF-Token', s.csrf).expect(200);
    const after = await s.agent.get('/api/console/members').expect(401);
    expect(after.body.error.code).toBe('unauthorized');
  });

  it('refuses wrong passwords without saying whether the account exists', async () => {
    const a = await request(env.url)
      .post('/api/console/auth/login')
      .send({ username: 'mei', password: 'wrong password!' })
      .expect(401);
    const b = await request(env.url)
      .post('/api/console/auth/login')
      .send({ username: 'nobody-here', password: 'wrong password!' })
      .expect(401);
    expect(a.body.error).toEqual(b.body.error);
    await request(env.url).post('/api/console/auth/login').send({ username: '', password: '' }).expect(400);
  });

  it('locks an account after 5 failures, across requests, until the window passes', async () => {
    await createConsoleUser(
      { username: 'target', displayName: 'T', role: 'staff', password: 'the real password' },
      now,
    );
    for (let i = 0; i < 5; i++)
      await request(env.url)
        .post('/api/console/auth/login')
        .send({ username: 'target', password: `guess ${i} guess` })
        .expect(401);
    const locked = await request(env.url)
      .post('/api/console/auth/login')
      .send({ username: 'target', password: 'the real password' })
      .expect(429);
    expect(locked.body.error.code).toBe('login_throttled');
    expect(locked.body.error.details.retryAfterSeconds).toBeGreaterThan(0);
    now = new Date(now.getTime() + 31 * 60 * 1000);
    await request(env.url)
      .post('/api/console/auth/login')
      .send({ username: 'target', password: 'the real password' })
      .expect(200);
  });

  it('expires idle sessions', async () => {
    const s = await loginAs(env, 'marketer');
    await s.agent.get('/api/console/auth/session').expect(200);
    now = new Date(now.getTime() + 13 * 60 * 60 * 1000);
    await s.agent.get('/api/console/auth/session').expect(401);
  });
});

describe('CSRF', () => {
  it('refuses a state-changing request without the token (403) and with a wrong one', async () => {
    const s = await loginAs(env, 'marketer');
    const member = await buildMember();
    const missing = await s.agent
      .post(`/api/console/members/${member.id}/notes`)
      .send({ body: '喜歡拿鐵' })
      .expect(403);
    expect(missing.body.error.code).toBe('csrf_failed');
    await s.agent
      .post(`/api/console/members/${member.id}/notes`)
      .set('X-CSRF-Token', 'x'.repeat(s.csrf.length))
      .send({ body: '喜歡拿鐵' })
      .expect(403);
    await s.agent
      .post(`/api/console/members/${member.id}/notes`)
      .set('X-CSRF-Token', s.csrf)
      .send({ body: '喜歡拿鐵' })
      .expect(201);
  });
});

describe('role boundaries', () => {
  it('staff cannot reach campaigns, segments, members list, imports or user admin', async () => {
    const staff = await loginAs(env, 'staff');
    for (const path of [
      '/api/console/campaigns',
      '/api/console/segments',
      '/api/console/members',
      '/api/console/imports',
      '/api/console/users',
      '/api/console/dashboard',
      '/api/console/audit',
    ]) {
      const res = await staff.agent.get(path);
      expect([path, res.status]).toEqual([path, 403]);
    }
    await staff.agent.post('/api/console/campaigns').set('X-CSRF-Token', staff.csrf).send({}).expect(403);
  });

  it('marketer cannot manage users, API keys, settings or read the audit log', async () => {
    const marketer = await loginAs(env, 'marketer');
    await marketer.agent.get('/api/console/users').expect(403);
    await marketer.agent
      .post('/api/console/users')
      .set('X-CSRF-Token', marketer.csrf)
      .send({ username: 'evil', displayName: 'x', role: 'admin' })
      .expect(403);
    await marketer.agent.get('/api/console/api-keys').expect(403);
    await marketer.agent.get('/api/console/settings/program').expect(403);
    await marketer.agent.get('/api/console/audit').expect(403);
    await marketer.agent.get('/api/console/members').expect(200);
    await marketer.agent.get('/api/console/dashboard').expect(200);
  });

  it('admin manages users: create with a generated password, change role, disable (signs them out)', async () => {
    const admin = await loginAs(env, 'admin');
    const created = await admin.agent
      .post('/api/console/users')
      .set('X-CSRF-Token', admin.csrf)
      .send({ username: 'counter.taipei', displayName: '台北門市', role: 'staff' })
      .expect(201);
    expect(created.body.generatedPassword).toMatch(/^\S{16}$/);
    const staffAgent = request.agent(env.url);
    await staffAgent
      .post('/api/console/auth/login')
      .send({ username: 'counter.taipei', password: created.body.generatedPassword })
      .expect(200);
    await staffAgent.get('/api/console/auth/session').expect(200);

    await admin.agent
      .patch(`/api/console/users/${created.body.user.id}`)
      .set('X-CSRF-Token', admin.csrf)
      .send({ status: 'disabled' })
      .expect(200);
    await staffAgent.get('/api/console/auth/session').expect(401);

    const bad = await admin.agent
      .post('/api/console/users')
      .set('X-CSRF-Token', admin.csrf)
      .send({ username: 'A B', displayName: '', role: 'boss' })
      .expect(400);
    expect(bad.body.error.details.fields.map((f: { path: string }) => f.path).sort()).toEqual([
      'displayName',
      'role',
      'username',
    ]);
    expect(await ConsoleUser.countDocuments({ username: 'a b' })).toBe(0);
  });

  it('never demotes the last active admin', async () => {
    await ConsoleUser.updateMany({ role: 'admin' }, { $set: { status: 'disabled' } });
    const admin = await loginAs(env, 'admin');
    const res = await admin.agent
      .patch(`/api/console/users/${admin.userId}`)
      .set('X-CSRF-Token', admin.csrf)
      .send({ role: 'staff' })
      .expect(409);
    expect(res.body.error.code).toBe('last_admin');
  });
});

describe('audit log', () => {
  it('records who did what to what, and when, for writes and sign-ins; never the password', async () => {
    const admin = await loginAs(env, 'admin', { displayName: '林管理' });
    const member = await buildMember();
    await admin.agent
      .post(`/api/console/members/${member.id}/tags`)
      .set('X-CSRF-Token', admin.csrf)
      .send({ tags: ['咖啡控'] })
      .expect(200);
    await admin.agent
      .post('/api/console/users')
      .set('X-CSRF-Token', admin.csrf)
      .send({ username: 'newbie', displayName: '新人', role: 'marketer', password: 'a-very-secret-pw' })
      .expect(201);

    const tagEntry = await AuditLog.findOne({ action: 'member.tag.add', targetId: member.id }).lean();
    expect(tagEntry).toMatchObject({
      actorId: admin.userId,
      actorName: '林管理',
      actorRole: 'admin',
      targetType: 'member',
      details: { tags: ['咖啡控'] },
    });
    expect(tagEntry!.at).toEqual(now);
    const userEntry = await AuditLog.findOne({ action: 'user.create', targetLabel: 'newbie' }).lean();
    expect(JSON.stringify(userEntry)).not.toContain('a-very-secret-pw');
    expect(await AuditLog.countDocuments({ action: 'auth.login', actorId: admin.userId })).toBe(1);
    expect(await AuditLog.countDocuments({ action: 'auth.login.failed' })).toBeGreaterThan(0);

    const listed = await admin.agent.get('/api/console/audit').query({ action: 'member.' }).expect(200);
    expect(listed.body.entries[0]).toMatchObject({
      action: 'member.tag.add',
      actorName: '林管理',
      target: { type: 'member', id: member.id },
    });
  });

  it('a failed write leaves no audit entry', async () => {
    const admin = await loginAs(env, 'admin');
    const before = await AuditLog.countDocuments({ actorId: admin.userId });
    await admin.agent
      .post('/api/console/members/000000000000000000000000/notes')
      .set('X-CSRF-Token', admin.csrf)
      .send({ body: 'x' })
      .expect(404);
    expect(await AuditLog.countDocuments({ actorId: admin.userId })).toBe(before);
  });
});
