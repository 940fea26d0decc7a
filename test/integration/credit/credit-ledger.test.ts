import { Member } from '../../../models/member.model';
import { CreditEntry } from '../../../models/credit-entry.model';
import { changeCredit, expireDueCredit, findCreditDrift } from '../../../domain/credit/credit.service';
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
