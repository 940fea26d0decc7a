import { Coupon } from '../../../models/coupon.model';
import { Member } from '../../../models/member.model';
import { PointsEntry } from '../../../models/points-entry.model';
import {
  applyReferralCode,
  ensureReferralCode,
  getReferralSummary,
  referralShareLink,
} from '../../../domain/referrals/referral.service';
import { ingestPurchase } from '../../../domain/purchases/purchase.service';
import { updateProgramSettings } from '../../../domain/program/settings.service';
import { findPointsDrift } from '../../../domain/points/points.service';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { textsOf } from '../../helpers/emulator-client';
import { createLineMember, createTemplate } from '../../factories/program.factory';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env?.close());
beforeEach(() => env.resetDb());

let orderSeq = 0;
const buy = (memberCode: string, amount: number, now = new Date()) =>
  ingestPurchase(
    { orderId: `R${++orderSeq}`, member: { memberCode }, amount },
    { source: 'pos', now, messenger: env.deps.messenger, timeZone: 'Asia/Taipei' },
  );

async function pair() {
  const referrer = await createLineMember(env);
  const referee = await createLineMember(env);
  const code = await ensureReferralCode(referrer.memberId);
  return { referrer, referee, code };
}

describe('referral codes', () => {
  it('are short, unambiguous, stable, and shared as a LINE link that types the code', async () => {
    const { referrer, code } = await pair();
    expect(code).toMatch(/^[2-9A-HJ-NP-Z]{6}$/);
    expect(await ensureReferralCode(referrer.memberId)).toBe(code);
    const link = referralShareLink(env.deps.links, code);
    expect(link).toBe(
      `https://line.me/R/oaMessage/${encodeURIComponent('@huigo')}/?${encodeURIComponent(`推薦碼 ${code}`)}`,
    );
  });

  it('two concurrent first calls agree on one code', async () => {
    const m = await createLineMember(env);
    const codes = await Promise.all([ensureReferralCode(m.memberId), ensureReferralCode(m.memberId)]);
    expect(codes[0]).toBe(codes[1]);
  });
});

describe('entering a code', () => {
  it('binds the referee once; tolerant of case and spaces', async () => {
    const { referrer, referee, code } = await pair();
    const r = await applyReferralCode({
      refereeId: referee.memberId,
      code: ` ${code.toLowerCase()} `,
      now: new Date(),
    });
    expect(r.referrerId).toBe(referrer.memberId);
    expect(r.message).toContain('推薦碼');
    expect((await Member.findById(referee.memberId).lean())!.referral!.referredBy!.toString()).toBe(referrer.memberId);
  });

  it('abuse cases are refused with clear codes and change nothing', async () => {
    const { referrer, referee, code } = await pair();
    const now = new Date();
    await expect(applyReferralCode({ refereeId: referrer.memberId, code, now })).rejects.toMatchObject({
      code: 'referral_self',
    });
    await expect(applyReferralCode({ refereeId: referee.memberId, code: 'ZZZZZZ', now })).rejects.toMatchObject({
      code: 'referral_not_found',
    });
    await expect(applyReferralCode({ refereeId: referee.memberId, code: 'O0I1', now })).rejects.toMatchObject({
      code: 'referral_not_found',
    });
    await applyReferralCode({ refereeId: referee.memberId, code, now });
    const third = await createLineMember(env);
    const otherCode = await ensureReferralCode(third.memberId);
    await expect(applyReferralCode({ refereeId: referee.memberId, code: otherCode, now })).rejects.toMatchObject({
      code: 'referral_already_set',
    });
    // The referrer cannot then enter their own referee's code (a ring of two).
    const refereeCode = await ensureReferralCode(referee.memberId);
    await expect(applyReferralCode({ refereeId: referrer.memberId, code: refereeCode, now })).rejects.toMatchObject({
      code: 'referral_circular',
    });
    // A customer who already bought is not a new friend.
    const buyer = await createLineMember(env);
    await buy(buyer.member.memberCode, 500);
    await expect(applyReferralCode({ refereeId: buyer.memberId, code, now })).rejects.toMatchObject({
      code: 'referral_not_eligible',
    });
    // Nor is someone who followed long ago.
    const old = await createLineMember(env, { followedAt: new Date(Date.now() - 90 * 86_400_000) });
    await expect(applyReferralCode({ refereeId: old.memberId, code, now })).rejects.toMatchObject({
      code: 'referral_not_eligible',
    });
    expect((await Member.findById(referrer.memberId).lean())!.referral!.referredBy).toBeFalsy();
  });

  it('two different codes entered at the same moment: exactly one binds', async () => {
    const a = await createLineMember(env);
    const b = await createLineMember(env);
    const referee = await createLineMember(env);
    const [ca, cb] = await Promise.all([ensureReferralCode(a.memberId), ensureReferralCode(b.memberId)]);
    const results = await Promise.allSettled([
      applyReferralCode({ refereeId: referee.memberId, code: ca, now: new Date() }),
      applyReferralCode({ refereeId: referee.memberId, code: cb, now: new Date() }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });
});

describe('rewards on the first qualifying purchase', () => {
  it('referrer and referee are rewarded exactly once and told in chat', async () => {
    const { referrer, referee, code } = await pair();
    await applyReferralCode({ refereeId: referee.memberId, code, now: new Date() });
    const [first] = await Promise.all([buy(referee.member.memberCode, 800), buy(referee.member.memberCode, 900)]);
    await buy(referee.member.memberCode, 1000);
    expect(
      first.referralCompleted || (await Member.findById(referee.memberId).lean())!.referral!.rewardedAt,
    ).toBeTruthy();
    expect(await PointsEntry.countDocuments({ memberId: referrer.memberId, reason: 'referral' })).toBe(1);
    expect(await PointsEntry.countDocuments({ memberId: referee.memberId, reason: 'welcome' })).toBe(1);
    expect((await Member.findById(referrer.memberId).lean())!.pointsBalance).toBe(100);
    const toReferrer = textsOf(await env.emulator.messages(referrer.userId, 1));
    expect(toReferrer).toHaveLength(1);
    expect(toReferrer[0]).toContain('送您 100 點');
    const toReferee = textsOf(await env.emulator.messages(referee.userId, 1));
    expect(toReferee.filter((t) => t.includes('新朋友禮'))).toHaveLength(1);
    const summary = await getReferralSummary(referrer.memberId, env.deps);
    expect(summary).toMatchObject({ code, friendsJoined: 1, rewardsEarned: 1, pointsEarned: 100, referredBy: null });
    expect((await getReferralSummary(referee.memberId, env.deps)).referredBy).toMatchObject({ id: referrer.memberId });
    expect(await findPointsDrift()).toEqual([]);
  });

  it('a purchase below the minimum does not qualify; a coupon reward ("購物金") is issued with the points', async () => {
    const credit = await createTemplate({ title: '購物金 NT$150', value: 150 });
    await updateProgramSettings(
      { referral: { minPurchaseAmount: 1000, referrerReward: { points: 0, couponTemplateId: credit.id } } },
      'marketer',
    );
    const { referrer, referee, code } = await pair();
    await applyReferralCode({ refereeId: referee.memberId, code, now: new Date() });
    expect((await buy(referee.member.memberCode, 500)).referralCompleted).toBe(false);
    expect((await buy(referee.member.memberCode, 1500)).referralCompleted).toBe(true);
    expect(await Coupon.countDocuments({ memberId: referrer.memberId, source: 'referral' })).toBe(1);
    expect(textsOf(await env.emulator.messages(referrer.userId, 1))[0]).toContain('購物金 NT$150');
  });

  it('a referrer at the reward cap earns nothing more, the referee still gets the welcome reward', async () => {
    await updateProgramSettings({ referral: { maxRewardsPerReferrer: 1 } }, 'marketer');
    const { referrer, referee, code } = await pair();
    const second = await createLineMember(env);
    await applyReferralCode({ refereeId: referee.memberId, code, now: new Date() });
    await applyReferralCode({ refereeId: second.memberId, code, now: new Date() });
    await buy(referee.member.memberCode, 500);
    await buy(second.member.memberCode, 500);
    expect(await PointsEntry.countDocuments({ memberId: referrer.memberId, reason: 'referral' })).toBe(1);
    expect(await PointsEntry.countDocuments({ memberId: second.memberId, reason: 'welcome' })).toBe(1);
  });
});
