import request from 'supertest';
import { Member } from '../../../models/member.model';
import { applyReferralCode, ensureReferralCode } from '../../../domain/referrals/referral.service';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { createLiffMember, type LiffMember } from '../../factories/liff-member.factory';

let env: TestEnv;
let now = new Date();
let host: LiffMember;
let hostCode: string;

beforeAll(async () => {
  env = await startTestEnv({ clock: () => now, env: { TRUST_PROXY: 'loopback' } });
  host = await createLiffMember(env, { displayName: '小明哥' });
  await Member.updateOne({ _id: host.memberId }, { $set: { name: '王大明' } });
  hostCode = await ensureReferralCode(host.memberId);
});
afterAll(() => env.close());

async function enter(m: LiffMember, code: string, ip = '203.0.113.1') {
  const { idToken } = await env.emulator.idToken(m.userId, { ttlSeconds: 7200 });
  return request(env.url)
    .post('/api/member/referral')
    .set('X-Forwarded-For', ip)
    .set('Authorization', `Bearer ${idToken}`)
    .send({ code });
}
const wrongCode = (i: number) => `ZZZZ${'ABCDEFGHJKLMNPQRSTUVWXYZ'[i % 24]}${'23456789'[i % 8]}`;

describe('#12.11 referral-code guesses are throttled; a hit names only the first character', () => {
  it('per member: after 5 wrong codes even the right one waits, nothing is bound; later it works', async () => {
    const guesser = await createLiffMember(env);
    for (let i = 0; i < 5; i++)
      expect((await enter(guesser, wrongCode(i), `198.51.100.${i}`)).body.error.code).toBe('referral_not_found');
    const refused = await enter(guesser, hostCode, '198.51.100.99');
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ code: 'referral_throttled' });
    expect(refused.body.error.message).toMatch(/^推薦碼輸入錯誤太多次了，請 \d+ 分鐘後再試。$/);
    expect((await Member.findById(guesser.memberId).lean())!.referral?.referredBy ?? null).toBeNull();

    now = new Date(now.getTime() + 61 * 60_000);
    const applied = await enter(guesser, hostCode, '198.51.100.99');
    expect(applied.status).toBe(200);
    expect(applied.body.referredBy).toBe('小**');
  });

  it('per IP: 20 wrong codes from one address pause every member there, not members elsewhere', async () => {
    const sprayers = await Promise.all(Array.from({ length: 5 }, () => createLiffMember(env)));
    for (let i = 0; i < 20; i++) expect((await enter(sprayers[i % 5], wrongCode(i), '203.0.113.77')).status).toBe(404);
    const next = await createLiffMember(env);
    expect((await enter(next, wrongCode(30), '203.0.113.77')).body.error.code).toBe('referral_throttled');
    expect((await enter(next, wrongCode(31), '203.0.113.78')).body.error.code).toBe('referral_not_found');
  });

  it('the chat path (no IP) is throttled per member too, and a right code does not count as a guess', async () => {
    const chatter = await createLiffMember(env);
    for (let i = 0; i < 4; i++)
      await expect(applyReferralCode({ refereeId: chatter.memberId, code: wrongCode(i), now })).rejects.toMatchObject({
        code: 'referral_not_found',
      });
    const result = await applyReferralCode({ refereeId: chatter.memberId, code: hostCode, now });
    expect(result.referrerName).toBe('小**');
    expect(result.message).toContain('小**');
    await expect(applyReferralCode({ refereeId: chatter.memberId, code: wrongCode(9), now })).rejects.toMatchObject({
      code: 'referral_not_found',
    });
    await expect(applyReferralCode({ refereeId: chatter.memberId, code: wrongCode(10), now })).rejects.toMatchObject({
      code: 'referral_throttled',
      status: 429,
    });
  });

  it('the card shows the referrer as the first character of the display name, never the real or full name', async () => {
    const friend = await createLiffMember(env);
    const applied = await enter(friend, hostCode, '192.0.2.10');
    expect(applied.status).toBe(200);
    const { idToken } = await env.emulator.idToken(friend.userId, { ttlSeconds: 7200 });
    const view = await request(env.url)
      .get('/api/member/referral')
      .set('Authorization', `Bearer ${idToken}`)
      .expect(200);
    expect(view.body.referredBy).toBe('小**');
    for (const body of [JSON.stringify(applied.body), JSON.stringify(view.body)]) {
      expect(body).not.toContain('王大明');
      expect(body).not.toContain('小明哥');
    }
  });
});
