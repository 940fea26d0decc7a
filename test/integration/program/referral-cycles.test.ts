import { Member } from '../../../models/member.model';
import { PointsEntry } from '../../../models/points-entry.model';
import { applyReferralCode, ensureReferralCode } from '../../../domain/referrals/referral.service';
import { ingestPurchase } from '../../../domain/purchases/purchase.service';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { createLineMember } from '../../factories/program.factory';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env?.close());
beforeEach(() => env.resetDb());

/** A ring of referrals pays its members for each other's purchases: refused at any length, not only two. */
describe('#12.11 referral cycles longer than two are refused', () => {
  async function chain(n: number) {
    const members = [];
    for (let i = 0; i < n; i++) members.push(await createLineMember(env));
    const now = new Date();
    // members[0] refers members[1], who refers members[2], …
    for (let i = 1; i < n; i++)
      await applyReferralCode({
        refereeId: members[i].memberId,
        code: await ensureReferralCode(members[i - 1].memberId),
        now,
      });
    return members;
  }

  it("A→B→C→A: A cannot enter C's code, and nothing is stored", async () => {
    const [a, , c] = await chain(3);
    const err = await applyReferralCode({
      refereeId: a.memberId,
      code: await ensureReferralCode(c.memberId),
      now: new Date(),
    }).catch((e) => e);
    expect(err).toMatchObject({ code: 'referral_circular', status: 409 });
    expect(err.userMessage).toMatch(/推薦的好友/);
    expect((await Member.findById(a.memberId).lean())!.referral!.referredBy).toBeFalsy();
  });

  it('a longer ring (five members) is refused too, while an open chain keeps working', async () => {
    const members = await chain(5);
    await expect(
      applyReferralCode({
        refereeId: members[0].memberId,
        code: await ensureReferralCode(members[4].memberId),
        now: new Date(),
      }),
    ).rejects.toMatchObject({ code: 'referral_circular' });
    const newcomer = await createLineMember(env);
    await expect(
      applyReferralCode({
        refereeId: newcomer.memberId,
        code: await ensureReferralCode(members[4].memberId),
        now: new Date(),
      }),
    ).resolves.toMatchObject({ referrerId: members[4].memberId });
  });

  it('a ring that two racing bindings closed anyway pays no referral reward', async () => {
    const [a, b, c] = await chain(3);
    // As if A's code entry had passed the check at the same moment as C's binding.
    await Member.updateOne(
      { _id: a.memberId },
      { $set: { 'referral.referredBy': c.member._id, 'referral.referredAt': new Date() } },
    );
    await ingestPurchase(
      { orderId: 'RING-1', member: { memberCode: b.member.memberCode }, amount: 2000 },
      { source: 'pos', now: new Date(), messenger: env.deps.messenger, timeZone: 'Asia/Taipei' },
    );
    expect(await PointsEntry.countDocuments({ reason: { $in: ['referral', 'welcome'] } })).toBe(0);
  });
});
