/**
 * #17.1: every purchase, satisfaction, coupon and message condition is answered from an index, never by scanning
 * the members (or purchases) per count. Each condition is compiled exactly as the product compiles it (AND-ed with
 * the reachable filter) and explained on a populated stand-in, so the planner's choice is the one a live count gets.
 */
import mongoose, { Types } from 'mongoose';
import type { Document } from 'mongodb';
import { startStandinWithClient, type StandinHarness } from '../../helpers/mongo-standin';
import { Member } from '../../../models/member.model';
import { Coupon } from '../../../models/coupon.model';
import { Interaction } from '../../../models/interaction.model';
import { JourneySend } from '../../../models/journey.model';
import { compileSegmentRule, type SegmentCondition } from '../../../domain/segments/rule';
import { resolveCouponLookups } from '../../../domain/segments/segment.service';

let h: StandinHarness;
const now = new Date('2026-12-02T04:00:00Z');
const DAY = 86_400_000;
const campaignId = new Types.ObjectId();
const journeyId = new Types.ObjectId();

function access(plan: Document): Document[] {
  if (['IXSCAN', 'COLLSCAN', 'IDHACK'].includes(plan.stage)) return [plan];
  if (plan.inputStages) return plan.inputStages.flatMap(access);
  return plan.inputStage ? access(plan.inputStage) : [];
}
const used = (e: any) => access(e.queryPlanner.winningPlan).map((s) => s.indexName ?? s.stage);

/** 400 reachable members; most bought something, in a spread of categories, SKUs, stores, values and dates. */
function memberDoc(i: number) {
  const cats = ['保養', '彩妝', '香氛', '身體', '髮品'];
  const bought = i % 4 !== 0;
  const last = new Date(now.getTime() - (i % 300) * DAY);
  return {
    memberCode: `X${1000 + i}`,
    lineUserId: `U${i.toString(16).padStart(32, '0')}`,
    status: 'active',
    consent: { status: 'accepted', marketing: true },
    satisfaction: i % 7 === 0 ? { lastScore: (i % 5) + 1, at: last } : undefined,
    buys: bought
      ? {
          orders: (i % 9) + 1,
          total: ((i % 9) + 1) * (500 + (i % 13) * 100),
          aov: 500 + (i % 13) * 100,
          first: new Date(last.getTime() - (i % 500) * DAY),
          last,
          cats: [{ c: cats[i % cats.length], last, n: 1 }],
          skus: [{ s: `SKU-${i % 40}`, last, n: 1 }],
          stores: [{ s: `store-${i % 6}`, last, n: 1 }],
          v: now,
        }
      : undefined,
  };
}

/** [condition, the indexes its count reads]. */
const CASES: Array<[string, SegmentCondition, string[]]> = [
  [
    'bought a category within 90 days',
    { field: 'bought', kind: 'category', op: 'bought', values: ['保養'], days: 90 },
    ['buys.cats.c_1_buys.cats.last_-1'],
  ],
  ['bought a SKU ever', { field: 'bought', kind: 'sku', op: 'bought', values: ['SKU-3'] }, ['buys.skus.s_1']],
  [
    'bought at a store within 30 days',
    { field: 'bought', kind: 'store', op: 'bought', values: ['store-2'], days: 30 },
    ['buys.stores.s_1_buys.stores.last_-1'],
  ],
  [
    'cross-sell: bought 保養, never 彩妝',
    { field: 'crossSell', kind: 'category', bought: ['保養'], notBought: ['彩妝'] },
    ['buys.cats.c_1_buys.cats.last_-1'],
  ],
  ['orders ≥ 8', { field: 'orders', op: 'gte', value: 8 }, ['erasedAt_1_buys.orders_1']],
  ['AOV ≥ 1,600', { field: 'aov', op: 'gte', value: 1600 }, ['erasedAt_1_buys.aov_1']],
  [
    'LTV between 10,000 and 20,000',
    { field: 'ltv', op: 'between', min: 10_000, max: 20_000 },
    ['erasedAt_1_buys.total_1'],
  ],
  [
    'first purchase within 14 days',
    { field: 'firstPurchase', op: 'withinDays', days: 14 },
    ['erasedAt_1_buys.first_1'],
  ],
  ['days since last purchase ≤ 7', { field: 'daysSinceLastPurchase', op: 'lte', value: 7 }, ['erasedAt_1_buys.last_1']],
  ['satisfaction ≤ 2', { field: 'satisfaction', op: 'lte', value: 2 }, ['erasedAt_1_satisfaction.lastScore_1']],
];

beforeAll(async () => {
  h = await startStandinWithClient({ dbName: 'segment_explain' });
  await mongoose.connect(h.standin.uri);
  for (const m of [Member, Coupon, Interaction, JourneySend]) await m.init();
  const members = await Member.insertMany(Array.from({ length: 400 }, (_, i) => memberDoc(i)));
  // One member clicked the campaign (a message condition resolves to those member ids).
  await Interaction.create({
    memberId: members[5]._id,
    type: 'click',
    channel: 'line',
    at: now,
    refs: { campaignId: String(campaignId) },
  });
});

afterAll(async () => {
  await mongoose.disconnect();
  await h.close();
});

describe('#17.1 purchase segment conditions are indexed', () => {
  it.each(CASES)('%s reads its index', async (_what, condition, names) => {
    const filter = compileSegmentRule({ op: 'and', conditions: [condition] }, now, { timeZone: 'Asia/Taipei' });
    expect(used(await Member.find(filter).explain()).sort()).toEqual([...names].sort());
  });

  it('the acceptance segment (保養 in 90 days, never 彩妝, AOV ≥ 1,000) is bounded by the category index', async () => {
    const rule = {
      op: 'and' as const,
      conditions: [
        { field: 'bought' as const, kind: 'category' as const, op: 'bought' as const, values: ['保養'], days: 90 },
        { field: 'bought' as const, kind: 'category' as const, op: 'notBought' as const, values: ['彩妝'] },
        { field: 'aov' as const, op: 'gte' as const, value: 1000 },
      ],
    };
    const e: any = await Member.find(compileSegmentRule(rule, now, { timeZone: 'Asia/Taipei' })).explain(
      'executionStats',
    );
    expect(used(e)).toEqual(['buys.cats.c_1_buys.cats.last_-1']);
    // Only the members who bought 保養 in the last 90 days are read, not the 400 members (nor every 保養 buyer).
    const recent = Array.from({ length: 400 }, (_, i) => memberDoc(i)).filter((m) =>
      m.buys?.cats.some((c) => c.c === '保養' && c.last.getTime() >= now.getTime() - 90 * DAY),
    );
    expect(recent.length).toBeGreaterThan(0);
    expect(e.executionStats.totalDocsExamined).toBe(recent.length);
  });

  it('coupon and message conditions resolve their members from indexed lookups', async () => {
    const lookups: Array<[string, () => PromiseLike<unknown>, string[]]> = [
      ['coupon redeemed', () => Coupon.find({ status: 'used' }, { memberId: 1 }).explain(), ['status_1_validUntil_1']],
      [
        'campaign clicked',
        () =>
          Interaction.find({ 'refs.campaignId': String(campaignId), type: 'click', memberId: { $ne: null } }).explain(),
        ['refs.campaignId_1_type_1'],
      ],
      [
        'journey step received',
        () => JourneySend.find({ journeyId, stepId: 's1', status: 'sent' }, { to: 1 }).explain(),
        ['journeyId_1_stepId_1_createdAt_-1'],
      ],
    ];
    for (const [what, run, names] of lookups) expect({ what, used: used(await run()) }).toEqual({ what, used: names });
    // The lookups the product sends are these shapes (resolveCouponLookups), and the result is an _id bound.
    const rule = {
      op: 'and' as const,
      conditions: [
        { field: 'message' as const, source: 'campaign' as const, id: String(campaignId), op: 'clicked' as const },
      ],
    };
    const filter = compileSegmentRule(rule, now, {
      timeZone: 'Asia/Taipei',
      couponLookups: await resolveCouponLookups(rule, now),
    });
    expect(used(await Member.find(filter).explain())).toEqual(['_id_']);
  });
});
