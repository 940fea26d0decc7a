import { Member } from '../../../models/member.model';
import { countAudience, listMembersInSegment } from '../../../domain/segments/segment.service';
import { ingestPurchase, refundPurchase } from '../../../domain/purchases/purchase.service';
import { voidPurchase } from '../../../domain/purchases/purchase-void.service';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { createLineMember } from '../../factories/program.factory';

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

  /**
   * The acceptance fixture (#17 first acceptance line), computed by hand. "Never bought 彩妝" is without a period, so
   * a 彩妝 order 100 days ago still excludes; AOV is net of partial refunds; a fully refunded or voided order does not
   * count at all (neither as 保養 bought recently nor as 彩妝 bought, nor in the AOV).
   */
  it('the acceptance fixture: exactly the hand-computed members, with the edge cases', async () => {
    const m = async (overrides: Record<string, unknown> = {}) => (await createLineMember(env, overrides)).member;
    const members = {} as Record<string, Awaited<ReturnType<typeof m>>>;
    for (const k of ['in1', 'in2', 'in3', 'in4', 'old', 'cosmetics100', 'aov999', 'refunded', 'voided', 'partial'])
      members[k] = await m();
    members.noConsent = await m({ consent: { status: 'accepted', marketing: false } });
    const code = (k: string) => members[k].memberCode;
    const admin = { id: 'admin-1', role: 'admin' as const };
    const voidIt = async (r: { purchaseId: string }) =>
      voidPurchase({
        purchaseId: r.purchaseId,
        reason: '刷錯',
        user: admin,
        now: env.deps.clock(),
        timeZone: 'Asia/Taipei',
      });

    // in1: 保養 10 days ago, one order of 1,500 → AOV 1,500: in.
    await buy(code('in1'), 'IN1-1', 10, [['保養', 1500]]);
    // in2: AOV exactly 1,000 ((800 + 1,200) / 2), 保養 30 days ago: in (≥ is inclusive).
    await buy(code('in2'), 'IN2-1', 30, [['保養', 800]]);
    await buy(code('in2'), 'IN2-2', 40, [['香氛', 1200]]);
    // in3: 保養 89 days ago (inside the period), 1,000: in.
    await buy(code('in3'), 'IN3-1', 89, [['保養', 1000]]);
    // in4: 保養 1,500 12 days ago; a 彩妝 order of 300 3 days ago was voided → never bought 彩妝, AOV 1,500: in.
    await buy(code('in4'), 'IN4-1', 12, [['保養', 1500]]);
    const in4Cosmetics = await buy(code('in4'), 'IN4-2', 3, [['彩妝', 300]]);
    await voidIt(in4Cosmetics);
    // old: 保養 only 91 days ago: out.
    await buy(code('old'), 'OLD-1', 91, [['保養', 3000]]);
    // cosmetics100: 保養 20 days ago, but 彩妝 100 days ago (outside 90 days, still "bought"): out.
    await buy(code('cosmetics100'), 'C100-1', 20, [['保養', 1500]]);
    await buy(code('cosmetics100'), 'C100-2', 100, [['彩妝', 1000]]);
    // aov999: (999 + 999) / 2 = 999: out.
    await buy(code('aov999'), 'A999-1', 5, [['保養', 999]]);
    await buy(code('aov999'), 'A999-2', 6, [['保養', 999]]);
    // refunded: the only recent 保養 order (2,000) fully refunded; 香氛 1,500 200 days ago remains: out.
    await buy(code('refunded'), 'REF-1', 40, [['保養', 2000]]);
    await buy(code('refunded'), 'REF-2', 200, [['香氛', 1500]]);
    await refundPurchase(
      { orderId: 'REF-1', refundId: 'R-REF-1', amount: 2000 },
      { source: 'pos', now: env.deps.clock() },
    );
    // voided: the only recent 保養 order (1,800, 15 days ago) voided; 保養 1,000 150 days ago remains: out.
    await voidIt(await buy(code('voided'), 'VOID-1', 15, [['保養', 1800]]));
    await buy(code('voided'), 'VOID-2', 150, [['保養', 1000]]);
    // partial: 保養 2,000 25 days ago, 1,200 refunded → net 800, AOV 800: out.
    await buy(code('partial'), 'PART-1', 25, [['保養', 2000]]);
    await refundPurchase(
      { orderId: 'PART-1', refundId: 'R-PART-1', amount: 1200 },
      { source: 'pos', now: env.deps.clock() },
    );
    // noConsent: would match, but has not agreed to marketing messages: out (no segment widens past consent).
    await buy(code('noConsent'), 'NC-1', 10, [['保養', 1500]]);

    const now = env.deps.clock();
    const expected = ['in1', 'in2', 'in3', 'in4'].map((k) => String(members[k]._id)).sort();
    expect(await countAudience(SEGMENT, now, { timeZone: 'Asia/Taipei' })).toBe(expected.length);
    const page = await listMembersInSegment({ rule: SEGMENT }, { pageSize: 50 }, now, { timeZone: 'Asia/Taipei' });
    expect(page.items.map((i) => i.id).sort()).toEqual(expected);

    // The aggregates are exactly once: replaying an order, a refund and a void changes nothing.
    await buy(code('in1'), 'IN1-1', 10, [['保養', 1500]]);
    await refundPurchase({ orderId: 'REF-1', refundId: 'R-REF-1', amount: 2000 }, { source: 'pos', now });
    expect((await voidIt(in4Cosmetics)).replayed).toBe(true);
    expect((await Member.findById(members.in1._id).lean())!.buys).toMatchObject({ orders: 1, total: 1500, aov: 1500 });
    expect((await Member.findById(members.in2._id).lean())!.buys).toMatchObject({ orders: 2, total: 2000, aov: 1000 });
    expect((await Member.findById(members.in4._id).lean())!.buys).toMatchObject({ orders: 1, cats: [{ c: '保養' }] });
    expect((await Member.findById(members.partial._id).lean())!.buys).toMatchObject({
      orders: 1,
      total: 800,
      aov: 800,
    });
    expect(await countAudience(SEGMENT, now, { timeZone: 'Asia/Taipei' })).toBe(expected.length);
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
