import request from 'supertest';
import { createCouponTemplate } from '../../../domain/coupons';
import { runBirthdayProgram } from '../../../domain/campaigns/birthday.service';
import { findPriorRewards, identityKeys } from '../../../domain/members/erasure-registry.service';
import { findPointsDrift } from '../../../domain/points/points.service';
import { ingestPurchase } from '../../../domain/purchases/purchase.service';
import { Coupon } from '../../../models/coupon.model';
import { ErasureRecord } from '../../../models/erasure-record.model';
import { Member } from '../../../models/member.model';
import { PointsEntry } from '../../../models/points-entry.model';
import { buildMember, loginAs, type ConsoleLogin } from '../../factories/console.factory';
import { createApiKey } from '../../factories/program.factory';
import { idTokenFor } from '../../factories/liff-member.factory';
import { programContext } from '../../../domain/shared/context';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { ChatUser } from '../bot/chat-driver';

/**
 * "Delete my data" followed by joining again with the same LINE account must not farm the one-time rewards: the
 * erasure registry keeps a keyed hash of the LINE userId (and phone) with the rewards already given, the new
 * membership starts empty without them, and whatever the erased membership held (coupons, points) is void.
 * Everything goes through the emulator's webhook, the card API, the console and the POS API, over HTTP.
 */
describe('#12.1 erase-and-rejoin does not farm one-time rewards', () => {
  let env: TestEnv;
  let staff: ConsoleLogin;
  let posKey: string;
  /** Every answer of the default persona script, as the card's form sends them. */
  const ALL = {
    gender: 'female',
    birthday: '1990-05-20',
    city: '臺北',
    interests: 'beauty,travel',
    price: 'value',
    promotion: 'points',
    'contact-time': 'evening',
    phone: '0911222333',
  };

  beforeAll(async () => {
    env = await startTestEnv();
  });
  afterAll(() => env.close());
  beforeEach(async () => {
    await env.resetDb();
    staff = await loginAs(env, 'admin');
    posKey = (await createApiKey('刪除測試 POS')).key;
  });

  const card = async (u: ChatUser) => {
    const token = await idTokenFor(env, u.userId);
    return {
      get: (path: string) => request(env.url).get(`/api/member${path}`).set('Authorization', `Bearer ${token}`),
      put: (path: string, body: object) =>
        request(env.url).put(`/api/member${path}`).set('Authorization', `Bearer ${token}`).send(body),
      post: (path: string, body: object) =>
        request(env.url).post(`/api/member${path}`).set('Authorization', `Bearer ${token}`).send(body),
    };
  };
  const issue = (templateId: string, memberId: string, key: string) =>
    staff.agent
      .post(`/api/console/coupons/templates/${templateId}/issue`)
      .set('X-CSRF-Token', staff.csrf)
      .send({ memberId, key, notify: false });
  const posRedeem = (code: string) =>
    request(env.url).post('/api/ingest/coupons/redeem').set('x-api-key', posKey).send({ code });
  const counterRedeem = (code: string) =>
    staff.agent.post('/api/console/counter/redeem').set('X-CSRF-Token', staff.csrf).send({ code });
  /** Joins (or joins again): follow through the webhook, accept the notice in the chat. */
  const join = async (u: ChatUser, again: boolean) => {
    if (again) await u.unfollow();
    await u.follow();
    await u.tap('consent:accept');
    return (await u.member())!;
  };

  it('three erase-and-rejoin loops with one LINE account: one persona reward, one welcome coupon, no erased coupon redeemable', async () => {
    const welcome = await createCouponTemplate(
      {
        title: '新會員見面禮',
        kind: 'amount',
        value: 100,
        validity: { mode: 'relative', days: 30 },
        perMemberLimit: 1,
      },
      'test',
    );
    const u = await ChatUser.create(env, '林雅婷');
    const memberIds: string[] = [];
    const erasedCodes: string[] = [];
    const issued: number[] = [];

    for (let loop = 0; loop < 3; loop++) {
      const member = await join(u, loop > 0);
      memberIds.push(String(member._id));
      expect(member).toMatchObject({ pointsBalance: 0, stats: { purchaseCount: 0 } });
      const c = await card(u);
      const profile = await c.put('/profile', { answers: ALL });
      expect(profile.status).toBe(200);
      expect(profile.body.profile.personaCompleted).toBe(true);

      const res = await issue(welcome.id, String(member._id), `welcome-${loop}-0001`);
      issued.push(res.status);
      if (loop > 0)
        expect(res.body.error).toMatchObject({
          code: 'coupon_member_limit',
          message: expect.stringContaining('每位會員'),
        });

      const wallet = await c.get('/coupons');
      expect(wallet.status).toBe(200);
      erasedCodes.push(...(wallet.body.active as Array<{ code: string }>).map((x) => x.code));
      expect((await c.post('/privacy/erase', { confirm: true })).status).toBe(200);
    }

    expect(new Set(memberIds).size).toBe(3);
    expect(issued).toEqual([200, 409, 409]);
    expect(await PointsEntry.countDocuments({ reason: 'persona_complete' })).toBe(1);
    expect(await Coupon.countDocuments({ templateId: welcome.id })).toBe(1);
    expect(erasedCodes).toHaveLength(1);
    for (const code of erasedCodes) {
      const pos = await posRedeem(code);
      expect([pos.status, pos.body.error.code, pos.body.error.message]).toEqual([
        409,
        'coupon_void',
        '這張優惠券已作廢。',
      ]);
      const counter = await counterRedeem(code);
      expect([counter.status, counter.body.error.code]).toEqual([409, 'coupon_void']);
    }
    // The persona reward (50 points) was voided with the first membership; the books still balance.
    const first = await Member.findById(memberIds[0]).lean();
    expect(first!.pointsBalance).toBe(0);
    expect(await PointsEntry.findOne({ memberId: memberIds[0], reason: 'erasure' }).lean()).toMatchObject({
      delta: -50,
    });
    expect(await findPointsDrift()).toEqual([]);
  });

  it('a fourth membership still has a usable wallet and card: only the one-time rewards are withheld', async () => {
    const u = await ChatUser.create(env, '陳怡君');
    await join(u, false);
    expect((await (await card(u)).post('/privacy/erase', { confirm: true })).status).toBe(200);
    const again = await join(u, true);
    const me = await (await card(u)).get('/me');
    expect(me.status).toBe(200);
    expect(again.priorRewards).toMatchObject({ persona: false, referee: false });
    // Purchases earn as for anyone.
    await ingestPurchase(
      { orderId: 'R-1', member: { lineUserId: u.userId }, amount: 1000 },
      { source: 'test', now: env.deps.clock(), messenger: env.deps.messenger, timeZone: env.config.timeZone },
    );
    expect((await Member.findById(again._id).lean())!.pointsBalance).toBe(10);
  });

  it('a returning referee cannot enter a referral code again, so neither side is rewarded twice', async () => {
    const referrerUser = await ChatUser.create(env, '王小明');
    await join(referrerUser, false);
    const code = (await (await card(referrerUser)).get('/referral')).body.code as string;

    const u = await ChatUser.create(env, '張家豪');
    await join(u, false);
    expect((await (await card(u)).post('/referral', { code })).status).toBe(200);
    await ingestPurchase(
      { orderId: 'F-1', member: { lineUserId: u.userId }, amount: 500 },
      { source: 'test', now: env.deps.clock(), messenger: env.deps.messenger, timeZone: env.config.timeZone },
    );
    expect(await PointsEntry.countDocuments({ reason: 'welcome' })).toBe(1);
    expect(await PointsEntry.countDocuments({ reason: 'referral' })).toBe(1);
    expect((await (await card(u)).post('/privacy/erase', { confirm: true })).status).toBe(200);

    await join(u, true);
    const c = await card(u);
    expect((await c.get('/referral')).body.canEnterCode).toBe(false);
    const again = await c.post('/referral', { code });
    expect([again.status, again.body.error.code, again.body.error.message]).toEqual([
      409,
      'referral_not_eligible',
      '推薦碼限新朋友使用，您之前已經使用過推薦碼了喔。',
    ]);
    await ingestPurchase(
      { orderId: 'F-2', member: { lineUserId: u.userId }, amount: 500 },
      { source: 'test', now: env.deps.clock(), messenger: env.deps.messenger, timeZone: env.config.timeZone },
    );
    expect(await PointsEntry.countDocuments({ reason: 'welcome' })).toBe(1);
    expect(await PointsEntry.countDocuments({ reason: 'referral' })).toBe(1);
    expect((await (await card(referrerUser)).get('/referral')).body.rewardsEarned).toBe(1);
  });

  it("this year's birthday gift is not given again to a returning person", async () => {
    const u = await ChatUser.create(env, '李淑芬');
    const first = await join(u, false);
    const longAgo = new Date(env.deps.clock().getTime() - 400 * 86_400_000);
    await Member.updateOne(
      { _id: first._id },
      { $set: { birthday: '1990-05-20', birthMonth: 5, birthdaySetAt: longAgo } },
    );
    const deps = programContext(env.deps);
    const birthday2027 = new Date('2027-05-20T02:00:00Z');
    expect(await runBirthdayProgram(deps, birthday2027)).toMatchObject({ candidates: 1, points: 1 });
    expect((await (await card(u)).post('/privacy/erase', { confirm: true })).status).toBe(200);

    const again = await join(u, true);
    await Member.updateOne(
      { _id: again._id },
      { $set: { birthday: '1990-05-20', birthMonth: 5, birthdaySetAt: longAgo } },
    );
    expect(await runBirthdayProgram(deps, birthday2027)).toMatchObject({ candidates: 0, points: 0, hadBefore: 1 });
    expect(await PointsEntry.countDocuments({ reason: 'birthday', memberId: again._id })).toBe(0);
    // Next year is a new gift.
    expect(await runBirthdayProgram(deps, new Date('2028-05-20T02:00:00Z'))).toMatchObject({
      candidates: 1,
      points: 1,
    });
  });

  it('stores only keyed hashes and reward flags; the phone is remembered too; a different secret matches nothing', async () => {
    const template = await createCouponTemplate(
      { title: '滿千折百', kind: 'amount', value: 100, validity: { mode: 'relative', days: 30 }, perMemberLimit: 2 },
      'test',
    );
    const u = await ChatUser.create(env, '黃志明');
    const m = await join(u, false);
    await Member.updateOne({ _id: m._id }, { $set: { phone: '0912345678' } });
    expect((await issue(template.id, String(m._id), 'phone-test-0001')).status).toBe(200);
    expect((await (await card(u)).post('/privacy/erase', { confirm: true })).status).toBe(200);

    const records = await ErasureRecord.find({}).lean();
    expect(records).toHaveLength(2);
    const secret = env.config.privacy.erasureHmacSecret;
    expect(records.map((r) => r.identity).sort()).toEqual(
      identityKeys(secret, { lineUserId: u.userId, phone: '0912-345-678' }).sort(),
    );
    const stored = JSON.stringify(records);
    for (const personal of [u.userId, '0912345678', '黃志明', String(m._id)]) expect(stored).not.toContain(personal);
    for (const r of records) expect(Object.keys(r).sort()).toEqual(['_id', 'identity', 'rewards']);
    expect(
      records.map((r) => [Boolean(r.rewards?.persona), Boolean(r.rewards?.referee), r.rewards?.birthdayYears]),
    ).toEqual([
      [false, false, []],
      [false, false, []],
    ]);

    expect(await findPriorRewards(secret, { phone: '+886 912 345 678' })).toMatchObject({
      coupons: { [template.id]: 1 },
    });
    expect(
      await findPriorRewards('another-secret-of-at-least-32-characters', { lineUserId: u.userId, phone: '0912345678' }),
    ).toBeNull();
    // One coupon of that template is left for the returning person (limit 2, one held before).
    const again = await join(u, true);
    expect((await issue(template.id, String(again._id), 'phone-test-0002')).status).toBe(200);
    expect((await issue(template.id, String(again._id), 'phone-test-0003')).body.error.code).toBe(
      'coupon_member_limit',
    );
  });

  it('the phone of an erased membership brings its rewards to a new LINE account it is merged into', async () => {
    const u = await ChatUser.create(env, '蔡宜蓁');
    const m = await join(u, false);
    await Member.updateOne({ _id: m._id }, { $set: { phone: '0987654321' } });
    await (await card(u)).put('/profile', { answers: { ...ALL, phone: '0987654321' } });
    expect((await (await card(u)).post('/privacy/erase', { confirm: true })).status).toBe(200);

    const other = await ChatUser.create(env, '蔡宜蓁的新帳號');
    const fresh = await join(other, false);
    const imported = await buildMember({ status: 'imported', phone: '0987654321', followedAt: undefined });
    const merged = await staff.agent
      .post(`/api/console/members/${fresh._id}/merge`)
      .set('X-CSRF-Token', staff.csrf)
      .send({ sourceId: String(imported._id) });
    expect(merged.status).toBe(200);
    expect((await Member.findById(fresh._id).lean())!.priorRewards).toMatchObject({ persona: true });
    const profile = await (await card(other)).put('/profile', { answers: { ...ALL, phone: '0987654321' } });
    expect(profile.body.profile.personaCompleted).toBe(true);
    expect(await PointsEntry.countDocuments({ reason: 'persona_complete' })).toBe(1);
  });

  it('an unconfirmed erasure changes nothing: no registry record, coupons and points stay', async () => {
    const template = await createCouponTemplate(
      { title: '飲品兌換券', kind: 'gift', giftName: '紅茶', validity: { mode: 'relative', days: 30 } },
      'test',
    );
    const u = await ChatUser.create(env, '吳佩珊');
    const m = await join(u, false);
    await (await card(u)).put('/profile', { answers: ALL });
    expect((await issue(template.id, String(m._id), 'unconfirmed-0001')).status).toBe(200);
    const res = await (await card(u)).post('/privacy/erase', {});
    expect(res.status).toBe(400);
    expect(await ErasureRecord.countDocuments({})).toBe(0);
    expect(await Coupon.countDocuments({ memberId: m._id, status: 'active' })).toBe(1);
    expect((await Member.findById(m._id).lean())!.pointsBalance).toBe(50);
    const code = (await Coupon.findOne({ memberId: m._id }).lean())!.code;
    expect((await posRedeem(code)).status).toBe(200);
  });
});
