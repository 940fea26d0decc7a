import { Member } from '../../../models/member.model';
import { countAudience, listMembersInSegment } from '../../../domain/segments/segment.service';
import { ingestPurchase, refundPurchase } from '../../../domain/purchases/purchase.service';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { createLineMember } from '../../factories/program.factory';
import { ACCEPTANCE_SEGMENT, seedAcceptanceFixture } from '../../factories/purchase-segment.factory';

/**
 * #17.1 purchase conditions over the per-member aggregates maintained on purchase and refund: the issue's own
 * segment — bought 保養 in the last 90 days, never bought 彩妝, average order ≥ NT$1,000 — against a hand-made fixture.
 */
let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env.close());
beforeEach(() => env.resetDb());

const DAY = 86_400_000;

async function buy(memberCode: string, orderId: string, daysAgo: number, items: Array<[string, number]>) {
  const now = env.deps.clock();
  return ingestPurchase(
    {
      orderId,
      member: { memberCode },
      amount: items.reduce((n, [, a]) => n + a, 0),
      items: items.map(([category, amount], i) => ({ name: `${category} 商品 ${i + 1}`, category, amount })),
      time: new Date(now.getTime() - daysAgo * DAY).toISOString(),
    },
    { source: 'pos', now, messenger: env.deps.messenger, timeZone: 'Asia/Taipei' },
  );
}

const SEGMENT = {
  op: 'and',
  conditions: [
    { field: 'bought', kind: 'category', op: 'bought', values: ['保養'], days: 90 },
    { field: 'bought', kind: 'category', op: 'notBought', values: ['彩妝'] },
    { field: 'aov', op: 'gte', value: 1000 },
  ],
};

describe('#17.1 purchase-based segment conditions', () => {
  it('counts exactly the hand-computed members, and follows replays and refunds', async () => {
    const m = async () => (await createLineMember(env)).member;
    const [a, b, c, d, e, f] = await Promise.all([m(), m(), m(), m(), m(), m()]);
    // a: 保養 10 days ago, AOV 1,500 → in.
    await buy(a.memberCode, 'A1', 10, [['保養', 1500]]);
    // b: 保養 recently but also 彩妝 a year ago → out (never bought 彩妝).
    await buy(b.memberCode, 'B1', 5, [['保養', 2000]]);
    await buy(b.memberCode, 'B2', 365, [['彩妝', 800]]);
    // c: 保養 only 120 days ago → out (not within 90 days).
    await buy(c.memberCode, 'C1', 120, [['保養', 3000]]);
    // d: 保養 within 90 days but AOV (600 + 900) / 2 = 750 → out.
    await buy(d.memberCode, 'D1', 30, [['保養', 600]]);
    await buy(d.memberCode, 'D2', 60, [['保養', 900]]);
    // e: two orders, 保養 + 香氛 in one, AOV (1,200 + 1,000) / 2 = 1,100 → in.
    await buy(e.memberCode, 'E1', 80, [
      ['保養', 700],
      ['香氛', 500],
    ]);
    await buy(e.memberCode, 'E2', 200, [['香氛', 1000]]);
    // f: no purchases → out.
    void f;
    const now = env.deps.clock();
    const count = () => countAudience(SEGMENT, now, { timeZone: 'Asia/Taipei' });
    expect(await count()).toBe(2);

    // A replayed order changes nothing.
    await buy(a.memberCode, 'A1', 10, [['保養', 1500]]);
    expect(await count()).toBe(2);
    expect((await Member.findById(a._id).lean())!.buys).toMatchObject({ orders: 1, total: 1500 });

    // Fully refunding a's only order takes a out (no 保養 bought any more, no AOV).
    await refundPurchase({ orderId: 'A1', refundId: 'R1', amount: 1500 }, { source: 'pos', now });
    expect(await count()).toBe(1);
  });

  it('the acceptance fixture: exactly the hand-computed members, with the edge cases', async () => {
    // test/factories/purchase-segment.factory.ts: the fixture, member by member, with why each is in or out.
    const { members, expectedIds, in4Cosmetics, voidIt, refund, buy } = await seedAcceptanceFixture(env);
    const now = env.deps.clock();
    expect(expectedIds).toHaveLength(4);
    expect(await countAudience(ACCEPTANCE_SEGMENT, now, { timeZone: 'Asia/Taipei' })).toBe(4);
    const page = await listMembersInSegment({ rule: ACCEPTANCE_SEGMENT }, { pageSize: 50 }, now, {
      timeZone: 'Asia/Taipei',
    });
    expect(page.items.map((i) => i.id).sort()).toEqual(expectedIds);

    // The aggregates are exactly once: replaying an order, a refund and a void changes nothing.
    await buy('in1', 'IN1-1', 10, [['保養', 1500]]);
    await refund('REF-1', 'R-REF-1', 2000);
    expect((await voidIt(in4Cosmetics)).replayed).toBe(true);
    const buys = async (k: keyof typeof members) => (await Member.findById(members[k]._id).lean())!.buys;
    expect(await buys('in1')).toMatchObject({ orders: 1, total: 1500, aov: 1500 });
    expect(await buys('in2')).toMatchObject({ orders: 2, total: 2000, aov: 1000 });
    expect(await buys('in4')).toMatchObject({ orders: 1, cats: [{ c: '保養' }] });
    expect(await buys('partial')).toMatchObject({ orders: 1, total: 800, aov: 800 });
    expect(await buys('refunded')).toMatchObject({ orders: 1, total: 1500, cats: [{ c: '香氛' }] });
    expect(await countAudience(ACCEPTANCE_SEGMENT, now, { timeZone: 'Asia/Taipei' })).toBe(4);
  });

  it('refuses a malformed condition in zh-TW', async () => {
    await expect(
      countAudience(
        { op: 'and', conditions: [{ field: 'firstPurchase', op: 'between', from: '2026-05-01', to: '2026-01-01' }] },
        env.deps.clock(),
        { timeZone: 'Asia/Taipei' },
      ),
    ).rejects.toMatchObject({ message: expect.stringMatching(/輸入|日期|條件/) });
  });
});
