import request from 'supertest';
import { changeCredit, findCreditDrift, payOrderWithCreditAndPoints } from '../../../domain/credit/credit.service';
import { changePoints, findPointsDrift } from '../../../domain/points/points.service';
import { PurchaseInputSchema } from '../../../domain/purchases/purchase-input';
import { insertPurchase, ingestPurchase } from '../../../domain/purchases/purchase.service';
import { takePurchasePayment } from '../../../domain/purchases/purchase-payment.service';
import { getProgramSettings } from '../../../domain/program/settings.service';
import { creditExpiryJob } from '../../../jobs/credit-expiry.job';
import { CreditEntry } from '../../../models/credit-entry.model';
import { Member } from '../../../models/member.model';
import { PointsEntry } from '../../../models/points-entry.model';
import { Purchase, type PurchaseDoc } from '../../../models/purchase.model';
import { loginAs, type ConsoleLogin } from '../../factories/console.factory';
import { createApiKey, createLineMember } from '../../factories/program.factory';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';

/**
 * #16 acceptance, items 2–3: paying part of an order with 購物金 and points, through the counter and the ingest API.
 * Every step checks the exact balances and ledger rows, and that `npm run credit:verify` / `points:verify`
 * (findCreditDrift / findPointsDrift, what the scripts call) find no drift.
 */
let env: TestEnv;
const now = new Date('2026-03-02T04:00:00Z');
let clerk: ConsoleLogin;
let apiKey: string;

beforeAll(async () => {
  env = await startTestEnv({ clock: () => now });
});
afterAll(() => env?.close());
beforeEach(async () => {
  await env.resetDb();
  const admin = await loginAs(env, 'admin');
  clerk = await loginAs(env, 'staff');
  await admin.agent
    .patch(`/api/console/users/${clerk.userId}`)
    .set('X-CSRF-Token', admin.csrf)
    .send({ storeId: 'taipei-101' })
    .expect(200);
  apiKey = (await createApiKey('門市 POS', 'pos')).key;
});

const ingest = (body: object) => request(env.url).post('/api/ingest/purchases').set('x-api-key', apiKey).send(body);
const refund = (orderId: string, body: object) =>
  request(env.url).post(`/api/ingest/purchases/${orderId}/refunds`).set('x-api-key', apiKey).send(body);
const counterBuy = (body: object) =>
  clerk.agent.post('/api/console/counter/purchases').set('X-CSRF-Token', clerk.csrf).send(body);

async function balances(memberId: unknown) {
  const m = await Member.findById(memberId, { creditBalance: 1, pointsBalance: 1 }).lean();
  return { credit: m!.creditBalance ?? 0, points: m!.pointsBalance ?? 0 };
}
async function pointsLedger(memberId: string) {
  const rows = await PointsEntry.find({ memberId }, { delta: 1, reason: 1, _id: 0 }).sort({ at: 1, _id: 1 }).lean();
  return rows.map((r) => [r.reason, r.delta]);
}
async function creditLedger(memberId: string) {
  const rows = await CreditEntry.find({ memberId }, { delta: 1, reason: 1, _id: 0 }).sort({ at: 1, _id: 1 }).lean();
  return rows.map((r) => [r.reason, r.delta]);
}
async function expectNoDrift() {
  expect(await findCreditDrift()).toEqual([]);
  expect(await findPointsDrift()).toEqual([]);
}

describe('#16 acceptance: 100 concurrent spends on a credit balance worth 50', () => {
  it('at the counter: exactly the 50 affordable NT$1 spends succeed, the rest are refused in zh-TW, never negative, credit:verify clean', async () => {
    const { member, memberId } = await createLineMember(env);
    await changeCredit({ memberId, delta: 50, reason: 'manual', key: 'grant-50', now });
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        counterBuy({ memberId, amount: 100, credit: 1, key: `counter-spend-${i}-key` }),
      ),
    );
    const ok = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status !== 201);
    expect(ok).toHaveLength(50);
    expect(refused).toHaveLength(50);
    for (const r of refused) {
      expect(r.status).toBe(409);
      expect(r.body.error.code).toBe('insufficient_credit');
      expect(r.body.error.message).toMatch(/^購物金餘額不足：目前有 NT\$\d+，本筆要用 NT\$1。$/);
    }
    expect(await balances(memberId)).toMatchObject({ credit: 0 });
    const spends = await CreditEntry.find({ memberId, reason: 'spend' }).lean();
    expect(spends).toHaveLength(50);
    expect(spends.every((e) => e.delta === -1 && (e.balanceAfter ?? -1) >= 0)).toBe(true);
    // Only the paid purchases are stored, each with its payment taken; no refused one is left behind.
    const purchases = await Purchase.find({ memberId: member._id }).lean();
    expect(purchases).toHaveLength(50);
    expect(purchases.every((p) => p.payment?.status === 'taken' && p.payment.credit === 1)).toBe(true);
    await expectNoDrift();
  });

  it('through ingest (`credit` in the purchase), mixed NT$1–3 spends: what succeeds adds up to what was taken, every refused one was unaffordable, never negative', async () => {
    const { member, memberId } = await createLineMember(env);
    await changeCredit({ memberId, delta: 50, reason: 'manual', key: 'grant-50', now });
    const asked = Array.from({ length: 100 }, (_, i) => (i % 3) + 1);
    const results = await Promise.all(
      asked.map((credit, i) =>
        ingest({ orderId: `ING-${i}`, member: { memberCode: member.memberCode }, amount: 200, credit }),
      ),
    );
    const okCredits = asked.filter((_, i) => results[i]!.status === 201);
    const refusedCredits = asked.filter((_, i) => results[i]!.status !== 201);
    for (const r of results.filter((x) => x.status !== 201)) {
      expect(r.status).toBe(409);
      expect(r.body.error.message).toMatch(/^購物金餘額不足：目前有 NT\$\d+，本筆要用 NT\$[123]。$/);
    }
    const spent = okCredits.reduce((s, c) => s + c, 0);
    const { credit } = await balances(memberId);
    expect(credit).toBe(50 - spent);
    expect(credit).toBeGreaterThanOrEqual(0);
    // Balances only go down, so each refusal saw at most what is left now: every refused amount exceeds it.
    expect(refusedCredits.length).toBeGreaterThan(0);
    for (const c of refusedCredits) expect(c).toBeGreaterThan(credit);
    const spends = await CreditEntry.find({ memberId, reason: 'spend' }).lean();
    expect(spends).toHaveLength(okCredits.length);
    expect(spends.reduce((s, e) => s + e.delta, 0)).toBe(-spent);
    expect(await Purchase.countDocuments({ memberId: member._id })).toBe(okCredits.length);
    await expectNoDrift();
  });

  it('the credit expiry job run twice changes once', async () => {
    const { memberId } = await createLineMember(env);
    const past = new Date(now.getTime() - 86_400_000);
    await changeCredit({ memberId, delta: 30, reason: 'birthday', key: 'bday', now: past, expiresAt: past });
    await changeCredit({ memberId, delta: 20, reason: 'manual', key: 'manual', now: past });
    expect(await creditExpiryJob.run(env.deps, now)).toMatchObject({ expiredMembers: 1, expiredAmount: 30 });
    expect(await creditExpiryJob.run(env.deps, now)).toMatchObject({ expiredMembers: 0, expiredAmount: 0 });
    expect(await balances(memberId)).toMatchObject({ credit: 20 });
    expect(await creditLedger(memberId)).toEqual([
      ['birthday', 30],
      ['manual', 20],
      ['expire', -30],
    ]);
    await expectNoDrift();
  });
});

describe('#16 acceptance: a purchase paid partly with points, replayed, refunded', () => {
  it('through ingest: balances and ledgers are exact after every step', async () => {
    const { member, memberId } = await createLineMember(env);
    await changePoints({ memberId, delta: 500, reason: 'manual', key: 'seed-500', now });
    expect(await balances(memberId)).toEqual({ credit: 0, points: 500 });

    // NT$1,000 with 200 points (NT$200 at 1 point per NT$1): NT$800 paid in money earns 8 points (NT$100 per point).
    const order = { orderId: 'PTS-1', member: { memberCode: member.memberCode }, amount: 1000, points: 200 };
    const first = await ingest(order).expect(201);
    expect(first.body).toMatchObject({
      grossAmount: 1000,
      pointsUsed: 200,
      pointsValue: 200,
      netPaid: 800,
      amount: 800,
      pointsEarned: 8,
      pointsBalance: 308,
      replayed: false,
    });
    const afterBuy = [
      ['manual', 500],
      ['payment', -200],
      ['purchase', 8],
    ];
    expect(await balances(memberId)).toEqual({ credit: 0, points: 308 });
    expect(await pointsLedger(memberId)).toEqual(afterBuy);
    await expectNoDrift();

    // Replayed (also with other amounts: the order id is what counts): the first result, nothing taken or earned.
    const again = await ingest(order).expect(200);
    expect(again.body).toMatchObject({ pointsUsed: 200, pointsEarned: 8, replayed: true });
    await ingest({ ...order, points: 400 }).expect(200);
    expect(await balances(memberId)).toEqual({ credit: 0, points: 308 });
    expect(await pointsLedger(memberId)).toEqual(afterBuy);
    expect(await Purchase.countDocuments({ orderId: 'PTS-1' })).toBe(1);

    // A partial refund (NT$400 of 1,000 = 40%) gives back 80 of the paid points and takes back 3 of the 8 earned.
    const part = await refund('PTS-1', { refundId: 'part-1', amount: 400 }).expect(201);
    expect(part.body).toMatchObject({ pointsReturned: 80, pointsReversed: 3, pointsBalance: 385 });
    await refund('PTS-1', { refundId: 'part-1', amount: 400 }).expect(200);
    const afterPart = [...afterBuy, ['payment_return', 80], ['reversal', -3]];
    expect(await balances(memberId)).toEqual({ credit: 0, points: 385 });
    expect(await pointsLedger(memberId)).toEqual(afterPart);
    await expectNoDrift();

    // The rest: all 200 paid points back, all 8 earned taken back — exactly the 500 the member started with.
    const rest = await refund('PTS-1', { refundId: 'rest' }).expect(201);
    expect(rest.body).toMatchObject({ status: 'refunded', pointsReturned: 120, pointsReversed: 5, pointsBalance: 500 });
    await refund('PTS-1', { refundId: 'rest' }).expect(200);
    expect(await balances(memberId)).toEqual({ credit: 0, points: 500 });
    expect(await pointsLedger(memberId)).toEqual([...afterPart, ['payment_return', 120], ['reversal', -5]]);
    const refusedAgain = await refund('PTS-1', { refundId: 'third' }).expect(409);
    expect(refusedAgain.body.error.message).toBe('這筆訂單已全額退款。');
    expect(await pointsLedger(memberId)).toHaveLength(7);
    await expectNoDrift();
  });
});

describe('#16 acceptance: a crash between the purchase save and the payment', () => {
  const ctx = () => ({ source: 'pos', now, messenger: env.deps.messenger, timeZone: 'Asia/Taipei' });
  async function seeded() {
    const { member, memberId } = await createLineMember(env);
    await changePoints({ memberId, delta: 500, reason: 'manual', key: 'seed-points', now });
    await changeCredit({ memberId, delta: 300, reason: 'manual', key: 'seed-credit', now });
    const input = {
      orderId: 'CRASH-1',
      member: { memberCode: member.memberCode },
      amount: 1000,
      credit: 100,
      points: 200,
    };
    return { member, memberId, input };
  }
  const insertOnly = async (input: object) =>
    insertPurchase(PurchaseInputSchema.parse(input), now, ctx(), await getProgramSettings());
  // NT$1,000 − NT$100 credit − 200 points (NT$200) = NT$700 paid, which earns 7 points.
  const completed = { credit: 200, points: 307 };
  async function expectCompletedOnce(memberId: string) {
    expect(await balances(memberId)).toEqual(completed);
    expect(await pointsLedger(memberId)).toEqual([
      ['manual', 500],
      ['payment', -200],
      ['purchase', 7],
    ]);
    expect(await creditLedger(memberId)).toEqual([
      ['manual', 300],
      ['spend', -100],
    ]);
    const [p] = await Purchase.find({ orderId: 'CRASH-1' }).lean();
    expect(p!.payment?.status).toBe('taken');
    expect(p!.effectsDoneAt).toBeTruthy();
    expect(await Member.findById(memberId, { 'stats.purchaseCount': 1 }).lean()).toMatchObject({
      stats: { purchaseCount: 1 },
    });
    await expectNoDrift();
  }

  it('saved, payment not taken: nothing is taken yet; the retry (same order id) takes and earns exactly once', async () => {
    const { memberId, input } = await seeded();
    const pending = await insertOnly(input);
    expect(pending.payment).toMatchObject({ status: 'pending', credit: 100, points: 200 });
    // The crash: no points or credit were taken without the purchase, and the half-done order cannot be refunded.
    expect(await balances(memberId)).toEqual({ credit: 300, points: 500 });
    expect(await pointsLedger(memberId)).toEqual([['manual', 500]]);
    const busy = await refund('CRASH-1', {}).expect(409);
    expect(busy.body.error.message).toBe('這筆訂單還在處理中，請稍後再試。');

    const retried = await ingest(input).expect(200);
    expect(retried.body).toMatchObject({ creditUsed: 100, pointsUsed: 200, netPaid: 700, pointsEarned: 7 });
    await ingest(input).expect(200);
    await expectCompletedOnce(memberId);
  });

  it('payment taken, not yet marked on the purchase: the retry takes nothing twice and completes it', async () => {
    const { memberId, input } = await seeded();
    const pending = await insertOnly(input);
    // The take's own step ran (both ledgers, one conditional update), then the process died before marking it.
    await payOrderWithCreditAndPoints({
      memberId,
      credit: 100,
      points: 200,
      key: pending.payment!.key!,
      note: '訂單 CRASH-1 折抵',
      refs: {},
      now,
    });
    expect(await balances(memberId)).toEqual({ credit: 200, points: 300 });
    expect((await Purchase.findById(pending._id).lean())!.payment?.status).toBe('pending');
    await Promise.all([ingestPurchase(input, ctx()), ingest(input)]);
    await expectCompletedOnce(memberId);
  });

  it('payment taken and marked, effects not run: the retry earns once and takes nothing more', async () => {
    const { memberId, input } = await seeded();
    const taken = await takePurchasePayment((await insertOnly(input)) as PurchaseDoc, { now });
    expect(taken.payment?.status).toBe('taken');
    expect(await balances(memberId)).toEqual({ credit: 200, points: 300 });
    await ingest(input).expect(200);
    await ingest(input).expect(200);
    await expectCompletedOnce(memberId);
  });

  it('a refused take leaves nothing: no purchase, no entries, the balances as they were', async () => {
    const { member, memberId, input } = await seeded();
    const pending = await insertOnly({ ...input, credit: 300 });
    // Meanwhile the member spent credit elsewhere: the take is refused and the pending purchase removed.
    await changeCredit({ memberId, delta: -250, reason: 'spend', key: 'elsewhere', now });
    const res = await ingest({ ...input, credit: 300 }).expect(409);
    expect(res.body.error.message).toBe('購物金餘額不足：目前有 NT$50，本筆要用 NT$300。');
    expect(await Purchase.findById(pending._id).lean()).toBeNull();
    expect(await Purchase.countDocuments({ memberId: member._id })).toBe(0);
    expect(await balances(memberId)).toEqual({ credit: 50, points: 500 });
    expect(await pointsLedger(memberId)).toEqual([['manual', 500]]);
    await expectNoDrift();
  });
});
