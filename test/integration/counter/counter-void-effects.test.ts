import { Campaign } from '../../../models/campaign.model';
import { Coupon } from '../../../models/coupon.model';
import { Delivery } from '../../../models/delivery.model';
import { Member } from '../../../models/member.model';
import { Purchase } from '../../../models/purchase.model';
import { StampCard } from '../../../models/stamp-card.model';
import { StampCardTemplate } from '../../../models/stamp-card-template.model';
import { issueCoupon } from '../../../domain/coupons';
import { getCampaignStats } from '../../../domain/campaigns/campaign-stats.service';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { loginAs, type ConsoleLogin } from '../../factories/console.factory';
import { createLineMember, createTemplate } from '../../factories/program.factory';

let env: TestEnv;
const now = new Date('2025-06-02T04:00:00Z');
let clerk: ConsoleLogin;

beforeAll(async () => {
  env = await startTestEnv({ clock: () => now });
  const admin = await loginAs(env, 'admin');
  clerk = await loginAs(env, 'staff');
  await admin.agent
    .patch(`/api/console/users/${clerk.userId}`)
    .set('X-CSRF-Token', admin.csrf)
    .send({ storeId: 'taipei-101' })
    .expect(200);
});
afterAll(() => env.close());

const post = (path: string, body: unknown = {}) =>
  clerk.agent
    .post(`/api/console${path}`)
    .set('X-CSRF-Token', clerk.csrf)
    .send(body as object);

describe('#16.5 a voided counter purchase is as if it never happened', () => {
  it('tier, points, stamps, referral reward, the coupon and the campaign’s attributed revenue are as before', async () => {
    const { member: referrer } = await createLineMember(env);
    const { member: buyer, userId } = await createLineMember(env, {
      referral: { referredBy: referrer._id, referredAt: now },
    });
    const campaign = await Campaign.create({
      name: '夏季活動',
      audience: {},
      messages: [{ type: 'text', text: '夏季特賣' }],
      schedule: {},
      options: { attributionDays: 7 },
      status: 'completed',
    });
    await Delivery.create({
      campaignId: campaign._id,
      occurrence: 'once',
      memberId: buyer._id,
      lineUserId: userId,
      batch: 0,
      status: 'sent',
      countedAt: new Date(now.getTime() - 86_400_000),
      sentAt: new Date(now.getTime() - 86_400_000),
    });
    const stampTpl = await StampCardTemplate.create({
      name: '夏日集點卡',
      stampsNeeded: 6,
      earn: { rule: 'per_purchase' },
      status: 'active',
    });
    const couponTpl = await createTemplate({ title: '滿千折百', minSpend: 1_000 });
    const { coupon } = await issueCoupon({
      templateId: couponTpl.id,
      memberId: String(buyer._id),
      key: 'void-effects-coupon',
      now,
      timeZone: 'Asia/Taipei',
    });

    const snapshot = async () => {
      const b = (await Member.findById(buyer._id).lean())!;
      const r = (await Member.findById(referrer._id).lean())!;
      const stats = await getCampaignStats(String(campaign._id));
      const cards = await StampCard.find({ memberId: buyer._id, templateId: stampTpl._id }).lean();
      return {
        tier: b.tier?.code ?? 'basic',
        points: b.pointsBalance,
        purchases: b.stats?.purchaseCount ?? 0,
        referrerPoints: r.pointsBalance,
        referralRewarded: Boolean(b.referral?.rewardedAt),
        stamps: cards.reduce((n, c: { stamps?: number }) => n + (c.stamps ?? 0), 0),
        coupon: (await Coupon.findById(coupon.id).lean())!.status,
        attributed: stats.attributedPurchases,
      };
    };
    const before = await snapshot();
    expect(before).toMatchObject({
      points: 0,
      referrerPoints: 0,
      stamps: 0,
      coupon: 'active',
      referralRewarded: false,
    });

    // NT$50,000 instead of 5,000, with the coupon: upgrade, referral rewards, a stamp, campaign revenue.
    const res = await post('/counter/redeem', {
      code: coupon.code,
      orderAmount: 50_000,
      recordPurchase: true,
      confirm: true,
      key: 'void-effects-order',
    }).expect(200);
    const during = await snapshot();
    expect(during).toMatchObject({
      tier: 'gold',
      referrerPoints: 100,
      referralRewarded: true,
      stamps: 1,
      coupon: 'used',
      attributed: { count: 1, buyers: 1, revenue: 50_000 },
    });
    expect(during.points).toBeGreaterThan(50);

    const purchaseId = res.body.purchase.purchaseId;
    await post(`/purchases/${purchaseId}/void`, { reason: '金額多打一個 0' }).expect(200);
    expect(await snapshot()).toEqual(before);
    const again = await post(`/purchases/${purchaseId}/void`, { reason: '金額多打一個 0' }).expect(200);
    expect(again.body.purchase.replayed).toBe(true);
    expect(await snapshot()).toEqual(before);

    // The real first purchase then completes the referral afresh, as if the mistake never happened.
    await post('/counter/purchases', { memberId: String(buyer._id), amount: 5_000, key: 'void-effects-real' }).expect(
      201,
    );
    const after = await snapshot();
    expect(after).toMatchObject({ referrerPoints: 100, referralRewarded: true, stamps: 1 });
    expect(await Purchase.countDocuments({ memberId: buyer._id, voidedAt: null })).toBe(1);
    await StampCardTemplate.deleteMany({});
  });
});
