import { registerFollow, recordConsent } from '../../../domain/members/member-lifecycle.service';
import { ingestPurchase } from '../../../domain/purchases/purchase.service';
import { refundPurchase } from '../../../domain/purchases/purchase-refund.service';
import { syncMemberCounters } from '../../../domain/reports/member-counters.service';
import { rebuildStatCounters } from '../../../domain/reports/stat-rebuild.service';
import { Member } from '../../../models/member.model';
import { StatCounter } from '../../../models/stat-counter.model';
import { loginAs, type ConsoleLogin } from '../../factories/console.factory';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';

const TZ = 'Asia/Taipei';
let env: TestEnv;
let marketer: ConsoleLogin;

beforeAll(async () => {
  env = await startTestEnv();
  marketer = await loginAs(env, 'marketer');
});
afterAll(() => env?.close());

async function follow(name: string, at: Date) {
  const user = env.local.emulator!.createUser({ displayName: name });
  env.local.emulator!.setWebhookUrl(null);
  await env.local.emulator!.follow(user.userId);
  const { member } = await registerFollow({
    lineUserId: user.userId,
    profile: { userId: user.userId, displayName: name },
    now: at,
    erasureSecret: env.config.privacy.erasureHmacSecret,
  });
  return member._id;
}

/** A purchase at Taiwan time `local` (`YYYY-MM-DDTHH:mm`). */
const tw = (local: string) => new Date(`${local}:00+08:00`);
const buy = (memberId: unknown, orderId: string, amount: number, local: string, storeId?: string) =>
  ingestPurchase(
    { orderId, member: { memberId: String(memberId) }, amount, time: tw(local).toISOString(), storeId },
    { source: 'pos', now: tw(local), messenger: env.deps.messenger, timeZone: TZ },
  );
const refund = (orderId: string, refundId: string, amount: number | undefined, local: string) =>
  refundPurchase({ orderId, refundId, ...(amount ? { amount } : {}) }, { source: 'pos', now: tw(local) });

const RANGE = { from: '2025-11-01T00:00:00+08:00', to: '2026-01-31T23:59:59+08:00' };
const dashboard = async (q: Record<string, string> = RANGE) =>
  (await marketer.agent.get('/api/console/dashboard').query(q).expect(200)).body;

describe('#17.3 revenue dashboard: new vs returning revenue per month and store, from counters', () => {
  it('matches the figures worked out by hand, across a year boundary, with refunds, a replay and the zone', async () => {
    const a = await follow('阿明', tw('2025-10-01T10:00'));
    const b = await follow('小美', tw('2025-10-02T10:00'));
    const c = await follow('大華', tw('2025-10-03T10:00'));
    await buy(a, 'N-1', 1000, '2025-11-05T12:00', '台北101店');
    await buy(a, 'N-2', 500, '2025-11-20T12:00', 'store.2'); // a store id with a dot
    await buy(a, 'N-2', 500, '2025-11-20T12:00', 'store.2'); // a POS retry: counted once
    await buy(a, 'D-1', 800, '2025-12-03T12:00', '台北101店');
    await buy(b, 'D-2', 1200, '2025-12-10T12:00', '台北101店');
    await refund('D-2', 'R-1', 200, '2026-01-05T12:00'); // partial: the order stays, December's revenue drops
    await refund('D-2', 'R-1', 200, '2026-01-05T12:00'); // a replay of the refund: once
    await buy(b, 'J-1', 300, '2026-01-15T12:00'); // no store
    await buy(c, 'J-2', 600, '2026-01-01T00:30', 'store.2'); // 2025-12-31 16:30 UTC: January in Taiwan
    await buy(c, 'J-3', 400, '2026-01-20T12:00', 'store.2');
    await refund('J-3', 'R-2', undefined, '2026-01-21T12:00'); // full refund: neither revenue nor order

    const body = await dashboard();
    const r = body.revenue;
    // By hand. November: 阿明's first month (1,000 + 500, both new). December: 阿明 returns (800); 小美's first
    // month (1,200 - 200 refunded). January: 小美 returns (300); 大華's first month (600; 400 refunded in full).
    expect(
      r.months.map((m: Record<string, unknown>) => [
        m.month,
        m.revenue,
        m.orders,
        m.newRevenue,
        m.newOrders,
        m.returningRevenue,
        m.returningOrders,
      ]),
    ).toEqual([
      ['2025-11', 1500, 2, 1500, 2, 0, 0],
      ['2025-12', 1800, 2, 1000, 1, 800, 1],
      ['2026-01', 900, 2, 600, 1, 300, 1],
    ]);
    expect(r.totals).toEqual({
      revenue: 4200,
      orders: 6,
      aov: 700,
      newRevenue: 3100,
      newOrders: 4,
      returningRevenue: 1100,
      returningOrders: 2,
    });
    expect(
      r.stores.map((s: Record<string, unknown>) => [s.month, s.storeId, s.revenue, s.orders, s.newRevenue]),
    ).toEqual([
      ['2025-11', 'store.2', 500, 1, 500],
      ['2025-11', '台北101店', 1000, 1, 1000],
      ['2025-12', '台北101店', 1800, 2, 1000],
      ['2026-01', null, 300, 1, 0],
      ['2026-01', 'store.2', 600, 1, 600],
    ]);
    // 阿明 bought 3 times, 小美 twice, 大華 once (the refunded order no longer counts).
    expect([r.buyers, r.repeatBuyers, r.repeatRate]).toEqual([3, 2, 0.667]);
    const balances = (await Member.find({}, { pointsBalance: 1 }).lean()).reduce(
      (s, m) => s + (m.pointsBalance ?? 0),
      0,
    );
    expect(balances).toBeGreaterThan(0);
    expect(r.pointsLiability).toBe(balances);
    expect(r.creditLiability).toBe(0); // no credit granted in this fixture
    expect(r.definitions.newRevenue.label).toBe('新客營收');
    // The cohorts cover the chosen range, across the year boundary.
    expect(body.funnel.cohorts.map((x: { month: string }) => x.month)).toEqual(['2025-11', '2025-12', '2026-01']);

    // A rebuild from the purchases and balances gives the same figures.
    await StatCounter.deleteMany({ _id: /^revenue:/ });
    await rebuildStatCounters();
    expect((await dashboard()).revenue).toEqual(r);
  });

  it('one month of the range reads that month only', async () => {
    const r = (await dashboard({ from: '2025-12-01T00:00:00+08:00', to: '2025-12-31T23:59:59+08:00' })).revenue;
    expect(r.months.map((m: { month: string }) => m.month)).toEqual(['2025-12']);
    expect(r.totals).toMatchObject({ revenue: 1800, orders: 2, newRevenue: 1000, returningRevenue: 800 });
  });

  it('a malformed date is refused in Chinese and changes nothing', async () => {
    const before = await StatCounter.find().sort({ _id: 1 }).lean();
    const res = await marketer.agent.get('/api/console/dashboard').query({ from: '不是日期' }).expect(400);
    expect(JSON.stringify(res.body)).toMatch(/[\u4e00-\u9fff]/);
    expect(JSON.stringify(res.body)).not.toMatch(/Invalid date|Expected/);
    expect(await StatCounter.find().sort({ _id: 1 }).lean()).toEqual(before);
  });

  it('the 同意行銷訊息 KPI equals the funnel step; imported people who never followed are counted apart', async () => {
    const d = await follow('同意者', tw('2025-10-04T10:00'));
    await follow('未同意者', tw('2025-10-04T11:00'));
    await recordConsent(d, 'accepted', 'v1', tw('2025-10-04T12:00'));
    const guest = await Member.create({
      memberCode: 'IMP00001',
      status: 'active',
      consent: { status: 'accepted', marketing: true },
      pointsBalance: 0,
      tags: [],
    });
    await syncMemberCounters(guest._id);
    const body = await dashboard({});
    const step = body.funnel.stages.find((s: { key: string }) => s.key === 'consented');
    expect(step.count).toBe(1);
    expect(body.kpis.consented).toBe(step.count);
    expect(body.kpis.consentedGuests).toBe(1);
  });
});
