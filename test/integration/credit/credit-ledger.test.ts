import { Member } from '../../../models/member.model';
import { CreditEntry } from '../../../models/credit-entry.model';
import {
  changeCredit,
  expireDueCredit,
  findCreditDrift,
  payOrderWithCreditAndPoints,
} from '../../../domain/credit/credit.service';
import { changePoints } from '../../../domain/points/points.service';
import { getRevenueReport } from '../../../domain/reports/revenue';
import { rebuildStatCounters } from '../../../domain/reports/stat-rebuild.service';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env?.close());
beforeEach(() => env.resetDb());

const now = new Date('2026-03-01T02:00:00Z');

describe('credit ledger', () => {
  it('100 concurrent NT$1 spends on a balance of 50: exactly 50 succeed, never negative, no drift', async () => {
    const m = await Member.create({ memberCode: '1000000001' });
    await changeCredit({ memberId: m._id, delta: 50, reason: 'manual', key: 'grant', now });
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) =>
        changeCredit({ memberId: m._id, delta: -1, reason: 'spend', key: `spend:${i}`, now }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(50);
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(failed.every((r) => /購物金不足/.test((r.reason as Error).message))).toBe(true);
    expect((await Member.findById(m._id).lean())!.creditBalance).toBe(0);
    expect(await CreditEntry.countDocuments({ memberId: m._id })).toBe(51);
    expect(await findCreditDrift()).toEqual([]);
  });

  it('expiry twice changes once', async () => {
    const m = await Member.create({ memberCode: '1000000002' });
    const past = new Date(now.getTime() - 86_400_000);
    await changeCredit({ memberId: m._id, delta: 30, reason: 'birthday', key: 'b', now: past, expiresAt: past });
    await changeCredit({ memberId: m._id, delta: 20, reason: 'manual', key: 'm', now: past });
    expect(await expireDueCredit(now)).toMatchObject({ members: 1, amount: 30 });
    expect(await expireDueCredit(now)).toMatchObject({ members: 0, amount: 0 });
    expect((await Member.findById(m._id).lean())!.creditBalance).toBe(20);
    expect(await findCreditDrift()).toEqual([]);
  });
});

describe('#17.3 credit and points liability on the dashboard, from the gauges', () => {
  it('grants, spends, an order paid with credit and points, replays and expiry: the gauges equal the balances and a rebuild', async () => {
    const a = await Member.create({ memberCode: '1000000011', pointsBalance: 0 });
    const b = await Member.create({ memberCode: '1000000012', pointsBalance: 0 });
    const past = new Date(now.getTime() - 86_400_000);
    await changeCredit({ memberId: a._id, delta: 500, reason: 'manual', key: 'ga', now });
    await changeCredit({ memberId: a._id, delta: 500, reason: 'manual', key: 'ga', now }); // replay: nothing
    await changeCredit({ memberId: b._id, delta: 40, reason: 'birthday', key: 'gb', now: past, expiresAt: past });
    await changeCredit({ memberId: b._id, delta: 200, reason: 'manual', key: 'gb2', now });
    await changePoints({ memberId: a._id, delta: 300, reason: 'manual', key: 'pa', now });
    await changeCredit({ memberId: b._id, delta: -50, reason: 'spend', key: 'sb', now });
    const pay = { memberId: a._id, credit: 120, points: 100, key: 'pay:pos:1', note: '訂單折抵', refs: {}, now };
    await payOrderWithCreditAndPoints(pay);
    await payOrderWithCreditAndPoints(pay); // replay: nothing
    await expect(changeCredit({ memberId: b._id, delta: -9999, reason: 'spend', key: 'sb2', now })).rejects.toThrow(
      /購物金不足/,
    );
    await expireDueCredit(now);
    const report = () => getRevenueReport({ now, timeZone: 'Asia/Taipei' });
    // a: 500 − 120 = 380; b: 40 + 200 − 50 = 190 (the spend used the expiring 40 first, so nothing expired).
    expect((await report()).creditLiability).toBe(570);
    expect((await report()).pointsLiability).toBe(200);
    const balances = await Member.find({}, { creditBalance: 1, pointsBalance: 1 }).lean();
    expect(balances.reduce((s, m) => s + (m.creditBalance ?? 0), 0)).toBe(570);
    await rebuildStatCounters();
    expect((await report()).creditLiability).toBe(570);
    expect((await report()).pointsLiability).toBe(200);
  });
});
