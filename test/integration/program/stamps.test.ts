import request from 'supertest';
import { Coupon } from '../../../models/coupon.model';
import { Member } from '../../../models/member.model';
import { PointsEntry } from '../../../models/points-entry.model';
import { Purchase } from '../../../models/purchase.model';
import { StampCard } from '../../../models/stamp-card.model';
import { StampCardTemplate } from '../../../models/stamp-card-template.model';
import { AuditLog } from '../../../models/audit-log.model';
import { addManualStamp, reverseStampsForPurchase } from '../../../domain/stamps/stamp.service';
import { runJobOnce } from '../../../jobs/runner';
import { allJobs } from '../../../jobs';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { createApiKey, createLineMember, createTemplate } from '../../factories/program.factory';
import { withClock } from '../campaigns/fixtures';

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

const post = (body: unknown) =>
  request(env.url)
    .post('/api/ingest/purchases')
    .set('Authorization', `Bearer ${key}`)
    .send(body as object);
const order = (memberCode: string, orderId: string, extra: Record<string, unknown> = {}) => ({
  orderId,
  member: { memberCode },
  amount: 150,
  storeId: 'taipei-101',
  items: [{ sku: 'C-01', name: '拿鐵', category: '咖啡', quantity: 1, amount: 150 }],
  ...extra,
});
const ctx = () => ({ now: env.deps.clock(), timeZone: 'Asia/Taipei' });
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

async function template(overrides: Record<string, unknown> = {}) {
  return StampCardTemplate.create({
    name: '咖啡集點卡',
    stampsNeeded: 5,
    earn: { rule: 'per_purchase' },
    status: 'active',
    ...overrides,
  });
}

describe('stamps from ingested purchases', () => {
  it('5 purchases, each posted three times → exactly 5 stamps and one completion reward', async () => {
    const coupon = await createTemplate({ title: '免費拿鐵一杯' });
    const t = await template({ completionReward: { kind: 'coupon', couponTemplateId: coupon.id } });
    const { member } = await createLineMember(env);
    for (let i = 1; i <= 5; i++) {
      for (let replay = 0; replay < 3; replay++) {
        const res = await post(order(member.memberCode, `S${i}`));
        expect(res.status).toBeLessThan(300);
      }
    }
    const cards = await StampCard.find({ memberId: member._id }).lean();
    expect(cards).toHaveLength(1);
    expect(cards[0]).toMatchObject({ stamps: 5, status: 'completed', templateId: t._id });
    expect(cards[0].entries).toHaveLength(5);
    const rewards = await Coupon.find({ memberId: member._id, source: 'stamp' }).lean();
    expect(rewards).toHaveLength(1);
    expect(rewards[0].title).toBe('免費拿鐵一杯');
    // The sixth purchase opens the next card of the same template.
    await post(order(member.memberCode, 'S6'));
    const after = await StampCard.find({ memberId: member._id }).sort({ seq: 1 }).lean();
    expect(after.map((c) => [c.seq, c.stamps, c.status])).toEqual([
      [1, 5, 'completed'],
      [2, 1, 'active'],
    ]);
  });

  it('concurrent replays of one order give one stamp', async () => {
    await template();
    const { member } = await createLineMember(env);
    await Promise.all(Array.from({ length: 4 }, () => post(order(member.memberCode, 'C1'))));
    const cards = await StampCard.find({ memberId: member._id }).lean();
    expect(cards.reduce((n, c) => n + c.stamps, 0)).toBe(1);
  });

  it('per NT$ amount: one stamp per NT$100, overflow spills onto the next card; milestone points given once', async () => {
    await template({
      stampsNeeded: 4,
      earn: { rule: 'per_amount', amountPerStamp: 100 },
      milestones: [{ at: 2, reward: { kind: 'points', points: 30 } }],
    });
    const { member } = await createLineMember(env);
    await post(order(member.memberCode, 'A1', { amount: 350, items: [{ name: '豆子', amount: 350 }] }));
    await post(order(member.memberCode, 'A1', { amount: 350, items: [{ name: '豆子', amount: 350 }] }));
    await post(order(member.memberCode, 'A2', { amount: 290, items: [{ name: '豆子', amount: 290 }] }));
    const cards = await StampCard.find({ memberId: member._id }).sort({ seq: 1 }).lean();
    expect(cards.map((c) => [c.stamps, c.status])).toEqual([
      [4, 'completed'],
      [1, 'active'],
    ]);
    const milestone = await PointsEntry.find({ memberId: member._id, reason: 'stamp' }).lean();
    expect(milestone.map((e) => e.delta)).toEqual([30]);
  });

  it('per visit: the daily cap holds; the next day stamps again', async () => {
    await template({ earn: { rule: 'per_visit', dailyCap: 1 } });
    const { member } = await createLineMember(env);
    await post(order(member.memberCode, 'V1', { time: hoursAgo(30) }));
    await post(order(member.memberCode, 'V2', { time: hoursAgo(29.9) }));
    await post(order(member.memberCode, 'V3', { time: hoursAgo(1) }));
    const [card] = await StampCard.find({ memberId: member._id }).lean();
    expect(card.stamps).toBe(2);
    expect(card.entries.map((e) => e.key)).toEqual(['order:pos:V1', 'order:pos:V3']);
  });

  it('per category: only items of the category count, one stamp per unit', async () => {
    await template({ earn: { rule: 'per_category', categories: ['咖啡'] } });
    const { member } = await createLineMember(env);
    await post(
      order(member.memberCode, 'K1', {
        amount: 500,
        items: [
          { name: '拿鐵', category: '咖啡', quantity: 2, amount: 300 },
          { name: '蛋糕', category: '甜點', quantity: 1, amount: 200 },
        ],
      }),
    );
    await post(order(member.memberCode, 'K2', { items: [{ name: '蛋糕', category: '甜點', amount: 150 }] }));
    const [card] = await StampCard.find({ memberId: member._id }).lean();
    expect(card.stamps).toBe(2);
  });
});

describe('manual stamps', () => {
  const staff = { id: 'staff-1', name: '店員小林', role: 'staff' };
  it('within the daily limit with a reason and an audit entry; over the limit → 409 in zh-TW, nothing changes', async () => {
    const t = await template({ manualDailyLimit: 1 });
    const { memberId } = await createLineMember(env);
    const first = await addManualStamp({ memberId, templateId: String(t._id), reason: '收銀機當機漏蓋' }, staff, ctx());
    expect(first.stamps).toBe(1);
    expect(await AuditLog.countDocuments({ action: 'stamp.manual', actorId: 'staff-1' })).toBe(1);
    await expect(
      addManualStamp({ memberId, templateId: String(t._id), reason: '再補一點' }, staff, ctx()),
    ).rejects.toMatchObject({
      code: 'stamp_manual_limit',
      status: 409,
      message: expect.stringContaining('每天最多 1 點'),
    });
    const [card] = await StampCard.find({ memberId }).lean();
    expect(card.stamps).toBe(1);
    expect(await AuditLog.countDocuments({ action: 'stamp.manual' })).toBe(1);
  });

  it('without a reason → field error in zh-TW, nothing stored', async () => {
    const t = await template();
    const { memberId } = await createLineMember(env);
    await expect(
      addManualStamp({ memberId, templateId: String(t._id), reason: ' ' }, staff, ctx()),
    ).rejects.toMatchObject({ code: 'validation_failed' });
    expect(await StampCard.countDocuments()).toBe(0);
    expect(await AuditLog.countDocuments({ action: 'stamp.manual' })).toBe(0);
  });
});

describe('expiry job', () => {
  it('ends cards past their validity; running it twice changes once', async () => {
    await template({ validity: { mode: 'days_from_first_stamp', days: 30 } });
    const { member } = await createLineMember(env);
    await post(order(member.memberCode, 'E1'));
    const [card] = await StampCard.find({ memberId: member._id }).lean();
    expect(card.expiresAt!.getTime() - card.firstStampAt!.getTime()).toBe(30 * 86_400_000);
    const later = new Date(card.expiresAt!.getTime() + 86_400_000);
    const deps = withClock(env.deps, later).deps;
    const job = allJobs.find((j) => j.name === 'stamps-expiry')!;
    const first = await job.run(deps, later);
    const second = await job.run(deps, later);
    expect(first).toEqual({ expiredCards: 1 });
    expect(second).toEqual({ expiredCards: 0 });
    expect(await runJobOnce(deps, 'stamps-expiry', later, { jobs: [job] })).toMatchObject({ status: 'ran' });
    expect(await runJobOnce(deps, 'stamps-expiry', later, { jobs: [job] })).toMatchObject({ status: 'skipped' });
    expect((await StampCard.findById(card._id).lean())!.status).toBe('expired');
  });
});

describe('reverseStampsForPurchase', () => {
  it('removes the order stamps, reopens the card and takes back the reward it alone earned; twice = once', async () => {
    await template({ stampsNeeded: 3, completionReward: { kind: 'points', points: 50 } });
    const { member } = await createLineMember(env);
    for (const id of ['R1', 'R2', 'R3']) await post(order(member.memberCode, id));
    const before = (await Member.findById(member._id).lean())!.pointsBalance ?? 0;
    const p = (await Purchase.findOne({ orderId: 'R3' }).lean())!;
    const r = await reverseStampsForPurchase(String(p._id), ctx());
    expect(r).toEqual({ cards: 1, stampsRemoved: 1, rewardsTakenBack: 1, rewardsKept: 0 });
    const [card] = await StampCard.find({ memberId: member._id }).lean();
    expect(card).toMatchObject({ stamps: 2, status: 'active' });
    expect(card.rewards[0].reversal).toBe('taken_back');
    expect((await Member.findById(member._id).lean())!.pointsBalance).toBe(before - 50);
    expect(await reverseStampsForPurchase(String(p._id), ctx())).toEqual({
      cards: 0,
      stampsRemoved: 0,
      rewardsTakenBack: 0,
      rewardsKept: 0,
    });
    expect((await Member.findById(member._id).lean())!.pointsBalance).toBe(before - 50);
  });

  it('a coupon reward already used stays with the member (kept_used); an unused one is voided', async () => {
    const coupon = await createTemplate({ title: '免費拿鐵一杯', perMemberLimit: 5 });
    await template({ stampsNeeded: 2, completionReward: { kind: 'coupon', couponTemplateId: coupon.id } });
    const { member } = await createLineMember(env);
    await post(order(member.memberCode, 'U1'));
    await post(order(member.memberCode, 'U2'));
    const c = (await Coupon.findOne({ memberId: member._id, source: 'stamp' }).lean())!;
    await Coupon.updateOne({ _id: c._id }, { $set: { status: 'used', usedAt: new Date() } });
    const p2 = (await Purchase.findOne({ orderId: 'U2' }).lean())!;
    expect(await reverseStampsForPurchase(String(p2._id), ctx())).toMatchObject({
      rewardsKept: 1,
      rewardsTakenBack: 0,
    });
    expect((await Coupon.findById(c._id).lean())!.status).toBe('used');
    // Earned again: a fresh reward (the old one was reversed), then reversed while unused → void.
    await post(order(member.memberCode, 'U3'));
    const fresh = await Coupon.find({ memberId: member._id, source: 'stamp', status: 'active' }).lean();
    expect(fresh).toHaveLength(1);
    const p3 = (await Purchase.findOne({ orderId: 'U3' }).lean())!;
    expect(await reverseStampsForPurchase(String(p3._id), ctx())).toMatchObject({ rewardsTakenBack: 1 });
    expect((await Coupon.findById(fresh[0]._id).lean())!.status).toBe('void');
  });
});
