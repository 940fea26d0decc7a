import type { Types } from 'mongoose';
import { Member } from '../../../models/member.model';
import { CreditEntry } from '../../../models/credit-entry.model';
import { Settings } from '../../../models/settings.model';
import { Journey, JourneyRun } from '../../../models/journey.model';
import { applyReferralCode, ensureReferralCode } from '../../../domain/referrals/referral.service';
import { ingestPurchase } from '../../../domain/purchases/purchase.service';
import { getProgramSettings, updateProgramSettings } from '../../../domain/program/settings.service';
import { runBirthdayProgram } from '../../../domain/campaigns/birthday.service';
import { createJourney } from '../../../domain/journeys/journey.service';
import { findCreditDrift } from '../../../domain/credit/credit.service';
import { programContext } from '../../../domain/shared/context';
import { zonedTimeToUtc } from '../../../domain/shared/clock';
import { runJobOnce } from '../../../jobs/runner';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { textsOf } from '../../helpers/emulator-client';
import { createLineMember } from '../../factories/program.factory';
import { virtualClock } from '../journeys/journey-fixtures';

const start = zonedTimeToUtc('2026-05-20', '10:00', 'Asia/Taipei');
const vc = virtualClock(start);
let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv({ clock: vc.clock });
});
afterAll(() => env?.close());
beforeEach(async () => {
  await env.resetDb();
  env.local.emulator!.reset();
  vc.set(start);
});

let orderSeq = 0;
const buy = (memberCode: string, amount: number) =>
  ingestPurchase(
    { orderId: `CE${++orderSeq}`, member: { memberCode }, amount },
    { source: 'pos', now: vc.now, messenger: env.deps.messenger, timeZone: 'Asia/Taipei' },
  );
const balance = async (id: string | Types.ObjectId) => (await Member.findById(id).lean())!.creditBalance ?? 0;

describe('#16.2 earning shopping credit (購物金)', () => {
  it('referral: the referrer gets the credit once when the referee’s first order converts, and is told in chat', async () => {
    await updateProgramSettings({ credit: { referralAmount: 150, referralValidDays: 60 } }, 'marketer');
    const referrer = await createLineMember(env);
    const referee = await createLineMember(env);
    const code = await ensureReferralCode(referrer.memberId);
    await applyReferralCode({ refereeId: referee.memberId, code, now: vc.now });
    await Promise.all([buy(referee.member.memberCode, 800), buy(referee.member.memberCode, 900)]);
    await buy(referee.member.memberCode, 1000);
    const entries = await CreditEntry.find({ memberId: referrer.member._id }).lean();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ delta: 150, reason: 'referral' });
    expect(entries[0].expiresAt!.getTime() - vc.now.getTime()).toBe(60 * 86_400_000);
    expect(await balance(referrer.memberId)).toBe(150);
    expect(await balance(referee.memberId)).toBe(0);
    const told = textsOf(await env.emulator.messages(referrer.userId, 1));
    expect(told).toHaveLength(1);
    expect(told[0]).toContain('購物金 NT$150');
    expect(await findCreditDrift()).toEqual([]);
  });

  it('birthday: credit valid 30 days beside the points, once per year however often the job runs', async () => {
    await updateProgramSettings({ credit: { birthdayAmount: 100 } }, 'marketer');
    const m = await createLineMember(env, { birthday: '1990-05-20' });
    const deps = programContext(env.deps);
    const first = await runBirthdayProgram(deps, start);
    expect(first).toMatchObject({ candidates: 1, credit: 1, messaged: 1 });
    expect(await runBirthdayProgram(deps, start)).toMatchObject({ credit: 0, messaged: 0 });
    const entries = await CreditEntry.find({ memberId: m.member._id }).lean();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ delta: 100, reason: 'birthday' });
    expect(entries[0].expiresAt!.getTime() - start.getTime()).toBe(30 * 86_400_000);
    const texts = textsOf(await env.emulator.messages(m.userId, 1));
    expect(texts).toHaveLength(1);
    expect(texts[0]).toContain('生日購物金 NT$100 已存入您的會員卡，請於 2026/06/19 前使用。');
  });

  it('birthday: credit instead of a coupon when the settings give credit and no coupon; none when the amount is 0', async () => {
    await updateProgramSettings(
      { birthday: { points: 0, couponTemplateId: null }, credit: { birthdayAmount: 80 } },
      'marketer',
    );
    const m = await createLineMember(env, { birthday: '1988-05-20' });
    await runBirthdayProgram(programContext(env.deps), start);
    expect(await balance(m.memberId)).toBe(80);
    await updateProgramSettings({ credit: { birthdayAmount: 0 } }, 'marketer');
    const other = await createLineMember(env, { birthday: '1991-05-20' });
    await runBirthdayProgram(programContext(env.deps), start);
    expect(await CreditEntry.countDocuments({ memberId: other.member._id })).toBe(0);
  });

  it('bad credit settings are refused in zh-TW and nothing stored changes', async () => {
    await updateProgramSettings({ credit: { birthdayAmount: 100 } }, 'marketer');
    const before = await Settings.findOne({ key: 'program' }).lean();
    for (const bad of [
      { birthdayAmount: -5 },
      { birthdayAmount: 10.5 },
      { referralAmount: 'lots' },
      { birthdayValidDays: 0 },
    ]) {
      await expect(updateProgramSettings({ credit: bad }, 'marketer')).rejects.toMatchObject({
        status: 400,
        message: expect.stringMatching(/[\u4e00-\u9fff]/),
      });
    }
    expect(await Settings.findOne({ key: 'program' }).lean()).toEqual(before);
    expect((await getProgramSettings()).credit.birthdayAmount).toBe(100);
  });
});

describe('#16.2 the journey step `credit`', () => {
  async function journeyWithCredit(memberIds: Types.ObjectId[]) {
    const j = await createJourney(
      {
        name: '回流購物金',
        trigger: { type: 'consent_accepted' },
        steps: [{ id: 'gift', type: 'credit', amount: 50, validDays: 14 }],
        options: { frequencyCap: null },
        status: 'active',
      },
      'tester',
    );
    const id = (await Journey.findById(j.id, { _id: 1 }).lean())!._id;
    await JourneyRun.insertMany(
      memberIds.map((memberId) => ({
        journeyId: id,
        memberId,
        slot: 'current',
        status: 'active',
        stepId: 'gift',
        nextRunAt: start,
        scheduledAt: start,
        enteredAt: start,
      })),
    );
    return id;
  }

  it('grants the credit once per member, run and step, whatever instances tick the same minute', async () => {
    const a = await createLineMember(env);
    const b = await createLineMember(env);
    await journeyWithCredit([a.member._id, b.member._id]);
    const outs = await Promise.all(
      [0, 1, 2].map((i) =>
        runJobOnce(env.deps, 'journeys', new Date(start.getTime() + i * 60_000), { owner: `i${i}` }),
      ),
    );
    for (const o of outs) expect(o.status).not.toBe('failed');
    await runJobOnce(env.deps, 'journeys', new Date(start.getTime() + 5 * 60_000));
    for (const m of [a, b]) {
      const entries = await CreditEntry.find({ memberId: m.member._id }).lean();
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ delta: 50, reason: 'journey', actor: 'journey' });
      expect(entries[0].key).toMatch(new RegExp(`^journey:${m.memberId}:[0-9a-f]{24}:gift$`));
      expect(await balance(m.memberId)).toBe(50);
    }
    expect(await findCreditDrift()).toEqual([]);
  });

  it('a credit step with a bad amount is refused in zh-TW and no journey is stored', async () => {
    for (const amount of [0, -10, 12.5]) {
      await expect(
        createJourney(
          {
            name: '錯誤的購物金',
            trigger: { type: 'consent_accepted' },
            steps: [{ id: 'gift', type: 'credit', amount }],
          },
          'tester',
        ),
      ).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/[\u4e00-\u9fff]/) });
    }
    expect(await Journey.countDocuments({})).toBe(0);
  });
});
