import request from 'supertest';
import { Campaign } from '../../../models/campaign.model';
import { ConsoleUser } from '../../../models/console-user.model';
import { Coupon } from '../../../models/coupon.model';
import { CouponTemplate } from '../../../models/coupon-template.model';
import { PointsEntry } from '../../../models/points-entry.model';
import { cancelCampaign, createCampaign } from '../../../domain/campaigns/campaign.service';
import { createConsoleUser, updateConsoleUser } from '../../../domain/staff/user.service';
import { getCouponTemplate, issueCoupon, updateCouponTemplate } from '../../../domain/coupons';
import { updateProgramSettings } from '../../../domain/program/settings.service';
import { applyReferralCode, ensureReferralCode } from '../../../domain/referrals/referral.service';
import { completeReferralOnPurchase } from '../../../domain/referrals/referral-reward.service';
import { createLineMember, createPlainMember, createTemplate } from '../../factories/program.factory';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';

/**
 * Read-modify-write races on money-like state, made deterministic: a spy lets the competing write land exactly
 * between the read a decision is based on and the write that applies it (what a second instance or a second
 * request does in production).
 */
let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env.close());
beforeEach(() => env.resetDb());
afterEach(() => jest.restoreAllMocks());

/** The next `Model.findById(...).lean()` returns what was stored, after `meanwhile` ran (a stale read). */
function staleReadOnce(model: typeof CouponTemplate | typeof Campaign, meanwhile: () => Promise<unknown>) {
  const real = model.findById.bind(model) as (id: unknown) => { lean(): Promise<unknown> };
  jest.spyOn(model, 'findById').mockImplementationOnce(((id: unknown) => ({
    lean: async () => {
      const stale = await real(id).lean();
      await meanwhile();
      return stale;
    },
  })) as never);
}

async function issueMany(templateId: string, count: number, tag: string): Promise<number> {
  let issued = 0;
  for (let i = 0; i < count; i++) {
    const member = await createPlainMember();
    try {
      await issueCoupon({
        templateId,
        memberId: member._id,
        key: `${tag}:${i}`,
        now: new Date(),
        timeZone: 'Asia/Taipei',
      });
      issued++;
    } catch (err) {
      if ((err as { code?: string }).code !== 'coupon_quota_exhausted') throw err;
    }
  }
  return issued;
}

describe('coupon quota', () => {
  it('capping an unlimited template while coupons are being issued never lets more out than the new total', async () => {
    const template = await createTemplate({ title: '限量 5 張' });
    staleReadOnce(CouponTemplate, () => issueMany(template.id, 3, 'before-cap'));
    await updateCouponTemplate(template.id, { totalQuota: 5 }, 'marketer');
    expect(await issueMany(template.id, 5, 'after-cap')).toBe(2);
    expect(await Coupon.countDocuments({ templateId: template.id })).toBe(5);
    expect(await getCouponTemplate(template.id)).toMatchObject({ totalQuota: 5, issuedCount: 5, quotaRemaining: 0 });
  });

  it('lowering a total races with issuance: refused once the issued coupons exceed it, nothing over-issued', async () => {
    const template = await createTemplate({ title: '限量 10 張', totalQuota: 10 });
    staleReadOnce(CouponTemplate, () => issueMany(template.id, 6, 'meanwhile'));
    await expect(updateCouponTemplate(template.id, { totalQuota: 5 }, 'marketer')).rejects.toMatchObject({
      code: 'validation_failed',
    });
    expect(await getCouponTemplate(template.id)).toMatchObject({ totalQuota: 10, issuedCount: 6, quotaRemaining: 4 });
  });

  it('two marketers raising the same total at once add the difference once', async () => {
    const template = await createTemplate({ title: '限量 10 張', totalQuota: 10 });
    staleReadOnce(CouponTemplate, () => updateCouponTemplate(template.id, { totalQuota: 15 }, 'marketer-a'));
    await updateCouponTemplate(template.id, { totalQuota: 15 }, 'marketer-b');
    expect(await getCouponTemplate(template.id)).toMatchObject({ totalQuota: 15, quotaRemaining: 15 });
  });

  it('an issuance that loses to a twin gives back the quota it reserved, even if the quota mode changed meanwhile', async () => {
    const template = await createTemplate({ title: '原本不限量' });
    const member = await createPlainMember();
    const key = 'twin-key-0001';
    // The issuance reads the template while it is unlimited; the total is set before it reserves.
    staleReadOnce(CouponTemplate, () => updateCouponTemplate(template.id, { totalQuota: 5 }, 'marketer'));
    // And a twin request with the same key inserts its coupon first.
    const realCreate = Coupon.create.bind(Coupon) as (doc: unknown) => Promise<unknown>;
    jest.spyOn(Coupon, 'create').mockImplementationOnce((async (doc: Record<string, unknown>) => {
      await Coupon.collection.insertOne({ ...doc, code: 'TWIN0001', slot: 1 } as never);
      return realCreate(doc);
    }) as never);
    const result = await issueCoupon({
      templateId: template.id,
      memberId: member._id,
      key,
      now: new Date(),
      timeZone: 'Asia/Taipei',
    });
    expect(result.duplicate).toBe(true);
    const t = await CouponTemplate.findById(template.id).lean();
    expect({ issued: t!.issuedCount, remaining: t!.quotaRemaining }).toEqual({ issued: 0, remaining: 5 });
  });
});

describe('referral reward cap', () => {
  it('two referees completing their first purchase at the same moment cannot push the referrer past the cap', async () => {
    await updateProgramSettings({ referral: { maxRewardsPerReferrer: 1 } }, 'marketer');
    const referrer = await createLineMember(env);
    const code = await ensureReferralCode(referrer.memberId);
    const referees = [await createLineMember(env), await createLineMember(env), await createLineMember(env)];
    for (const r of referees) await applyReferralCode({ refereeId: r.memberId, code, now: new Date() });
    const results = await Promise.all(
      referees.map((r, i) =>
        completeReferralOnPurchase(
          env.deps.messenger,
          r.member._id,
          { amount: 500, orderKey: `pos:race-${i}` },
          new Date(),
          { timeZone: 'Asia/Taipei' },
        ),
      ),
    );
    expect(results.every((r) => r.completed)).toBe(true);
    expect(await PointsEntry.countDocuments({ memberId: referrer.memberId, reason: 'referral' })).toBe(1);
    for (const r of referees)
      expect(await PointsEntry.countDocuments({ memberId: r.memberId, reason: 'welcome' })).toBe(1);
  });

  it('a replayed completion keeps its slot (and changes nothing)', async () => {
    await updateProgramSettings({ referral: { maxRewardsPerReferrer: 1 } }, 'marketer');
    const referrer = await createLineMember(env);
    const referee = await createLineMember(env);
    await applyReferralCode({
      refereeId: referee.memberId,
      code: await ensureReferralCode(referrer.memberId),
      now: new Date(),
    });
    await completeReferralOnPurchase(
      env.deps.messenger,
      referee.member._id,
      { amount: 500, orderKey: 'pos:a' },
      new Date(),
      { timeZone: 'Asia/Taipei' },
    );
    // The rewards landed but rewardedAt did not (a crash in between): the next purchase completes it.
    await referee.member.collection.updateOne({ _id: referee.member._id }, { $unset: { 'referral.rewardedAt': 1 } });
    expect(
      (
        await completeReferralOnPurchase(
          env.deps.messenger,
          referee.member._id,
          { amount: 500, orderKey: 'pos:b' },
          new Date(),
          { timeZone: 'Asia/Taipei' },
        )
      ).completed,
    ).toBe(true);
    expect(await PointsEntry.countDocuments({ memberId: referrer.memberId, reason: 'referral' })).toBe(1);
  });
});

describe('console sign-in throttle', () => {
  it('a burst of simultaneous guesses gets no more password checks than the limit', async () => {
    await createConsoleUser(
      { username: 'target', displayName: 'T', role: 'staff', password: 'the real password' },
      new Date(),
    );
    const guesses = await Promise.all(
      Array.from({ length: 15 }, (_, i) =>
        request(env.url)
          .post('/api/console/auth/login')
          .send({ username: 'target', password: `guess number ${i}` }),
      ),
    );
    const statuses = guesses.map((g) => g.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
    // Locked now, even with the right password.
    await request(env.url)
      .post('/api/console/auth/login')
      .send({ username: 'target', password: 'the real password' })
      .expect(429);
  });

  it('a successful sign-in does not count against the office IP', async () => {
    await createConsoleUser(
      { username: 'busy', displayName: 'B', role: 'staff', password: 'the real password' },
      new Date(),
    );
    for (let i = 0; i < 31; i++)
      await request(env.url)
        .post('/api/console/auth/login')
        .send({ username: 'busy', password: 'the real password' })
        .expect(200);
  });
});

describe('campaign cancel', () => {
  it('does not turn a campaign that completed meanwhile into a cancelled one', async () => {
    const at = new Date(Date.now() + 86_400_000);
    const c = await createCampaign(
      {
        name: '週年慶',
        audience: { type: 'all' },
        schedule: { type: 'once', at: at.toISOString() },
        messages: [{ type: 'text', text: '週年慶開跑！' }],
      },
      'm',
      new Date(),
      { timeZone: 'Asia/Taipei' },
    );
    staleReadOnce(Campaign, () => Campaign.updateOne({ _id: c.id }, { $set: { status: 'completed' } }));
    await expect(cancelCampaign(c.id, 'm', new Date())).rejects.toMatchObject({ code: 'campaign_finished' });
    expect((await Campaign.findById(c.id).lean())!.status).toBe('completed');
  });
});

describe('console admins', () => {
  it('two admins demoting each other at the same moment still leave one admin', async () => {
    const a = (
      await createConsoleUser(
        { username: 'admin-a', displayName: 'A', role: 'admin', password: 'password-of-a' },
        new Date(),
      )
    ).user;
    const b = (
      await createConsoleUser(
        { username: 'admin-b', displayName: 'B', role: 'admin', password: 'password-of-b' },
        new Date(),
      )
    ).user;
    // A's check counts two admins; B's demotion lands right after that count.
    const realCount = ConsoleUser.countDocuments.bind(ConsoleUser) as (filter: unknown) => Promise<number>;
    jest.spyOn(ConsoleUser, 'countDocuments').mockImplementationOnce((async (filter: unknown) => {
      const n = await realCount(filter);
      await ConsoleUser.updateOne({ _id: b.id }, { $set: { role: 'marketer' } });
      return n;
    }) as never);
    await expect(updateConsoleUser(a.id, { role: 'marketer' })).rejects.toMatchObject({ code: 'last_admin' });
    expect(await ConsoleUser.countDocuments({ role: 'admin', status: 'active' })).toBe(1);
  });
});
