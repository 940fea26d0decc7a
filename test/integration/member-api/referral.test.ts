import request from 'supertest';
import { ReferralViewSchema } from '../../../api/contracts/member';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { createLiffMember, idTokenFor } from '../../factories/liff-member.factory';

describe('member API: referral', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv();
  });
  afterAll(() => env.close());

  it("gives each member a code and share link, and takes a friend's code once", async () => {
    const host = await createLiffMember(env, { displayName: '推薦人' });
    const newbie = await createLiffMember(env, { displayName: '新朋友' });
    const hostToken = await idTokenFor(env, host.userId);
    const newbieToken = await idTokenFor(env, newbie.userId);
    const get = (token: string) => request(env.url).get('/api/member/referral').set('Authorization', `Bearer ${token}`);
    const post = (token: string, code: unknown) =>
      request(env.url).post('/api/member/referral').set('Authorization', `Bearer ${token}`).send({ code });

    const mine = ReferralViewSchema.parse((await get(hostToken)).body);
    expect(mine).toMatchObject({ friendsJoined: 0, rewardsEarned: 0, referredBy: null, canEnterCode: true });
    expect(mine.link).toContain(encodeURIComponent(mine.code));
    expect(mine.shareText).toContain(mine.code);
    expect((await get(hostToken)).body.code).toBe(mine.code);

    const self = await post(hostToken, mine.code);
    expect(self.status).toBe(400);
    expect(self.body.error.code).toBe('referral_self');
    expect((await post(newbieToken, 'ZZZZZZ')).body.error.code).toBe('referral_not_found');
    expect((await post(newbieToken, '')).status).toBe(400);

    const applied = await post(newbieToken, mine.code.toLowerCase());
    expect(applied.status).toBe(200);
    expect(applied.body).toMatchObject({ referredBy: '推**', canEnterCode: false });
    expect((await post(newbieToken, mine.code)).body.error.code).toBe('referral_already_set');
    expect((await get(hostToken)).body.friendsJoined).toBe(1);
  });
});
