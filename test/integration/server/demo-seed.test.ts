import { Conversation } from '../../../models/conversation.model';
import { CannedReply } from '../../../models/inbox-canned-reply.model';
import { getProgramSettings } from '../../../domain/program/settings.service';
import { Member } from '../../../models/member.model';
import { PointsEntry } from '../../../models/points-entry.model';
import { Coupon } from '../../../models/coupon.model';
import { Campaign } from '../../../models/campaign.model';
import { Purchase } from '../../../models/purchase.model';
import { StampCard } from '../../../models/stamp-card.model';
import { StampCardTemplate } from '../../../models/stamp-card-template.model';
import { Journey } from '../../../models/journey.model';
import { CouponTemplate } from '../../../models/coupon-template.model';
import { findPointsDrift } from '../../../domain/points/points.service';
import { demoLineUserId, restoreEmulatorUsers, seedDemoData } from '../../../server/demo-seed';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';

describe('local demo seed', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv();
  });
  afterAll(async () => {
    await env.close();
  });

  const counts = async () => ({
    members: await Member.countDocuments(),
    purchases: await Purchase.countDocuments(),
    points: await PointsEntry.countDocuments(),
    coupons: await Coupon.countDocuments(),
    campaigns: await Campaign.countDocuments(),
    stampTemplates: await StampCardTemplate.countDocuments(),
    stampCards: await StampCard.countDocuments(),
    journeys: await Journey.countDocuments(),
  });

  it('creates a living demo brand, and a second run changes nothing', async () => {
    const now = new Date('2026-11-25T04:00:00Z');
    const first = await seedDemoData({
      messenger: env.deps.messenger,
      now,
      timeZone: 'Asia/Taipei',
      erasureSecret: env.config.privacy.erasureHmacSecret,
      cardUrl: env.deps.links.card(),
    });
    expect(first.created).toBe(true);
    const after1 = await counts();
    expect(after1.members).toBe(8);
    expect(after1.purchases).toBeGreaterThan(10);
    expect(after1.coupons).toBeGreaterThanOrEqual(8);
    expect(after1.campaigns).toBe(1);
    // #16.1 the drink stamp card: 10 stamps → a free drink, 20 points at 5; seeded purchases stamped it.
    const drink = await StampCardTemplate.findOne({ name: '飲料集點卡' }).lean();
    expect(drink).toMatchObject({ stampsNeeded: 10, status: 'active', earn: { rule: 'per_purchase' } });
    expect(drink?.milestones).toEqual([{ at: 5, reward: { kind: 'points', points: 20 } }]);
    expect(drink?.completionReward?.kind).toBe('coupon');
    expect(after1.stampCards).toBeGreaterThan(0);
    // #15.2: the six journey templates, five active; birthday month a draft beside the fixed birthday program.
    const journeys = await Journey.find({}, { template: 1, status: 1, name: 1, steps: 1 }).sort({ template: 1 }).lean();
    expect(journeys.map((j) => [j.template, j.status])).toEqual([
      ['birthday_month', 'draft'],
      ['points_expiring', 'active'],
      ['post_purchase', 'active'],
      ['tier_upgrade', 'active'],
      ['welcome', 'active'],
      ['win_back', 'active'],
    ]);
    // The welcome series' day-7 coupon is the demo brand's own first-purchase coupon.
    const welcome = journeys.find((j) => j.template === 'welcome')!;
    const coupon = (welcome.steps as Array<{ type: string; templateId?: string }>).find((st) => st.type === 'coupon');
    expect((await CouponTemplate.findById(coupon!.templateId).lean())?.title).toBe('首購禮 NT$100');
    const ming = await Member.findOne({ lineUserId: demoLineUserId('林志明') }).lean();
    expect(ming?.city).toBe('新北市');
    expect(ming?.tags.map((t) => t.tag)).toEqual(expect.arrayContaining(['興趣:3C', '興趣:運動', '偏好優惠:折扣']));
    expect(ming?.rfm?.segment).toBeTruthy();
    expect(await findPointsDrift()).toEqual([]);
    // The inbox (#13.5): a customer waiting for a colleague, canned replies, opening hours.
    const ya = await Member.findOne({ lineUserId: demoLineUserId('吳雅婷') }).lean();
    expect(await Conversation.findOne({ memberId: ya!._id }).lean()).toMatchObject({
      status: 'open',
      waiting: true,
      unread: 2,
    });
    expect(await CannedReply.countDocuments()).toBe(5);
    // 客服時間: 週一至週五 10:00–19:00, 週六 11:00–17:00, 週日公休 (Sunday first).
    const weekday = { open: '10:00', close: '19:00' };
    expect((await getProgramSettings()).inbox.openingHours).toEqual([
      null,
      weekday,
      weekday,
      weekday,
      weekday,
      weekday,
      { open: '11:00', close: '17:00' },
    ]);

    const second = await seedDemoData({
      messenger: env.deps.messenger,
      now,
      timeZone: 'Asia/Taipei',
      erasureSecret: env.config.privacy.erasureHmacSecret,
      cardUrl: env.deps.links.card(),
    });
    expect(second.created).toBe(false);
    expect(await counts()).toEqual(after1);
    expect(await Journey.countDocuments()).toBe(6);
    // Seeded history never pushes anything to LINE.
    expect((await env.emulator.pushes()).length).toBe(0);
  });

  it('two instances starting at once create each demo journey once (the unique template index)', async () => {
    await Journey.deleteMany({});
    const seed = () =>
      seedDemoData({
        messenger: env.deps.messenger,
        now: new Date('2026-11-25T04:00:00Z'),
        timeZone: 'Asia/Taipei',
        erasureSecret: env.config.privacy.erasureHmacSecret,
        cardUrl: env.deps.links.card(),
      });
    await Promise.all([seed(), seed()]);
    const templates = (await Journey.find({}, { template: 1 }).lean()).map((j) => j.template).sort();
    expect(templates).toHaveLength(6);
    expect(new Set(templates).size).toBe(6);
  });

  it('restores emulator users with the friendship the bot knows, without follow events', async () => {
    const restored = await restoreEmulatorUsers(env.local.emulator!);
    expect(restored).toBe(8);
    const users = await env.emulator.call<Array<{ userId: string; status: string }>>('GET', '/_emulator/users');
    expect(users.find((u) => u.userId === demoLineUserId('陳怡君'))?.status).toBe('following');
    expect(await restoreEmulatorUsers(env.local.emulator!)).toBe(0);
  });

  describe('#18.8 local start neither re-scores RFM nor re-creates emulator users one call at a time', () => {
    it('a start with data present leaves the RFM scores to the nightly job', async () => {
      const scoredAt = async () =>
        (await Member.findOne({ lineUserId: demoLineUserId('林志明') }).lean())?.rfm?.scoredAt;
      const first = await scoredAt();
      expect(first).toEqual(new Date('2026-11-25T04:00:00Z'));
      const again = await seedDemoData({
        messenger: env.deps.messenger,
        now: new Date('2026-12-01T04:00:00Z'),
        timeZone: 'Asia/Taipei',
        erasureSecret: env.config.privacy.erasureHmacSecret,
      });
      expect(again.created).toBe(false);
      expect(await scoredAt()).toEqual(first);
    });

    it('restores thousands of users in process, in one pass, with their friendship state', async () => {
      env.local.emulator!.reset();
      const hex = (i: number) => i.toString(16).padStart(32, '0');
      await Member.insertMany(
        Array.from({ length: 3000 }, (_, i) => ({
          lineUserId: `U${hex(i + 1)}`,
          memberCode: `R${String(i).padStart(7, '0')}`,
          displayName: `會員${i}`,
          status: i % 10 === 0 ? 'blocked' : 'active',
        })),
      );
      expect(await restoreEmulatorUsers(env.local.emulator!)).toBe(3008);
      const users = env.local.emulator!.listUsers();
      expect(users).toHaveLength(3008);
      expect(env.local.emulator!.getUser(`U${hex(1)}`)).toMatchObject({ status: 'unfollowed', displayName: '會員0' });
      expect(env.local.emulator!.getUser(`U${hex(2)}`)).toMatchObject({ status: 'following' });
      expect(await restoreEmulatorUsers(env.local.emulator!)).toBe(0);
    });
  });
});
