import { ingestPurchase, refundPurchase } from '../../domain/purchases/purchase.service';
import { voidPurchase } from '../../domain/purchases/purchase-void.service';
import type { TestEnv } from '../helpers/test-env';
import { createLineMember } from './program.factory';

const DAY = 86_400_000;

/** The #17 acceptance segment: bought 保養 in the last 90 days, never bought 彩妝, average order ≥ NT$1,000. */
export const ACCEPTANCE_SEGMENT = {
  op: 'and' as const,
  conditions: [
    { field: 'bought' as const, kind: 'category' as const, op: 'bought' as const, values: ['保養'], days: 90 },
    { field: 'bought' as const, kind: 'category' as const, op: 'notBought' as const, values: ['彩妝'] },
    { field: 'aov' as const, op: 'gte' as const, value: 1000 },
  ],
};

/** One order of a member, `daysAgo` before the env's clock, one item per [category, amount]. */
export async function buyAt(
  env: TestEnv,
  memberCode: string,
  orderId: string,
  daysAgo: number,
  items: Array<[string, number]>,
) {
  const now = env.deps.clock();
  return ingestPurchase(
    {
      orderId,
      member: { memberCode },
      amount: items.reduce((n, [, a]) => n + a, 0),
      items: items.map(([category, amount], i) => ({
        sku: `${category}-${i + 1}`,
        name: `${category}商品 ${i + 1}`,
        category,
        amount,
      })),
      time: new Date(now.getTime() - daysAgo * DAY).toISOString(),
    },
    { source: 'pos', now, messenger: env.deps.messenger, timeZone: 'Asia/Taipei' },
  );
}

export type FixtureKey =
  'in1' | 'in2' | 'in3' | 'in4' | 'old' | 'cosmetics100' | 'aov999' | 'refunded' | 'voided' | 'partial' | 'noConsent';

/**
 * The acceptance fixture, computed by hand: exactly in1–in4 match. "Never bought 彩妝" has no period, so a 彩妝 order
 * 100 days ago still excludes; AOV is net of partial refunds; a fully refunded or voided order does not count at all
 * (neither as 保養 bought recently, nor as 彩妝 bought, nor in the AOV); a member without marketing consent is never
 * in an audience.
 */
export async function seedAcceptanceFixture(env: TestEnv) {
  const members = {} as Record<FixtureKey, Awaited<ReturnType<typeof createLineMember>>['member']>;
  const keys: FixtureKey[] = ['in1', 'in2', 'in3', 'in4', 'old', 'cosmetics100', 'aov999', 'refunded', 'voided'];
  for (const k of [...keys, 'partial' as const]) members[k] = (await createLineMember(env)).member;
  members.noConsent = (await createLineMember(env, { consent: { status: 'accepted', marketing: false } })).member;
  const code = (k: FixtureKey) => members[k].memberCode;
  const buy = (k: FixtureKey, orderId: string, daysAgo: number, items: Array<[string, number]>) =>
    buyAt(env, code(k), orderId, daysAgo, items);
  const admin = { id: 'admin-1', role: 'admin' as const };
  const voidIt = (r: { purchaseId: string }) =>
    voidPurchase({
      purchaseId: r.purchaseId,
      reason: '刷錯',
      user: admin,
      now: env.deps.clock(),
      timeZone: 'Asia/Taipei',
    });
  const refund = (orderId: string, refundId: string, amount: number) =>
    refundPurchase({ orderId, refundId, amount }, { source: 'pos', now: env.deps.clock() });

  // in1: 保養 10 days ago, one order of 1,500 → AOV 1,500: in.
  await buy('in1', 'IN1-1', 10, [['保養', 1500]]);
  // in2: AOV exactly 1,000 ((800 + 1,200) / 2), 保養 30 days ago: in (≥ is inclusive).
  await buy('in2', 'IN2-1', 30, [['保養', 800]]);
  await buy('in2', 'IN2-2', 40, [['香氛', 1200]]);
  // in3: 保養 89 days ago (inside the period), 1,000: in.
  await buy('in3', 'IN3-1', 89, [['保養', 1000]]);
  // in4: 保養 1,500 12 days ago; a 彩妝 order of 300 3 days ago was voided → never bought 彩妝, AOV 1,500: in.
  await buy('in4', 'IN4-1', 12, [['保養', 1500]]);
  const in4Cosmetics = await buy('in4', 'IN4-2', 3, [['彩妝', 300]]);
  await voidIt(in4Cosmetics);
  // old: 保養 only 91 days ago: out.
  await buy('old', 'OLD-1', 91, [['保養', 3000]]);
  // cosmetics100: 保養 20 days ago, but 彩妝 100 days ago (outside 90 days, still "bought"): out.
  await buy('cosmetics100', 'C100-1', 20, [['保養', 1500]]);
  await buy('cosmetics100', 'C100-2', 100, [['彩妝', 1000]]);
  // aov999: (999 + 999) / 2 = 999: out.
  await buy('aov999', 'A999-1', 5, [['保養', 999]]);
  await buy('aov999', 'A999-2', 6, [['保養', 999]]);
  // refunded: the only recent 保養 order (2,000) fully refunded; 香氛 1,500 200 days ago remains: out.
  await buy('refunded', 'REF-1', 40, [['保養', 2000]]);
  await buy('refunded', 'REF-2', 200, [['香氛', 1500]]);
  await refund('REF-1', 'R-REF-1', 2000);
  // voided: the only recent 保養 order (1,800, 15 days ago) voided; 保養 1,000 150 days ago remains: out.
  await voidIt(await buy('voided', 'VOID-1', 15, [['保養', 1800]]));
  await buy('voided', 'VOID-2', 150, [['保養', 1000]]);
  // partial: 保養 2,000 25 days ago, 1,200 refunded → net 800, AOV 800: out.
  await buy('partial', 'PART-1', 25, [['保養', 2000]]);
  await refund('PART-1', 'R-PART-1', 1200);
  // noConsent: would match, but has not agreed to marketing messages: out.
  await buy('noConsent', 'NC-1', 10, [['保養', 1500]]);

  const expectedIds = (['in1', 'in2', 'in3', 'in4'] as const).map((k) => String(members[k]._id)).sort();
  return { members, expectedIds, in4Cosmetics, voidIt, refund, buy };
}
