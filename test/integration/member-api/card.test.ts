import request from 'supertest';
import { PointsEntry } from '../../../models/points-entry.model';
import {
  CardSchema,
  ExchangeOffersSchema,
  ExchangeResultSchema,
  PointsHistorySchema,
  WalletSchema,
} from '../../../api/contracts/member';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { createExchangeOffer, createLiffMember, idTokenFor } from '../../factories/liff-member.factory';
import { createTemplate } from '../../factories/program.factory';
import { issueCoupon } from '../../../domain/coupons';
import { createDrinkStampCard } from '../../factories/stamp.factory';

/** The card, the ledger and the wallet as the LIFF page reads them, and exchanging points for a coupon. */
describe('member API: card, points, coupons, exchange', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv();
  });
  afterAll(() => env.close());
  beforeEach(() => env.resetDb());

  const api = (token: string) => ({
    get: (path: string) => request(env.url).get(`/api/member${path}`).set('Authorization', `Bearer ${token}`),
    post: (path: string, body: object) =>
      request(env.url).post(`/api/member${path}`).set('Authorization', `Bearer ${token}`).send(body),
  });

  it('shows balance, tier with progress, soonest expiring points and coupons on the card', async () => {
    const m = await createLiffMember(env, { displayName: '張雅婷', purchases: [12000, 800], coupons: ['滿千折百'] });
    const res = await api(await idTokenFor(env, m.userId)).get('/me');
    expect(res.status).toBe(200);
    const card = CardSchema.parse(res.body);
    // NT$100 = 1 point: 120 points at 一般, then 銀卡 (×1.5) for the second order → 12.
    expect(card.pointsBalance).toBe(132);
    expect(card.tier).toMatchObject({
      code: 'silver',
      label: '銀卡',
      next: { code: 'gold', spendNeeded: 30000 - 12800 },
    });
    expect(card.tier.progress).toBeCloseTo((12800 - 10000) / (30000 - 10000), 5);
    expect(card.soonestExpiring).toEqual({ points: 132, expiresAt: expect.any(String) });
    expect(card).toMatchObject({
      memberCode: m.memberCode,
      displayName: '張雅婷',
      activeCoupons: 1,
      profileIncomplete: true,
    });
  });

  it('lists the ledger newest first with reasons in words, paged', async () => {
    const m = await createLiffMember(env, { purchases: [100, 200, 300, 400, 500] });
    const a = api(await idTokenFor(env, m.userId));
    const first = PointsHistorySchema.parse((await a.get('/points?page=1&pageSize=2')).body);
    expect(first).toMatchObject({ page: 1, pageSize: 2, total: 5, hasMore: true });
    expect(first.items.map((i) => i.delta)).toEqual([5, 4]);
    expect(first.items[0]).toMatchObject({ reason: 'purchase', reasonLabel: '消費累點' });
    const last = PointsHistorySchema.parse((await a.get('/points?page=3&pageSize=2')).body);
    expect(last.items.map((i) => i.delta)).toEqual([1]);
    expect(last.hasMore).toBe(false);
    const bad = await a.get('/points?page=0&pageSize=500');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields.map((f: { path: string }) => f.path).sort()).toEqual(['page', 'pageSize']);
  });

  it('groups the wallet and opens a coupon with its code', async () => {
    const m = await createLiffMember(env, { coupons: ['週年慶折價券'] });
    const a = api(await idTokenFor(env, m.userId));
    const wallet = WalletSchema.parse((await a.get('/coupons')).body);
    expect(wallet.active).toHaveLength(1);
    expect(wallet.used).toEqual([]);
    const one = await a.get(`/coupons/${wallet.active[0].id}`);
    expect(one.body).toMatchObject({
      title: '週年慶折價券',
      status: 'active',
      valueLabel: '折抵 NT$100',
      code: wallet.active[0].code,
    });
    expect(one.body.displayCode.replace('-', '')).toBe(one.body.code);
    expect((await a.get('/coupons/000000000000000000000000')).status).toBe(404);
    expect((await a.get('/coupons/not-an-id')).status).toBe(404);
  });

  it('a coupon shows its minimum spend and the stores it is limited to, by the brand’s store names', async () => {
    const m = await createLiffMember(env, {});
    const tpl = await createTemplate({
      title: '大安店滿千折百',
      minSpend: 1000,
      storeIds: ['taipei-daan', 'pop-up-2025'],
    });
    await issueCoupon({
      templateId: tpl.id,
      memberId: m.memberId,
      key: 'store-coupon',
      now: env.deps.clock(),
      timeZone: 'Asia/Taipei',
    });
    const a = api(await idTokenFor(env, m.userId));
    const wallet = WalletSchema.parse((await a.get('/coupons')).body);
    // A store no longer in the brand list is still named, by its code.
    expect(wallet.active[0]).toMatchObject({ minSpend: 1000, stores: ['台北大安店', 'pop-up-2025'] });
    const one = (await a.get(`/coupons/${wallet.active[0].id}`)).body;
    expect(one).toMatchObject({ minSpend: 1000, stores: ['台北大安店', 'pop-up-2025'] });
  });

  it('exchanges points for a coupon once per request id; the balance drops and the coupon is in the wallet', async () => {
    const m = await createLiffMember(env, { purchases: [30000] });
    const templateId = await createExchangeOffer('百元折價券', 100);
    const a = api(await idTokenFor(env, m.userId));
    const offers = ExchangeOffersSchema.parse((await a.get('/exchange')).body);
    expect(offers.pointsBalance).toBe(300);
    expect(offers.offers).toEqual([
      expect.objectContaining({
        templateId,
        title: '百元折價券',
        pointsCost: 100,
        affordable: true,
        validDays: 14,
        unavailableReason: null,
      }),
    ]);

    const first = await a.post('/exchange', { templateId, requestId: 'req-aaaa-0001' });
    expect(first.status).toBe(201);
    const result = ExchangeResultSchema.parse(first.body);
    expect(result.pointsBalance).toBe(200);
    const again = await a.post('/exchange', { templateId, requestId: 'req-aaaa-0001' });
    expect(again.status).toBe(200);
    expect(again.body.coupon.id).toBe(result.coupon.id);
    expect(again.body.pointsBalance).toBe(200);

    expect((await a.get('/me')).body.pointsBalance).toBe(200);
    const wallet = WalletSchema.parse((await a.get('/coupons')).body);
    expect(wallet.active.map((c) => c.id)).toEqual([result.coupon.id]);
    expect(await PointsEntry.countDocuments({ memberId: m.memberId, reason: 'redeem' })).toBe(1);
  });

  it('refuses an exchange the member cannot afford, and bad input, changing nothing', async () => {
    const m = await createLiffMember(env, { purchases: [5000] });
    const templateId = await createExchangeOffer('千元購物金', 1000);
    const a = api(await idTokenFor(env, m.userId));
    const offers = ExchangeOffersSchema.parse((await a.get('/exchange')).body);
    expect(offers.offers[0]).toMatchObject({
      affordable: false,
      unavailableReason: expect.stringContaining('還差 950 點'),
    });

    const poor = await a.post('/exchange', { templateId, requestId: 'req-bbbb-0001' });
    expect(poor.status).toBe(409);
    expect(poor.body.error.code).toBe('insufficient_points');
    const bad = await a.post('/exchange', { templateId: 'x', requestId: '1' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields.map((f: { path: string }) => f.path).sort()).toEqual([
      'requestId',
      'templateId',
    ]);
    expect((await a.get('/me')).body.pointsBalance).toBe(50);
    expect((await a.get('/coupons')).body.active).toEqual([]);
  });

  it('carries the stamp cards: an empty one before the first stamp, then stamps, rewards given and the expiry', async () => {
    const { template } = await createDrinkStampCard();
    const fresh = await createLiffMember(env);
    const empty = CardSchema.parse((await api(await idTokenFor(env, fresh.userId)).get('/me')).body);
    expect(empty.stampCards).toEqual([
      {
        id: null,
        templateId: String(template._id),
        name: '飲料集點卡',
        stampsNeeded: 10,
        stamps: 0,
        status: 'not_started',
        expiresAt: null,
        validityDays: 180,
        rewards: [
          { at: 5, label: '20 點', given: false, completion: false },
          { at: 10, label: '「招牌飲品兌換券」', given: false, completion: true },
        ],
      },
    ]);
    const m = await createLiffMember(env, { purchases: [120, 90, 150, 60, 200, 80] });
    const card = CardSchema.parse((await api(await idTokenFor(env, m.userId)).get('/me')).body);
    expect(card.stampCards).toHaveLength(1);
    expect(card.stampCards[0]).toMatchObject({ stamps: 6, status: 'active', id: expect.any(String) });
    expect(card.stampCards[0].rewards.map((r) => r.given)).toEqual([true, false]);
    const days = (Date.parse(card.stampCards[0].expiresAt!) - env.deps.clock().getTime()) / 86_400_000;
    expect(Math.round(days)).toBe(180);
  });
});
