import { Coupon } from '../../../models/coupon.model';
import { Purchase } from '../../../models/purchase.model';
import { issueCoupon } from '../../../domain/coupons';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { loginAs, type ConsoleLogin } from '../../factories/console.factory';
import { createLineMember, createTemplate } from '../../factories/program.factory';

let env: TestEnv;
const now = new Date('2025-06-02T05:50:00Z');
let admin: ConsoleLogin;
let clerk: ConsoleLogin;

beforeAll(async () => {
  env = await startTestEnv({ clock: () => now });
  admin = await loginAs(env, 'admin');
  clerk = await loginAs(env, 'staff');
});
afterAll(() => env.close());

const post = (s: ConsoleLogin, path: string, body: unknown) =>
  s.agent
    .post(`/api/console${path}`)
    .set('X-CSRF-Token', s.csrf)
    .send(body as object);

async function couponFor(storeIds: string[]) {
  const { member } = await createLineMember(env);
  const template = await createTemplate({ title: `門市券 ${storeIds.join('/')}`, storeIds });
  const { coupon } = await issueCoupon({
    templateId: template.id,
    memberId: member._id,
    key: `store-test:${member._id}`,
    now,
    timeZone: env.config.timeZone,
  });
  return { member, coupon };
}

describe('#12.7 staff are bound to their assigned store', () => {
  it('an admin assigns the store; staff cannot assign it to themselves', async () => {
    await clerk.agent
      .patch('/api/console/auth/me')
      .set('X-CSRF-Token', clerk.csrf)
      .send({ storeId: 'kaohsiung' })
      .expect(400);
    await clerk.agent
      .patch(`/api/console/users/${clerk.userId}`)
      .set('X-CSRF-Token', clerk.csrf)
      .send({ storeId: 'kaohsiung' })
      .expect(403);
    const res = await admin.agent
      .patch(`/api/console/users/${clerk.userId}`)
      .set('X-CSRF-Token', admin.csrf)
      .send({ storeId: 'taipei-101' })
      .expect(200);
    expect(res.body.user.storeId).toBe('taipei-101');
  });

  it('staff redeem for their own store only: another store in the body is refused and nothing changes', async () => {
    const elsewhere = await couponFor(['kaohsiung']);
    const refused = await post(clerk, '/counter/redeem', { code: elsewhere.coupon.code, storeId: 'kaohsiung' }).expect(
      403,
    );
    expect(refused.body.error).toMatchObject({
      code: 'store_not_assigned',
      message: '您的帳號只能替門市「taipei-101」操作。',
    });
    // Without a storeId the server uses the assigned store, which this coupon is not valid at.
    expect((await post(clerk, '/counter/redeem', { code: elsewhere.coupon.code }).expect(409)).body.error.code).toBe(
      'coupon_wrong_store',
    );
    expect((await Coupon.findById(elsewhere.coupon.id).lean())!.status).toBe('active');

    const here = await couponFor(['taipei-101']);
    await post(clerk, '/counter/redeem', { code: here.coupon.code }).expect(200);
    expect(await Coupon.findById(here.coupon.id).lean()).toMatchObject({ status: 'used', usedStoreId: 'taipei-101' });
  });

  it('staff purchases are recorded for the assigned store; another store is refused and nothing is stored', async () => {
    const { member } = await createLineMember(env);
    await post(clerk, '/counter/purchases', {
      memberId: String(member._id),
      amount: 500,
      key: 'key-elsewhere-1',
      storeId: 'kaohsiung',
    }).expect(403);
    expect(await Purchase.countDocuments({ memberId: member._id })).toBe(0);
    await post(clerk, '/counter/purchases', {
      memberId: String(member._id),
      amount: 500,
      key: 'key-here-0001',
      storeId: 'taipei-101',
    }).expect(201);
    expect(await Purchase.findOne({ memberId: member._id }).lean()).toMatchObject({ storeId: 'taipei-101' });
  });

  it('staff without an assigned store cannot name one; admins choose any store', async () => {
    const unassigned = await loginAs(env, 'staff');
    const { coupon } = await couponFor(['kaohsiung']);
    const refused = await post(unassigned, '/counter/redeem', { code: coupon.code, storeId: 'kaohsiung' }).expect(403);
    expect(refused.body.error.message).toBe('您的帳號尚未指定門市，無法替其他門市操作，請洽管理員。');
    await post(admin, '/counter/redeem', { code: coupon.code, storeId: 'kaohsiung' }).expect(200);
    expect(await Coupon.findById(coupon.id).lean()).toMatchObject({ status: 'used', usedStoreId: 'kaohsiung' });
  });
});
