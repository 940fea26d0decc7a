import request from 'supertest';
import { Coupon } from '../../../models/coupon.model';
import { Interaction } from '../../../models/interaction.model';
import { Member } from '../../../models/member.model';
import { PointsEntry } from '../../../models/points-entry.model';
import { Purchase } from '../../../models/purchase.model';
import { changePoints, findPointsDrift } from '../../../domain/points/points.service';
import { revokeIntegrationKey } from '../../../domain/integrations/api-key.service';
import { updateProgramSettings } from '../../../domain/program/settings.service';
import { getTierStatus } from '../../../domain/tiers/tier.service';
import { listMemberPurchases } from '../../../domain/purchases/purchase.service';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { textsOf } from '../../helpers/emulator-client';
import { createApiKey, createLineMember, createTemplate } from '../../factories/program.factory';

let env: TestEnv;
let key: string;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env?.close());
beforeEach(async () => {
  await env.resetDb();
  key = (await createApiKey('門市 POS', 'pos')).key;
});

const post = (body: unknown, k = key) =>
  request(env.url)
    .post('/api/ingest/purchases')
    .set('Authorization', `Bearer ${k}`)
    .send(body as object);
const refund = (orderId: string, body: unknown = {}) =>
  request(env.url)
    .post(`/api/ingest/purchases/${orderId}/refunds`)
    .set('x-api-key', key)
    .send(body as object);
const order = (memberCode: string, extra: Record<string, unknown> = {}) => ({
  orderId: `A${Math.random().toString(36).slice(2, 10)}`,
  member: { memberCode },
  amount: 1280,
  storeId: 'taipei-101',
  items: [{ sku: 'T-01', name: '有機烏龍茶', category: '茶葉', quantity: 2, amount: 1280 }],
  ...extra,
});

describe('API key', () => {
  it('missing → 401 api_key_missing; wrong or revoked → 401 api_key_invalid; nothing stored', async () => {
    const { memberCode } = (await createLineMember(env)).member;
    const missing = await request(env.url).post('/api/ingest/purchases').send(order(memberCode));
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('api_key_missing');
    expect((await post(order(memberCode), 'hgk_not-a-real-key')).body.error.code).toBe('api_key_invalid');
    const second = await createApiKey('舊 POS');
    await revokeIntegrationKey(second.id);
    expect((await post(order(memberCode), second.key)).status).toBe(401);
    expect(await Purchase.countDocuments()).toBe(0);
  });
});

describe('POST /api/ingest/purchases', () => {
  it('bad payloads → 400 with field errors, nothing stored', async () => {
    const res = await post({ orderId: '', member: {}, amount: -5, items: [{ amount: 1 }], extra: 1 });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    const paths = res.body.error.details.fields.map((f: { path: string }) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['orderId', 'member', 'amount', 'items.0.name', '(body)']));
    const future = await post(order('1234567890', { time: '2099-01-01T00:00:00+08:00' }));
    expect(future.body.error.details.fields).toEqual([{ path: 'time', message: '消費時間不可在未來' }]);
    const unknown = await post(order('1234567890'));
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('member_not_found');
    expect(await Purchase.countDocuments()).toBe(0);
    expect(await PointsEntry.countDocuments()).toBe(0);
  });

  it('records the purchase with all effects; the same order posted twice → one set of effects, same result', async () => {
    const { member } = await createLineMember(env);
    const body = order(member.memberCode, { orderId: 'A1001', amount: 1280 });
    const first = await post(body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      orderId: 'A1001',
      pointsEarned: 12,
      pointsBalance: 12,
      tier: { code: 'basic', label: '一般', upgraded: false },
      replayed: false,
    });
    const [again, concurrent] = await Promise.all([post(body), post(body)]);
    for (const r of [again, concurrent]) {
      expect(r.status).toBe(200);
      expect(r.headers['idempotent-replayed']).toBe('true');
      expect(r.body).toEqual({ ...first.body, replayed: true });
    }
    const m = await Member.findById(member._id).lean();
    expect(m!.pointsBalance).toBe(12);
    expect(m!.stats).toMatchObject({ purchaseCount: 1, totalSpend: 1280, averageOrder: 1280 });
    expect(await PointsEntry.countDocuments({ memberId: member._id })).toBe(1);
    expect(await Interaction.countDocuments({ memberId: member._id, type: 'purchase' })).toBe(1);
    expect(await Purchase.findOne({ orderId: 'A1001' }).lean()).toMatchObject({
      source: 'pos',
      survey: { status: 'pending' },
    });
  });

  it('matches members by phone (any common format) and LINE userId; averages across orders', async () => {
    const { member, userId } = await createLineMember(env, { phone: '0912345678' });
    expect(
      (
        await post({
          ...order(''),
          member: { phone: '+886 912-345-678' },
          amount: 1000,
          time: '2026-01-05T12:00:00+08:00',
        })
      ).status,
    ).toBe(201);
    expect(
      (await post({ ...order(''), member: { lineUserId: userId }, amount: 3000, time: '2026-01-02T12:00:00+08:00' }))
        .status,
    ).toBe(201);
    const m = await Member.findById(member._id).lean();
    expect(m!.stats).toMatchObject({
      purchaseCount: 2,
      totalSpend: 4000,
      averageOrder: 2000,
      firstPurchaseAt: new Date('2026-01-02T04:00:00Z'),
      lastPurchaseAt: new Date('2026-01-05T04:00:00Z'),
    });
  });

  it('upgrades the tier immediately, tells the member, and applies the multiplier to later purchases', async () => {
    const gift = await createTemplate({ title: '銀卡禮 NT$200', value: 200 });
    await updateProgramSettings(
      {
        tiers: [
          { code: 'basic', label: '一般', minSpend: 0, multiplier: 1, couponTemplateIds: [] },
          { code: 'silver', label: '銀卡', minSpend: 10000, multiplier: 1.5, couponTemplateIds: [gift.id] },
          { code: 'gold', label: '金卡', minSpend: 30000, multiplier: 2, couponTemplateIds: [] },
        ],
      },
      'marketer',
    );
    const { member, userId } = await createLineMember(env);
    const up = await post(order(member.memberCode, { amount: 12000 }));
    expect(up.body).toMatchObject({ pointsEarned: 120, tier: { code: 'silver', label: '銀卡', upgraded: true } });
    const inbox = await env.emulator.messages(userId, 1);
    expect(textsOf(inbox).join('\n')).toContain('恭喜升級為「銀卡」會員');
    const next = await post(order(member.memberCode, { amount: 1000 }));
    expect(next.body).toMatchObject({ pointsEarned: 15, multiplier: 1.5, tier: { upgraded: false } });
    expect(await Coupon.countDocuments({ memberId: member._id, source: 'tier' })).toBe(1);
    const fresh = await Member.findById(member._id).lean();
    expect(await getTierStatus(fresh!, new Date())).toMatchObject({
      code: 'silver',
      label: '銀卡',
      multiplier: 1.5,
      rollingSpend: 13000,
      next: { code: 'gold', label: '金卡', spendNeeded: 17000 },
    });
    const history = await listMemberPurchases(member._id);
    expect(history.total).toBe(2);
    expect(history.items.map((p) => p.amount)).toEqual([1000, 12000]);
  });
});

describe('refunds', () => {
  it('a full refund reverses exactly: points, stats and status; a replay changes nothing', async () => {
    const { member } = await createLineMember(env);
    await post(order(member.memberCode, { orderId: 'B1', amount: 2500 }));
    await post(order(member.memberCode, { orderId: 'B2', amount: 700 }));
    const before = await Member.findById(member._id).lean();
    expect(before!.pointsBalance).toBe(32);
    const r = await refund('B1', { reason: '顧客退貨' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      refundId: 'full',
      amount: 2500,
      status: 'refunded',
      pointsReversed: 25,
      pointsShortfall: 0,
      pointsBalance: 7,
    });
    const replay = await refund('B1', {});
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ pointsReversed: 25, pointsBalance: 7, replayed: true });
    const m = await Member.findById(member._id).lean();
    expect(m!.stats).toMatchObject({ purchaseCount: 1, totalSpend: 700, averageOrder: 700 });
    expect(await PointsEntry.countDocuments({ memberId: member._id, reason: 'reversal' })).toBe(1);
    expect(await findPointsDrift()).toEqual([]);
    const more = await refund('B1', { refundId: 'again', amount: 1 });
    expect(more.body.error.code).toBe('purchase_already_refunded');
  });

  it('partial refunds add up to exactly the points earned; over-refunds are refused', async () => {
    const { member } = await createLineMember(env);
    await post(order(member.memberCode, { orderId: 'C1', amount: 1000 }));
    const a = await refund('C1', { refundId: 'r1', amount: 333 });
    expect(a.body).toMatchObject({ pointsReversed: 3, status: 'partially_refunded' });
    const over = await refund('C1', { refundId: 'r2', amount: 800 });
    expect(over.status).toBe(400);
    expect(over.body.error.details.fields[0].path).toBe('amount');
    const b = await refund('C1', { refundId: 'r2', amount: 667 });
    expect(b.body).toMatchObject({ pointsReversed: 7, status: 'refunded', pointsBalance: 0 });
    expect((await Member.findById(member._id).lean())!.stats).toMatchObject({ purchaseCount: 0, totalSpend: 0 });
  });

  it('points already spent are taken back as a debt: the refund reports the shortfall (see #12.5)', async () => {
    const { member } = await createLineMember(env);
    await post(order(member.memberCode, { orderId: 'D1', amount: 5000 }));
    await changePoints({ memberId: member._id, delta: -40, reason: 'redeem', key: 'spent-d1', now: new Date() });
    const r = await refund('D1');
    expect(r.body).toMatchObject({ pointsReversed: 50, pointsShortfall: 40, pointsBalance: -40 });
    expect(await findPointsDrift()).toEqual([]);
  });

  it('unknown order → 404; an order of another integration is not visible', async () => {
    const { member } = await createLineMember(env);
    await post(order(member.memberCode, { orderId: 'E1' }));
    expect((await refund('nope')).status).toBe(404);
    const other = await createApiKey('網路商店', 'shop');
    const res = await request(env.url).post('/api/ingest/purchases/E1/refunds').set('x-api-key', other.key).send({});
    expect(res.status).toBe(404);
  });
});
