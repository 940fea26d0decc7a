import { AuditLog } from '../../../models/audit-log.model';
import { Coupon } from '../../../models/coupon.model';
import { Purchase } from '../../../models/purchase.model';
import { issueCoupon } from '../../../domain/coupons';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { loginAs, type ConsoleLogin } from '../../factories/console.factory';
import { createLineMember, createTemplate } from '../../factories/program.factory';

let env: TestEnv;
let now = new Date('2025-06-02T03:00:00Z');
let admin: ConsoleLogin;
let clerk: ConsoleLogin;
let otherClerk: ConsoleLogin;

async function bindStore(s: ConsoleLogin) {
  await admin.agent
    .patch(`/api/console/users/${s.userId}`)
    .set('X-CSRF-Token', admin.csrf)
    .send({ storeId: 'taipei-101' })
    .expect(200);
}

beforeAll(async () => {
  env = await startTestEnv({ clock: () => now });
  admin = await loginAs(env, 'admin');
  clerk = await loginAs(env, 'staff');
  otherClerk = await loginAs(env, 'staff');
  await bindStore(clerk);
  await bindStore(otherClerk);
});
afterAll(() => env.close());

const post = (s: ConsoleLogin, path: string, body: unknown = {}) =>
  s.agent
    .post(`/api/console${path}`)
    .set('X-CSRF-Token', s.csrf)
    .send(body as object);

let seq = 0;
async function minSpendCoupon(minSpend = 1_000) {
  const { member } = await createLineMember(env);
  const tpl = await createTemplate({ title: `滿千折百 ${++seq}`, minSpend, terms: '限門市使用，不可與其他優惠併用' });
  const { coupon } = await issueCoupon({
    templateId: tpl.id,
    memberId: String(member._id),
    key: `redeem-test:${seq}`,
    now,
    timeZone: 'Asia/Taipei',
  });
  return { member, coupon };
}
const couponDoc = (id: string) => Coupon.findById(id).lean();

describe('#16.5 a minimum-spend coupon at the counter', () => {
  it('shows its terms at lookup: minimum spend, stores, validity', async () => {
    const { coupon } = await minSpendCoupon();
    const res = await clerk.agent.get('/api/console/counter/lookup').query({ code: coupon.code }).expect(200);
    expect(res.body.coupon).toMatchObject({
      minSpend: 1_000,
      storeIds: [],
      terms: '限門市使用，不可與其他優惠併用',
      validUntil: expect.any(String),
    });
  });

  it('asks for the order amount and refuses below the minimum in zh-TW; nothing changes', async () => {
    const { coupon } = await minSpendCoupon();
    const none = await post(clerk, '/counter/redeem', { code: coupon.code }).expect(400);
    expect(none.body.error.details.fields).toEqual([
      { path: 'orderAmount', message: '這張券需消費滿 NT$1,000，請輸入訂單金額' },
    ]);
    const low = await post(clerk, '/counter/redeem', { code: coupon.code, orderAmount: 999 }).expect(409);
    expect(low.body.error).toMatchObject({
      code: 'coupon_min_spend',
      message: '未達最低消費 NT$1,000，無法使用這張優惠券。',
    });
    const stored = await couponDoc(coupon.id);
    expect(stored!.status).toBe('active');
    expect(stored!.usedAt).toBeFalsy();
    expect(await Purchase.countDocuments({ couponId: coupon.id })).toBe(0);
  });

  it('redeems with the amount and records the purchase, linked both ways; a retry is the same redemption', async () => {
    const { member, coupon } = await minSpendCoupon();
    const body = { code: coupon.code, orderAmount: 1_280, recordPurchase: true, key: `redeem-key-${seq}` };
    const res = await post(clerk, '/counter/redeem', body).expect(200);
    expect(res.body.coupon.state).toBe('used');
    expect(res.body.purchase).toMatchObject({ amount: 1_280, memberId: String(member._id) });
    expect(res.body.undoUntil).toBe(new Date(now.getTime() + 10 * 60_000).toISOString());
    const purchase = await Purchase.findById(res.body.purchase.purchaseId).lean();
    expect(String(purchase!.couponId)).toBe(coupon.id);
    expect(purchase!.storeId).toBe('taipei-101');
    const stored = await couponDoc(coupon.id);
    expect(String(stored!.redeemedPurchaseId)).toBe(String(purchase!._id));
    expect(stored!.redeemOrderAmount).toBe(1_280);
    const again = await post(clerk, '/counter/redeem', body).expect(200);
    expect(again.body.purchase.purchaseId).toBe(res.body.purchase.purchaseId);
    expect(await Purchase.countDocuments({ memberId: member._id })).toBe(1);
    // Another key is another attempt: the coupon is used.
    const other = await post(clerk, '/counter/redeem', { ...body, key: 'another-key-123' }).expect(409);
    expect(other.body.error.code).toBe('coupon_used');
  });
});

describe('#16.5 staff undo their own redemption within 10 minutes', () => {
  it('undo makes the coupon usable again, once, audited; the purchase loses the link', async () => {
    const { coupon } = await minSpendCoupon();
    const res = await post(clerk, '/counter/redeem', {
      code: coupon.code,
      orderAmount: 1_500,
      recordPurchase: true,
      key: `undo-key-${seq}`,
    }).expect(200);
    now = new Date(now.getTime() + 9 * 60_000);
    const undone = await post(clerk, `/counter/redemptions/${coupon.id}/undo`).expect(200);
    expect(undone.body.coupon.state).toBe('active');
    const twice = await post(clerk, `/counter/redemptions/${coupon.id}/undo`).expect(409);
    expect(twice.body.error).toMatchObject({ code: 'coupon_not_used', message: '這張優惠券尚未使用，無需取消核銷。' });
    const stored = await couponDoc(coupon.id);
    expect(stored!.status).toBe('active');
    expect(stored!.reversals).toHaveLength(1);
    expect(stored!.redeemedPurchaseId).toBeFalsy();
    expect((await Purchase.findById(res.body.purchase.purchaseId).lean())!.couponId).toBeFalsy();
    expect(await AuditLog.countDocuments({ action: 'coupon.redeem.undo', targetId: coupon.id })).toBe(1);
  });

  it('after 10 minutes staff are refused in zh-TW and nothing changes; an admin may still reverse it', async () => {
    const { coupon } = await minSpendCoupon();
    await post(clerk, '/counter/redeem', { code: coupon.code, orderAmount: 1_000 }).expect(200);
    now = new Date(now.getTime() + 10 * 60_000 + 1_000);
    const late = await post(clerk, `/counter/redemptions/${coupon.id}/undo`).expect(403);
    expect(late.body.error).toMatchObject({
      code: 'undo_window_passed',
      message: '核銷已超過 10 分鐘，請洽管理員取消核銷。',
    });
    expect((await couponDoc(coupon.id))!.status).toBe('used');
    await post(admin, `/counter/redemptions/${coupon.id}/undo`).expect(200);
    expect((await couponDoc(coupon.id))!.status).toBe('active');
  });

  it('another staff member cannot undo it', async () => {
    const { coupon } = await minSpendCoupon();
    await post(clerk, '/counter/redeem', { code: coupon.code, orderAmount: 2_000 }).expect(200);
    const res = await post(otherClerk, `/counter/redemptions/${coupon.id}/undo`).expect(403);
    expect(res.body.error).toMatchObject({ code: 'undo_not_yours', message: '只能取消自己核銷的優惠券，請洽管理員。' });
    expect((await couponDoc(coupon.id))!.status).toBe('used');
  });
});

describe('#16.5 today’s transactions at the store', () => {
  it('lists the day’s purchases, redemptions and adjustments with void / undo where allowed', async () => {
    const { member, coupon } = await minSpendCoupon();
    const id = String(member._id);
    await post(clerk, '/counter/redeem', {
      code: coupon.code,
      orderAmount: 1_100,
      recordPurchase: true,
      key: `today-key-${seq}`,
    }).expect(200);
    await post(clerk, '/counter/points', { memberId: id, delta: 20, reason: '補蓋章', key: `today-adj-${seq}` }).expect(
      200,
    );
    await post(clerk, '/counter/points', {
      memberId: id,
      delta: 900,
      reason: '活動補點',
      key: `today-big-${seq}`,
    }).expect(202);
    const res = await clerk.agent.get('/api/console/counter/today').expect(200);
    expect(res.body.storeId).toBe('taipei-101');
    const mine = res.body.rows.filter((r: { member: { id: string } | null }) => r.member?.id === id);
    expect(mine.map((r: { kind: string; status: string }) => [r.kind, r.status]).sort()).toEqual([
      ['adjustment', 'done'],
      ['adjustment', 'pending'],
      ['purchase', 'done'],
      ['redemption', 'done'],
    ]);
    const byKind = (k: string) => mine.filter((r: { kind: string }) => r.kind === k);
    expect(byKind('purchase')[0]).toMatchObject({ label: '消費 NT$1,100', canVoid: true });
    expect(byKind('redemption')[0]).toMatchObject({ canUndo: true, amount: 1_100 });
    expect(byKind('redemption')[0].label).toContain('使用「滿千折百');
    // Another clerk sees the row, but cannot undo someone else's redemption.
    const other = await otherClerk.agent.get('/api/console/counter/today').expect(200);
    const seen = other.body.rows.find((r: { id: string }) => r.id === coupon.id);
    expect(seen).toMatchObject({ canUndo: false });
    // Staff are bound to their store; an admin without a store must name one.
    const refused = await clerk.agent.get('/api/console/counter/today').query({ storeId: 'kaohsiung' }).expect(403);
    expect(refused.body.error.code).toBe('store_not_assigned');
    const noStore = await admin.agent.get('/api/console/counter/today').expect(400);
    expect(noStore.body.error.message).toBe('請先選擇門市。');
    const elsewhere = await admin.agent.get('/api/console/counter/today').query({ storeId: 'kaohsiung' }).expect(200);
    expect(elsewhere.body.rows).toEqual([]);
  });
});
