import { changeCredit, findCreditDrift } from '../../../domain/credit/credit.service';
import { changePoints, findPointsDrift } from '../../../domain/points/points.service';
import { updateProgramSettings } from '../../../domain/program/settings.service';
import { AuditLog } from '../../../models/audit-log.model';
import { CreditEntry } from '../../../models/credit-entry.model';
import { Member } from '../../../models/member.model';
import { PointsEntry } from '../../../models/points-entry.model';
import { Purchase } from '../../../models/purchase.model';
import { loginAs, type ConsoleLogin } from '../../factories/console.factory';
import { createLineMember } from '../../factories/program.factory';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';

/** #16 the console's refund action: a purchase refunded from the member page, through the refund use case. */
let env: TestEnv;
const now = new Date('2025-06-02T05:50:00Z');
let admin: ConsoleLogin;

beforeAll(async () => {
  env = await startTestEnv({ clock: () => now });
  admin = await loginAs(env, 'admin');
});
afterAll(() => env.close());

const post = (s: ConsoleLogin, path: string, body: unknown = {}) =>
  s.agent
    .post(`/api/console${path}`)
    .set('X-CSRF-Token', s.csrf)
    .send(body as object);
let seq = 0;
const refund = (s: ConsoleLogin, purchaseId: string, body: object) =>
  post(s, `/purchases/${purchaseId}/refund`, { reason: '顧客退貨', key: `refund-key-${++seq}`, ...body });

async function balances(memberId: string) {
  const m = await Member.findById(memberId).lean();
  return { credit: m!.creditBalance ?? 0, points: m!.pointsBalance ?? 0 };
}
const ledgers = async (memberId: string) => ({
  points: (await PointsEntry.find({ memberId }).sort({ at: 1, _id: 1 }).lean()).map((e) => [e.reason, e.delta]),
  credit: (await CreditEntry.find({ memberId }).sort({ at: 1, _id: 1 }).lean()).map((e) => [e.reason, e.delta]),
});

/** A member with NT$300 credit and 500 points, who paid NT$1,000 at the counter with NT$100 credit and 200 points. */
async function paidOrder() {
  const { memberId } = await createLineMember(env);
  await changePoints({ memberId, delta: 500, reason: 'manual', key: `seed-p-${memberId}`, now });
  await changeCredit({ memberId, delta: 300, reason: 'manual', key: `seed-c-${memberId}`, now });
  const res = await post(admin, '/counter/purchases', {
    memberId,
    amount: 1000,
    credit: 100,
    points: 200,
    key: `refund-order-${memberId}`,
  }).expect(201);
  // NT$700 paid in money earns 7 points.
  expect(res.body).toMatchObject({ creditUsed: 100, pointsUsed: 200, netPaid: 700, pointsEarned: 7 });
  expect(await balances(memberId)).toEqual({ credit: 200, points: 307 });
  return { memberId, purchaseId: res.body.purchaseId as string };
}

describe('#16 refunding a purchase from the console', () => {
  it('the member page lists the order; a partial then the full refund give credit and points back exactly, once each', async () => {
    const { memberId, purchaseId } = await paidOrder();
    const list = await admin.agent.get(`/api/console/members/${memberId}/purchases`).expect(200);
    expect(list.body).toMatchObject({ total: 1, page: 1 });
    expect(list.body.items[0]).toMatchObject({
      id: purchaseId,
      grossAmount: 1000,
      creditUsed: 100,
      pointsUsed: 200,
      netPaid: 700,
      status: 'completed',
      voided: false,
      refundable: 1000,
    });

    // NT$400 of 1,000 (40%): NT$40 credit and 80 paid points back, 3 of the 7 earned points taken back.
    const key = 'partial-refund-key';
    const part = await post(admin, `/purchases/${purchaseId}/refund`, { amount: 400, reason: '部分退貨', key });
    expect(part.status).toBe(201);
    expect(part.body.refund).toMatchObject({
      amount: 400,
      status: 'partially_refunded',
      creditReturned: 40,
      pointsReturned: 80,
      pointsReversed: 3,
      creditBalance: 240,
      pointsBalance: 384,
      replayed: false,
    });
    expect(part.body.purchase).toMatchObject({ status: 'partially_refunded', refundable: 600 });
    const again = await post(admin, `/purchases/${purchaseId}/refund`, { amount: 400, reason: '部分退貨', key });
    expect(again.status).toBe(200);
    expect(again.body.refund).toMatchObject({ replayed: true, creditReturned: 40 });
    expect(await balances(memberId)).toEqual({ credit: 240, points: 384 });

    const rest = await refund(admin, purchaseId, {}).expect(201);
    expect(rest.body.refund).toMatchObject({
      amount: 600,
      status: 'refunded',
      creditReturned: 60,
      pointsReturned: 120,
    });
    expect(await balances(memberId)).toEqual({ credit: 300, points: 500 });
    expect(await ledgers(memberId)).toEqual({
      points: [
        ['manual', 500],
        ['payment', -200],
        ['purchase', 7],
        ['payment_return', 80],
        ['reversal', -3],
        ['payment_return', 120],
        ['reversal', -4],
      ],
      credit: [
        ['manual', 300],
        ['spend', -100],
        ['reversal', 40],
        ['reversal', 60],
      ],
    });
    const after = await admin.agent.get(`/api/console/members/${memberId}/purchases`).expect(200);
    expect(after.body.items[0]).toMatchObject({ status: 'refunded', refundable: 0 });
    expect(after.body.items[0].refunds).toHaveLength(2);
    expect(
      await AuditLog.countDocuments({ action: 'purchase.refund', targetId: purchaseId, 'details.replayed': false }),
    ).toBe(2);
    const more = await refund(admin, purchaseId, { amount: 1 }).expect(409);
    expect(more.body.error.message).toBe('這筆訂單已全額退款。');
    expect(await findCreditDrift()).toEqual([]);
    expect(await findPointsDrift()).toEqual([]);
  });

  it('when the program allows it, the list says so and the money part comes back as one 購物金 lot, once', async () => {
    const { memberId, purchaseId } = await paidOrder();
    const before = await admin.agent.get(`/api/console/members/${memberId}/purchases`).expect(200);
    expect(before.body.refundAsCredit).toBe(false);
    await updateProgramSettings({ credit: { refundAsCredit: true, refundValidDays: 30 } }, 'test');
    try {
      const list = await admin.agent.get(`/api/console/members/${memberId}/purchases`).expect(200);
      expect(list.body.refundAsCredit).toBe(true);
      const body = { refundAs: 'credit', reason: '改發購物金', key: 'as-credit-refund-1' };
      const res = await post(admin, `/purchases/${purchaseId}/refund`, body).expect(201);
      // The NT$700 paid in money comes back as credit, beside the NT$100 credit and 200 points it was paid with.
      expect(res.body.refund).toMatchObject({ creditGranted: 700, creditReturned: 100, pointsReturned: 200 });
      await post(admin, `/purchases/${purchaseId}/refund`, body).expect(200);
      expect(await balances(memberId)).toEqual({ credit: 1000, points: 500 });
      expect(await CreditEntry.countDocuments({ memberId, reason: 'refund' })).toBe(1);
      expect(await findCreditDrift()).toEqual([]);
    } finally {
      await updateProgramSettings({ credit: { refundAsCredit: false } }, 'test');
    }
  });

  it('bad input is refused in zh-TW and nothing changes', async () => {
    const { memberId, purchaseId } = await paidOrder();
    const before = { balances: await balances(memberId), ledgers: await ledgers(memberId) };
    const noReason = await refund(admin, purchaseId, { reason: '' }).expect(400);
    expect(JSON.stringify(noReason.body)).toContain('退款原因至少 2 個字');
    const tooMuch = await refund(admin, purchaseId, { amount: 1001 }).expect(400);
    expect(JSON.stringify(tooMuch.body)).toContain('退款金額不可超過尚未退款的 NT$1,000');
    const negative = await refund(admin, purchaseId, { amount: -5 }).expect(400);
    expect(JSON.stringify(negative.body)).toContain('退款金額必須大於 0');
    const asCredit = await refund(admin, purchaseId, { refundAs: 'credit' }).expect(400);
    expect(JSON.stringify(asCredit.body)).toContain('尚未開啟「退款改發購物金」');
    const unknown = await refund(admin, '0123456789abcdef01234567', {}).expect(404);
    expect(unknown.body.error.message).toBe('找不到這筆消費。');
    expect({ balances: await balances(memberId), ledgers: await ledgers(memberId) }).toEqual(before);
    expect((await Purchase.findById(purchaseId).lean())!.refunds).toHaveLength(0);
  });

  it('only a role with purchases.refund may refund; a voided purchase cannot be refunded', async () => {
    const { memberId, purchaseId } = await paidOrder();
    for (const role of ['staff', 'marketer'] as const) {
      const who = await loginAs(env, role);
      const res = await refund(who, purchaseId, {}).expect(403);
      expect(res.body.error.message).toBe('您的角色沒有權限使用這項功能。');
    }
    expect(await balances(memberId)).toEqual({ credit: 200, points: 307 });
    await post(admin, `/purchases/${purchaseId}/void`, { reason: '輸入錯誤' }).expect(200);
    expect(await balances(memberId)).toEqual({ credit: 300, points: 500 });
    const voided = await refund(admin, purchaseId, {}).expect(409);
    expect(voided.body.error.message).toBe('這筆消費已作廢，無法退款。');
    expect(await balances(memberId)).toEqual({ credit: 300, points: 500 });
    const list = await admin.agent.get(`/api/console/members/${memberId}/purchases`).expect(200);
    expect(list.body.items[0]).toMatchObject({ voided: true, refundable: 0 });
  });
});
