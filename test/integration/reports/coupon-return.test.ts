import { issueCoupon } from '../../../domain/coupons';
import { redeemCoupon, reverseRedemption } from '../../../domain/coupons/coupon-redemption.service';
import { rebuildStatCounters } from '../../../domain/reports/stat-rebuild.service';
import { StatCounter } from '../../../models/stat-counter.model';
import { loginAs, type ConsoleLogin } from '../../factories/console.factory';
import { createLineMember, createTemplate } from '../../factories/program.factory';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';

const TZ = 'Asia/Taipei';
const now = new Date('2025-06-02T03:00:00Z');
let env: TestEnv;
let marketer: ConsoleLogin;

beforeAll(async () => {
  env = await startTestEnv({ clock: () => now });
  marketer = await loginAs(env, 'marketer');
});
afterAll(() => env?.close());

let seq = 0;
async function redeemed(templateId: string, orderAmount?: number) {
  const { member } = await createLineMember(env);
  const { coupon } = await issueCoupon({
    templateId,
    memberId: String(member._id),
    key: `ret:${++seq}`,
    now,
    timeZone: TZ,
  });
  await redeemCoupon({
    code: coupon.code,
    actor: 'staff-1',
    now,
    timeZone: TZ,
    ...(orderAmount ? { orderAmount } : {}),
  });
  return coupon;
}

const coupons = async () =>
  (await marketer.agent.get('/api/console/dashboard').expect(200)).body.revenue.coupons as Array<
    Record<string, unknown>
  >;

describe('#17.3 coupon cost and return per template', () => {
  it('shows the revenue of the orders that redeemed against the coupons’ value, with the ratio, as worked out by hand', async () => {
    const hundred = await createTemplate({ title: '折 100 元' });
    const percent = await createTemplate({ title: '九折券', kind: 'percent', value: 10 });
    await redeemed(hundred.id, 1200);
    await redeemed(hundred.id, 800);
    await redeemed(hundred.id); // no order amount: a used coupon (cost) without a known order
    const undone = await redeemed(hundred.id, 5000);
    await reverseRedemption({ couponId: undone.id, actor: 'admin-1', now }); // reversed: neither cost nor revenue
    await redeemed(percent.id, 2000);

    // By hand. 折 100 元: 3 used → cost 300; orders 1,200 + 800 = 2,000 (2 with an amount); 2,000 ÷ 300 = 6.67.
    // 九折券: cost depends on the order (null), revenue 2,000, no ratio.
    const rows = await coupons();
    const byTitle = new Map(rows.map((r) => [r.title, r]));
    expect(byTitle.get('折 100 元')).toMatchObject({
      used: 3,
      cost: 300,
      revenue: 2000,
      withOrder: 2,
      returnRatio: 6.67,
    });
    expect(byTitle.get('九折券')).toMatchObject({
      used: 1,
      cost: null,
      revenue: 2000,
      withOrder: 1,
      returnRatio: null,
    });

    // The counters rebuilt from the coupons give the same figures.
    await StatCounter.deleteMany({ _id: /^template:/ });
    await rebuildStatCounters();
    expect(await coupons()).toEqual(rows);

    const defs = (await marketer.agent.get('/api/console/dashboard').expect(200)).body.revenue.definitions;
    expect(defs.couponReturn.label).toBe('優惠券帶來的營收');
    expect(defs.couponReturnRatio.definition).toContain('÷ 優惠券成本');
  });
});
