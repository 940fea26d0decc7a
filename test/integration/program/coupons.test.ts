import { Coupon } from '../../../models/coupon.model';
import { CouponTemplate } from '../../../models/coupon-template.model';
import { Member } from '../../../models/member.model';
import { PointsEntry } from '../../../models/points-entry.model';
import {
  createCouponTemplate,
  exchangePointsForCoupon,
  issueCoupon,
  issueCouponBatch,
  listExchangeableTemplates,
  listWallet,
  redeemCoupon,
  repairInterruptedExchanges,
  reverseRedemption,
  updateCouponTemplate,
} from '../../../domain/coupons';
import { changePoints, findPointsDrift } from '../../../domain/points/points.service';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { createPlainMember, createTemplate } from '../../factories/program.factory';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env?.close());
beforeEach(() => env.resetDb());

const now = new Date('2026-03-10T04:00:00Z');
const later = (days: number) => new Date(now.getTime() + days * 86_400_000);
const give = (memberId: unknown, points: number) =>
  changePoints({ memberId: String(memberId), delta: points, reason: 'manual', key: `seed:${memberId}:${points}`, now });

describe('coupon templates', () => {
  it('bad templates → 400 with field errors and nothing stored', async () => {
    const err = await createCouponTemplate(
      { title: '', kind: 'percent', value: 150, validity: { mode: 'relative', days: 0 } },
      'mk',
    ).catch((e) => e);
    expect(err).toMatchObject({ code: 'validation_failed', status: 400 });
    expect(err.details.fields.map((f: { path: string }) => f.path)).toEqual(
      expect.arrayContaining(['title', 'validity.days']),
    );
    const gift = await createCouponTemplate(
      { title: '贈品', kind: 'gift', validity: { mode: 'relative', days: 7 } },
      'mk',
    ).catch((e) => e);
    expect(gift.details.fields.map((f: { path: string }) => f.path)).toContain('giftName');
    expect(await CouponTemplate.countDocuments()).toBe(0);
  });

  it('a total quota cannot be lowered below what was issued; raising it adds to the remaining quota', async () => {
    const t = await createTemplate({ totalQuota: 2, perMemberLimit: 5 });
    const m = await createPlainMember();
    await issueCoupon({ templateId: t.id, memberId: m._id, key: 'q1', now, timeZone: 'Asia/Taipei' });
    await expect(updateCouponTemplate(t.id, { totalQuota: 0 }, 'mk')).rejects.toMatchObject({
      code: 'validation_failed',
    });
    const up = await updateCouponTemplate(t.id, { totalQuota: 5 }, 'mk');
    expect(up).toMatchObject({ totalQuota: 5, quotaRemaining: 4, issuedCount: 1 });
  });
});

describe('issuance', () => {
  it('is idempotent by key and copies the offer; relative validity ends at the end of the local day', async () => {
    const t = await createTemplate({ validity: { mode: 'relative', days: 30 }, terms: '限門市使用' });
    const m = await createPlainMember();
    const [a, b] = await Promise.all([
      issueCoupon({ templateId: t.id, memberId: m._id, key: 'welcome:1', now, timeZone: 'Asia/Taipei' }),
      issueCoupon({ templateId: t.id, memberId: m._id, key: 'welcome:1', now, timeZone: 'Asia/Taipei' }),
    ]);
    expect(a.coupon.id).toBe(b.coupon.id);
    expect(await Coupon.countDocuments()).toBe(1);
    expect((await CouponTemplate.findById(t.id).lean())!.issuedCount).toBe(1);
    expect(a.coupon).toMatchObject({
      title: '折價券 NT$100',
      terms: '限門市使用',
      valueLabel: '折抵 NT$100',
      state: 'active',
    });
    expect(a.coupon.code).toMatch(/^[2-9A-HJ-NP-Z]{8}$/);
    expect(a.coupon.validUntil).toBe('2026-04-09T15:59:59.999Z');
  });

  it('the total quota holds under concurrency: 10 members race for 3 coupons', async () => {
    const t = await createTemplate({ totalQuota: 3 });
    const members = await Promise.all(Array.from({ length: 10 }, () => createPlainMember()));
    const results = await Promise.allSettled(
      members.map((m) =>
        issueCoupon({ templateId: t.id, memberId: m._id, key: `race:${m._id}`, now, timeZone: 'Asia/Taipei' }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(
      Array(7).fill('coupon_quota_exhausted'),
    );
    expect(await Coupon.countDocuments()).toBe(3);
    expect(await CouponTemplate.findById(t.id).lean()).toMatchObject({ issuedCount: 3, quotaRemaining: 0 });
  });

  it('the per-member limit holds under concurrency (different keys, limit 2)', async () => {
    const t = await createTemplate({ perMemberLimit: 2 });
    const m = await createPlainMember();
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) =>
        issueCoupon({ templateId: t.id, memberId: m._id, key: `lim:${i}`, now, timeZone: 'Asia/Taipei' }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    expect(await Coupon.countDocuments({ memberId: m._id })).toBe(2);
    expect((await CouponTemplate.findById(t.id).lean())!.issuedCount).toBe(2);
  });

  it('tier restriction refuses other tiers with a zh-TW reason', async () => {
    const t = await createTemplate({ tierCodes: ['gold'] });
    const basic = await createPlainMember();
    const gold = await createPlainMember({ tier: { code: 'gold' } });
    await expect(
      issueCoupon({ templateId: t.id, memberId: basic._id, key: 'g1', now, timeZone: 'Asia/Taipei' }),
    ).rejects.toMatchObject({ code: 'coupon_tier_restricted', userMessage: '這張優惠券限 金卡 會員領取。' });
    await expect(
      issueCoupon({ templateId: t.id, memberId: gold._id, key: 'g2', now, timeZone: 'Asia/Taipei' }),
    ).resolves.toMatchObject({ duplicate: false });
  });

  it('batch issuance reports issued, duplicates and failures, and a re-run issues nothing twice', async () => {
    const t = await createTemplate({ tierCodes: ['basic'] });
    const ok = await Promise.all([createPlainMember(), createPlainMember()]);
    const gold = await createPlainMember({ tier: { code: 'gold' } });
    const ids = [...ok.map((m) => String(m._id)), String(gold._id)];
    const first = await issueCouponBatch({
      templateId: t.id,
      memberIds: ids,
      batchKey: 'spring',
      now,
      timeZone: 'Asia/Taipei',
    });
    expect(first).toMatchObject({ issued: 2, duplicates: 0 });
    expect(first.failed).toEqual([
      expect.objectContaining({ memberId: String(gold._id), code: 'coupon_tier_restricted' }),
    ]);
    const again = await issueCouponBatch({
      templateId: t.id,
      memberIds: ids,
      batchKey: 'spring',
      now,
      timeZone: 'Asia/Taipei',
    });
    expect(again).toMatchObject({ issued: 0, duplicates: 2 });
  });
});

describe('wallet', () => {
  it('groups active (soonest expiry first), used and expired', async () => {
    const m = await createPlainMember();
    const short = await createTemplate({ title: '短效券', validity: { mode: 'relative', days: 3 } });
    const long = await createTemplate({ title: '長效券', validity: { mode: 'relative', days: 60 } });
    const used = await createTemplate({ title: '已用券' });
    await issueCoupon({ templateId: long.id, memberId: m._id, key: 'w1', now, timeZone: 'Asia/Taipei' });
    await issueCoupon({ templateId: short.id, memberId: m._id, key: 'w2', now, timeZone: 'Asia/Taipei' });
    const u = await issueCoupon({ templateId: used.id, memberId: m._id, key: 'w3', now, timeZone: 'Asia/Taipei' });
    await redeemCoupon({ code: u.coupon.code, actor: 'staff-1', now, timeZone: 'Asia/Taipei' });
    const wallet = await listWallet(m._id, now);
    expect(wallet.active.map((c) => c.title)).toEqual(['短效券', '長效券']);
    expect(wallet.used.map((c) => c.title)).toEqual(['已用券']);
    const inFiveDays = await listWallet(m._id, later(5));
    expect(inFiveDays.expired.map((c) => c.title)).toEqual(['短效券']);
    expect(inFiveDays.expired[0].state).toBe('expired');
  });
});

describe('redemption', () => {
  it('concurrent double redemption: exactly one succeeds, the other is told it was used', async () => {
    const t = await createTemplate();
    const m = await createPlainMember();
    const { coupon } = await issueCoupon({
      templateId: t.id,
      memberId: m._id,
      key: 'r1',
      now,
      timeZone: 'Asia/Taipei',
    });
    const results = await Promise.allSettled([
      redeemCoupon({ code: coupon.code, actor: 'staff-1', now, storeId: 'taipei-101', timeZone: 'Asia/Taipei' }),
      redeemCoupon({
        code: coupon.code.toLowerCase(),
        actor: 'staff-2',
        now,
        storeId: 'taipei-101',
        timeZone: 'Asia/Taipei',
      }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!.reason;
    expect(failure).toMatchObject({ code: 'coupon_used', status: 409 });
    expect(failure.userMessage).toContain('已使用');
  });

  it('refuses expired, wrong-store, not-yet-valid, min-spend and unknown codes with clear zh-TW messages', async () => {
    const m = await createPlainMember();
    const store = await createTemplate({ storeIds: ['taichung'], minSpend: 500 });
    const { coupon } = await issueCoupon({
      templateId: store.id,
      memberId: m._id,
      key: 'e1',
      now,
      timeZone: 'Asia/Taipei',
    });
    await expect(
      redeemCoupon({ code: coupon.code, actor: 's', now, storeId: 'taipei-101', timeZone: 'Asia/Taipei' }),
    ).rejects.toMatchObject({ code: 'coupon_wrong_store', userMessage: '這張優惠券不適用此門市。' });
    await expect(
      redeemCoupon({
        code: coupon.code,
        actor: 's',
        now,
        storeId: 'taichung',
        orderAmount: 300,
        timeZone: 'Asia/Taipei',
      }),
    ).rejects.toMatchObject({ code: 'coupon_min_spend', userMessage: '未達最低消費 NT$500，無法使用這張優惠券。' });
    await expect(
      redeemCoupon({ code: coupon.code, actor: 's', now: later(31), storeId: 'taichung', timeZone: 'Asia/Taipei' }),
    ).rejects.toMatchObject({ code: 'coupon_expired', userMessage: '這張優惠券已過期（有效期限至 2026/04/09）。' });
    const future = await createTemplate({
      validity: { mode: 'fixed', from: '2026-04-01T00:00:00+08:00', until: '2026-04-30T23:59:59+08:00' },
    });
    const f = await issueCoupon({ templateId: future.id, memberId: m._id, key: 'e2', now, timeZone: 'Asia/Taipei' });
    await expect(redeemCoupon({ code: f.coupon.code, actor: 's', now, timeZone: 'Asia/Taipei' })).rejects.toMatchObject(
      { code: 'coupon_not_started' },
    );
    await expect(redeemCoupon({ code: 'ZZZZ-ZZZZ', actor: 's', now, timeZone: 'Asia/Taipei' })).rejects.toMatchObject({
      code: 'coupon_not_found',
      status: 404,
    });
    expect(await Coupon.countDocuments({ status: 'used' })).toBe(0);
  });

  it('an admin can reverse a redemption once; the coupon is usable again', async () => {
    const t = await createTemplate();
    const m = await createPlainMember();
    const { coupon } = await issueCoupon({
      templateId: t.id,
      memberId: m._id,
      key: 'rv',
      now,
      timeZone: 'Asia/Taipei',
    });
    await redeemCoupon({ code: coupon.code, actor: 'staff-1', now, storeId: 'taipei-101', timeZone: 'Asia/Taipei' });
    const results = await Promise.allSettled([
      reverseRedemption({ couponId: coupon.id, actor: 'admin', now }),
      reverseRedemption({ couponId: coupon.id, actor: 'admin', now }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const doc = await Coupon.findById(coupon.id).lean();
    expect(doc).toMatchObject({
      status: 'active',
      reversals: [expect.objectContaining({ by: 'admin', usedStoreId: 'taipei-101' })],
    });
    await expect(
      redeemCoupon({ code: coupon.code, actor: 'staff-1', now, timeZone: 'Asia/Taipei' }),
    ).resolves.toMatchObject({ coupon: { state: 'used' } });
    await expect(reverseRedemption({ couponId: coupon.id, actor: 'admin', now: later(1) })).resolves.toMatchObject({
      state: 'active',
    });
  });
});

describe('points → coupon exchange', () => {
  it('spends the points and issues the coupon once, whatever the retries', async () => {
    const t = await createTemplate({ pointsCost: 30, perMemberLimit: 10 });
    const m = await createPlainMember();
    await give(m._id, 100);
    const [a, b] = await Promise.all([
      exchangePointsForCoupon({ memberId: m._id, templateId: t.id, key: 'req-00000001', now, timeZone: 'Asia/Taipei' }),
      exchangePointsForCoupon({ memberId: m._id, templateId: t.id, key: 'req-00000001', now, timeZone: 'Asia/Taipei' }),
    ]);
    expect(a.coupon.id).toBe(b.coupon.id);
    expect((await Member.findById(m._id).lean())!.pointsBalance).toBe(70);
    expect(await Coupon.countDocuments({ memberId: m._id })).toBe(1);
    expect(await findPointsDrift()).toEqual([]);
  });

  it('insufficient points: no coupon, no change', async () => {
    const t = await createTemplate({ pointsCost: 300 });
    const m = await createPlainMember();
    await give(m._id, 100);
    await expect(
      exchangePointsForCoupon({ memberId: m._id, templateId: t.id, key: 'req-00000002', now, timeZone: 'Asia/Taipei' }),
    ).rejects.toMatchObject({ code: 'insufficient_points' });
    expect(await Coupon.countDocuments()).toBe(0);
    expect((await Member.findById(m._id).lean())!.pointsBalance).toBe(100);
  });

  it('concurrent exchanges for the last coupon: one wins, the other gets its points back', async () => {
    const t = await createTemplate({ pointsCost: 10, totalQuota: 1 });
    const [m1, m2] = await Promise.all([createPlainMember(), createPlainMember()]);
    await Promise.all([give(m1._id, 50), give(m2._id, 50)]);
    const results = await Promise.allSettled([
      exchangePointsForCoupon({ memberId: m1._id, templateId: t.id, key: 'req-m1-0001', now, timeZone: 'Asia/Taipei' }),
      exchangePointsForCoupon({ memberId: m2._id, templateId: t.id, key: 'req-m2-0001', now, timeZone: 'Asia/Taipei' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const balances = (await Member.find({ _id: { $in: [m1._id, m2._id] } }).lean()).map((m) => m.pointsBalance).sort();
    expect(balances).toEqual([40, 50]);
    expect(await findPointsDrift()).toEqual([]);
  });

  it('an exchange interrupted after the spend is completed by the repair sweep', async () => {
    const t = await createTemplate({ pointsCost: 20 });
    const m = await createPlainMember();
    await give(m._id, 50);
    // The state a crash between the two steps leaves: points spent under the exchange key, no coupon yet.
    await changePoints({
      memberId: m._id,
      delta: -20,
      reason: 'redeem',
      key: `exchange:${m._id}:req-crash-01`,
      refs: { exchange: true, templateId: t.id },
      now,
    });
    expect(await repairInterruptedExchanges(later(1), { timeZone: 'Asia/Taipei' })).toEqual({
      completed: 1,
      refunded: 0,
    });
    expect(await Coupon.countDocuments({ memberId: m._id, source: 'exchange' })).toBe(1);
    expect(await repairInterruptedExchanges(later(1), { timeZone: 'Asia/Taipei' })).toEqual({
      completed: 0,
      refunded: 0,
    });
    const retried = await exchangePointsForCoupon({
      memberId: m._id,
      templateId: t.id,
      key: 'req-crash-01',
      now: later(1),
      timeZone: 'Asia/Taipei',
    });
    expect(retried.duplicate).toBe(true);
    expect((await Member.findById(m._id).lean())!.pointsBalance).toBe(30);
    expect(await PointsEntry.countDocuments({ memberId: m._id })).toBe(2);
  });

  it('lists what the member can exchange, with affordability and reasons', async () => {
    await createTemplate({ title: '小禮', pointsCost: 20 });
    await createTemplate({ title: '大禮', pointsCost: 500 });
    await createTemplate({ title: '金卡限定', pointsCost: 10, tierCodes: ['gold'] });
    await createTemplate({ title: '非兌換' });
    const m = await createPlainMember();
    await give(m._id, 100);
    const list = await listExchangeableTemplates(m._id, now, 'Asia/Taipei');
    expect(list.balance).toBe(100);
    expect(list.items.map((i) => [i.title, i.canAfford, i.unavailableReason])).toEqual([
      ['小禮', true, null],
      ['大禮', false, '還差 400 點'],
    ]);
  });
});
