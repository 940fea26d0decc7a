import { createHmac } from 'node:crypto';
import request from 'supertest';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { createLiffMember, idTokenFor, type LiffMember } from '../../factories/liff-member.factory';

/** /api/member authenticates by LIFF ID token only: verified with LINE Login (the emulator), mapped by `sub`. */
describe('member API authentication', () => {
  let env: TestEnv;
  let alice: LiffMember;
  let bob: LiffMember;

  beforeAll(async () => {
    env = await startTestEnv();
    alice = await createLiffMember(env, { displayName: '林小美', coupons: ['滿千折百'] });
    bob = await createLiffMember(env, { displayName: '陳大文', coupons: ['生日禮'] });
  });
  afterAll(() => env.close());

  const me = (token?: string) => {
    const r = request(env.url).get('/api/member/me');
    return token === undefined ? r : r.set('Authorization', `Bearer ${token}`);
  };

  it('answers 401 missing_token without a token, in the house JSON shape', async () => {
    const res = await me();
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('missing_token');
    expect(res.body.error.message).toMatch(/LINE/);
  });

  it('answers 401 for a forged token (right claims, wrong signature) and for garbage', async () => {
    const real = await idTokenFor(env, alice.userId);
    const [head, payload] = real.split('.');
    const forged = `${head}.${payload}.${createHmac('sha256', 'not-the-secret').update(`${head}.${payload}`).digest('base64url')}`;
    for (const token of [forged, 'not-a-jwt', `${head}.${payload}.`]) {
      const res = await me(token);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('invalid_token');
    }
  });

  it('answers 401 for a genuine token issued to another channel', async () => {
    const res = await me(await idTokenFor(env, alice.userId, { channelId: '9999999999' }));
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('invalid_token');
  });

  it('answers 401 for an expired token', async () => {
    const res = await me(await idTokenFor(env, alice.userId, { ttlSeconds: 0 }));
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('invalid_token');
  });

  it('shows a valid token holder their own card, whatever user the request names', async () => {
    const res = await request(env.url)
      .get(`/api/member/me?userId=${bob.userId}&memberId=${bob.memberId}`)
      .set('Authorization', `Bearer ${await idTokenFor(env, alice.userId)}`);
    expect(res.status).toBe(200);
    expect(res.body.memberCode).toBe(alice.memberCode);
    expect(res.body.displayName).toBe('林小美');
  });

  it("never shows one member another member's coupon", async () => {
    const token = await idTokenFor(env, alice.userId);
    const own = await request(env.url)
      .get(`/api/member/coupons/${alice.couponIds[0]}`)
      .set('Authorization', `Bearer ${token}`);
    expect(own.status).toBe(200);
    expect(own.body.title).toBe('滿千折百');
    const other = await request(env.url)
      .get(`/api/member/coupons/${bob.couponIds[0]}`)
      .set('Authorization', `Bearer ${token}`);
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('coupon_not_found');
    const wallet = await request(env.url).get('/api/member/coupons').set('Authorization', `Bearer ${token}`);
    expect(wallet.body.active.map((c: { id: string }) => c.id)).toEqual(alice.couponIds);
  });

  it('asks a LINE user who is not a member to add the account (403 not_following with the link)', async () => {
    const stranger = await env.emulator.createUser('路人');
    const res = await me(await idTokenFor(env, stranger.userId));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('not_following');
    expect(res.body.error.details.addFriendUrl).toMatch(/\/dev\/chat$/);
  });

  it('serves the runtime config with mock mode on in local mode, and the dev login endpoints', async () => {
    const config = await request(env.url).get('/api/member/config');
    expect(config.body).toEqual({
      liffId: env.config.line.liffId,
      mock: true,
      addFriendUrl: expect.any(String),
      botBasicId: env.config.line.botBasicId,
      timeZone: env.config.timeZone,
    });
    const users = await request(env.url).get('/api/member/dev/users');
    expect(users.body.users.map((u: { userId: string }) => u.userId)).toEqual(
      expect.arrayContaining([alice.userId, bob.userId]),
    );
    const token = await request(env.url).post('/api/member/dev/id-token').send({ userId: alice.userId });
    expect(token.status).toBe(200);
    expect(token.body.profile.displayName).toBe('林小美');
    expect((await me(token.body.idToken)).body.memberCode).toBe(alice.memberCode);
    const bad = await request(env.url).post('/api/member/dev/id-token').send({ userId: 'alice' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields[0].path).toBe('userId');
  });
});
