import request from 'supertest';
import { CardSchema } from '../../../api/contracts/member';
import { changeCredit } from '../../../domain/credit/credit.service';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { idTokenFor } from '../../factories/liff-member.factory';
import { loginAs } from '../../factories/console.factory';
import { consentedUser } from '../bot/chat-driver';

/** #16.2 display: the card and the chat keyword 購物金 show the balance and the soonest lot to expire. */
describe('#16.2 shopping credit shown on the card and in chat', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv();
  });
  afterAll(() => env.close());
  beforeEach(() => env.resetDb());

  const soon = new Date('2099-06-30T15:00:00Z'); // 2099/06/30 23:00 Taipei
  const later = new Date('2099-12-31T15:00:00Z');

  async function memberWithCredit() {
    const u = await consentedUser(env, '林美玲');
    const m = (await u.member())!;
    const now = new Date();
    await changeCredit({ memberId: m._id, delta: 70, reason: 'manual', key: `d1:${m._id}`, expiresAt: later, now });
    await changeCredit({ memberId: m._id, delta: 50, reason: 'birthday', key: `d2:${m._id}`, expiresAt: soon, now });
    return { u, m };
  }

  it('the card contract carries the balance and the soonest expiry (amount + date)', async () => {
    const { u } = await memberWithCredit();
    const res = await request(env.url)
      .get('/api/member/me')
      .set('Authorization', `Bearer ${await idTokenFor(env, u.userId)}`);
    expect(res.status).toBe(200);
    const card = CardSchema.parse(res.body);
    expect(card.credit).toEqual({ balance: 120, soonestExpiring: { amount: 50, expiresAt: soon.toISOString() } });
  });

  it('a member without credit: balance 0 and nothing expiring', async () => {
    const u = await consentedUser(env);
    const res = await request(env.url)
      .get('/api/member/me')
      .set('Authorization', `Bearer ${await idTokenFor(env, u.userId)}`);
    expect(CardSchema.parse(res.body).credit).toEqual({ balance: 0, soonestExpiring: null });
    expect((await u.say('購物金')).texts[0]).toBe(
      '💳 您目前有購物金 NT$0\n購物金可在生日、推薦好友或活動時獲得，結帳時可以折抵消費。',
    );
  });

  it('購物金 and 我的購物金 answer with the balance and the soonest expiry', async () => {
    const { u } = await memberWithCredit();
    for (const word of ['購物金', '我的購物金', '查詢購物金']) {
      const a = await u.say(word);
      expect(a.texts).toEqual(['💳 您目前有購物金 NT$120\n⏰ 其中 NT$50 將在 2099/06/30 到期，記得在結帳時使用喔']);
    }
  });

  it('the marketer edits the answer in the reply catalogue and the chat says the new words', async () => {
    const { u } = await memberWithCredit();
    const marketer = await loginAs(env, 'marketer');
    await marketer.agent
      .put('/api/console/replies/credit.balance')
      .set('X-CSRF-Token', marketer.csrf)
      .send({ text: '您的購物金還有 NT${amount} 喔！', version: 0 })
      .expect(200);
    const a = await u.say('購物金');
    expect(a.texts[0].split('\n')[0]).toBe('您的購物金還有 NT$120 喔！');
  });
});
