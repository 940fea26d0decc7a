import request from 'supertest';
import { BenefitsSchema, CardSchema } from '../../../api/contracts/member';
import { createCouponTemplate } from '../../../domain/coupons';
import { getProgramSettings, updateProgramSettings } from '../../../domain/program/settings.service';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { createLiffMember, idTokenFor } from '../../factories/liff-member.factory';

/** What the card shows of the brand (GET /me) and the 會員權益 page's contract (GET /benefits). */
describe('member API: the brand on the card and 會員權益', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv();
  });
  afterAll(() => env.close());
  beforeEach(() => env.resetDb());

  const me = async (userId: string) =>
    request(env.url)
      .get('/api/member/me')
      .set('Authorization', `Bearer ${await idTokenFor(env, userId)}`);

  describe('#14 brand on the card', () => {
    it('returns the demo brand with a fresh install: name, logo, colours, links and the store list', async () => {
      const m = await createLiffMember(env, { displayName: '陳品妤' });
      const res = await me(m.userId);
      expect(res.status).toBe(200);
      const card = CardSchema.parse(res.body);
      expect(card.brand).toMatchObject({
        name: '好日選物',
        logoUrl: '/liff/brand-logo.svg',
        primaryColor: '#0f766e',
        accentColor: '#f59e0b',
        termsUrl: expect.stringMatching(/^https:\/\//),
        privacyUrl: expect.stringMatching(/^https:\/\//),
      });
      expect(card.brand.stores.map((s) => s.name)).toEqual(['台北大安店', '台中西屯店']);
      expect(card.brand.stores[0]).toEqual({
        id: 'taipei-daan',
        name: '台北大安店',
        address: expect.stringContaining('台北市'),
        hours: expect.any(String),
        mapUrl: expect.stringMatching(/^https:\/\//),
      });
    });

    it('shows the brand as the marketer saved it, and refuses a colour that is not #RRGGBB in zh-TW, keeping the old one', async () => {
      const m = await createLiffMember(env);
      const current = await getProgramSettings();
      await updateProgramSettings(
        { brand: { ...current.brand, name: '山嵐茶室', primaryColor: '#7c2d12', stores: [] } },
        'marketer',
      );
      let card = CardSchema.parse((await me(m.userId)).body);
      expect(card.brand).toMatchObject({ name: '山嵐茶室', primaryColor: '#7c2d12', stores: [] });

      await expect(
        updateProgramSettings({ brand: { ...current.brand, primaryColor: 'red; background:url(x)' } }, 'marketer'),
      ).rejects.toMatchObject({
        status: 400,
        details: { fields: [expect.objectContaining({ message: '顏色請用 #RRGGBB 格式，例如 #06C755' })] },
      });
      card = CardSchema.parse((await me(m.userId)).body);
      expect(card.brand.primaryColor).toBe('#7c2d12');
    });
  });

  describe('#14.5 會員權益 contract', () => {
    it('describes earning, expiry, tiers with their coupons, the birthday gift and the referral rewards', async () => {
      const tierGift = await createCouponTemplate(
        { title: '金卡升等禮 NT$300', terms: '', kind: 'amount', value: 300, validity: { mode: 'relative', days: 60 } },
        'test',
      );
      const birthdayGift = await createCouponTemplate(
        { title: '生日蛋糕兌換券', terms: '', kind: 'amount', value: 200, validity: { mode: 'relative', days: 30 } },
        'test',
      );
      const settings = await getProgramSettings();
      await updateProgramSettings(
        {
          earn: { spendPerPoint: 50 },
          expiry: { mode: 'months', months: 18 },
          tiers: settings.tiers.map((t) => (t.code === 'gold' ? { ...t, couponTemplateIds: [tierGift.id] } : t)),
          birthday: { points: 150, couponTemplateId: birthdayGift.id, mode: 'month-first' },
          referral: { referrerReward: { points: 120, couponTemplateId: null }, minPurchaseAmount: 500 },
        },
        'marketer',
      );
      // Public: the FAQ may link here before anyone has signed in.
      const res = await request(env.url).get('/api/member/benefits');
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      const b = BenefitsSchema.parse(res.body);
      expect(b).toMatchObject({
        brandName: '好日選物',
        spendPerPoint: 50,
        expiry: { mode: 'months', months: 18 },
        birthday: { enabled: true, points: 150, coupon: '生日蛋糕兌換券', mode: 'month-first' },
        referral: {
          enabled: true,
          referrerPoints: 120,
          referrerCoupon: null,
          refereePoints: 50,
          minPurchaseAmount: 500,
        },
        profileCompletionPoints: 50,
      });
      expect(b.tiers).toEqual([
        { code: 'basic', label: '一般', minSpend: 0, multiplier: 1, coupons: [], benefits: facts(1, [], null) },
        {
          code: 'silver',
          label: '銀卡',
          minSpend: 10000,
          multiplier: 1.5,
          coupons: [],
          benefits: facts(1.5, [], 10000),
        },
        {
          code: 'gold',
          label: '金卡',
          minSpend: 30000,
          multiplier: 2,
          coupons: ['金卡升等禮 NT$300'],
          benefits: facts(2, ['金卡升等禮 NT$300'], 30000),
        },
      ]);
    });
  });
});

function facts(multiplier: number, coupons: string[], keepSpend: number | null) {
  return { multiplier, birthdayMultiplier: 1, gift: { coupons, points: 0, credit: 0 }, keepSpend };
}
