import request from 'supertest';
import { CardSchema } from '../../../api/contracts/member';
import { createJourney, resumeJourney } from '../../../domain/journeys/journey.service';
import { getProgramSettings, updateProgramSettings } from '../../../domain/program/settings.service';
import type { Tier } from '../../../domain/program/program-settings.schema';
import { applyEarnedTier } from '../../../domain/tiers/tier.service';
import { ingestPurchase } from '../../../domain/purchases/purchase.service';
import { voidPurchase } from '../../../domain/purchases/purchase-void.service';
import { Purchase } from '../../../models/purchase.model';
import { tierReviewJob } from '../../../jobs/tier-review.job';
import { tierWarningJob } from '../../../jobs/tier-warning.job';
import { allJobs } from '../../../jobs';
import { Coupon } from '../../../models/coupon.model';
import { CreditEntry } from '../../../models/credit-entry.model';
import { Member } from '../../../models/member.model';
import { PointsEntry } from '../../../models/points-entry.model';
import { tierBenefitLines } from '../../../shared/vocabulary';
import { textsOf } from '../../helpers/emulator-client';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { loginAs } from '../../factories/console.factory';
import { idTokenFor } from '../../factories/liff-member.factory';
import { createLineMember, createTemplate } from '../../factories/program.factory';

/** #16.4 tier benefits: the upgrade gift once per tier per year, the yearly review, the warning, the benefit lines. */
let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env?.close());
beforeEach(() => env.resetDb());

const TZ = 'Asia/Taipei';
const taipei = (local: string) => new Date(`${local}+08:00`);
const DAY = 86_400_000;

/** Sets the gold tier's gift and renewal spend (silver keeps the defaults). */
async function goldWith(patch: Partial<Tier>) {
  const s = await getProgramSettings();
  await updateProgramSettings({ tiers: s.tiers.map((t) => (t.code === 'gold' ? { ...t, ...patch } : t)) }, 'test');
}
const upgrade = (memberId: string, now: Date, spend: number) =>
  applyEarnedTier(env.deps.messenger, memberId, now, { timeZone: TZ, spend });
let orderSeq = 0;
const buy = (memberCode: string, amount: number, at: Date) =>
  ingestPurchase(
    { orderId: `TB${++orderSeq}`, member: { memberCode }, amount, time: at.toISOString() },
    { source: 'pos', now: at, messenger: env.deps.messenger, timeZone: TZ },
  );

describe('#16.4 upgrade gift', () => {
  it('is given once per tier per calendar year: reaching gold twice in 2026 gives one gift, 2027 gives it again', async () => {
    // The template's own per-member limit still applies: a yearly gift needs room for more than one year.
    const tpl = await createTemplate({ title: '金卡升等禮 NT$300', perMemberLimit: 5 });
    await goldWith({ couponTemplateIds: [tpl.id], gift: { points: 200, credit: 300, creditValidDays: 60 } });
    const m = await createLineMember(env);
    const first = taipei('2026-02-01T12:00:00');
    expect(await upgrade(m.memberId, first, 30000)).toMatchObject({ direction: 'up', to: 'gold' });
    // Back to basic (as a review would), then gold again the same year.
    await Member.updateOne({ _id: m.memberId }, { $set: { tier: { code: 'basic', since: first } } });
    expect(await upgrade(m.memberId, taipei('2026-09-01T12:00:00'), 30000)).toMatchObject({ direction: 'up' });

    const gifts = async () => ({
      points: await PointsEntry.countDocuments({ memberId: m.memberId, reason: 'tier_gift' }),
      credit: await CreditEntry.countDocuments({ memberId: m.memberId, reason: 'tier_gift' }),
      coupons: await Coupon.countDocuments({ memberId: m.memberId }),
    });
    expect(await gifts()).toEqual({ points: 1, credit: 1, coupons: 1 });
    const member = await Member.findById(m.memberId).lean();
    expect(member).toMatchObject({ pointsBalance: 200, creditBalance: 300 });
    const credit = await CreditEntry.findOne({ memberId: m.memberId, reason: 'tier_gift' }).lean();
    expect(credit).toMatchObject({ key: `tier-gift:${m.memberId}:gold:2026`, delta: 300 });
    expect(credit!.expiresAt!.getTime()).toBe(first.getTime() + 60 * DAY);

    // Both upgrade messages list the benefits and the gift the year gave.
    const upgrades = textsOf(await env.emulator.messages(m.userId, 1)).filter((t) => t.includes('恭喜升級'));
    expect(upgrades).toHaveLength(2);
    expect(upgrades[0]).toBe(
      [
        '恭喜升級為「金卡」會員！🎉 您的會員權益：',
        '・消費點數 2 倍',
        '・升等禮（每年一次）：「金卡升等禮 NT$300」、200 點、購物金 NT$300',
        '・保級：每年檢視時近 12 個月消費滿 NT$30,000 即可續保',
        '升等禮已放進您的會員卡，打開會員卡即可使用。',
      ].join('\n'),
    );

    await Member.updateOne({ _id: m.memberId }, { $set: { tier: { code: 'basic', since: first } } });
    await upgrade(m.memberId, taipei('2027-01-05T12:00:00'), 30000);
    expect(await gifts()).toEqual({ points: 2, credit: 2, coupons: 2 });
    expect(await Member.findById(m.memberId).lean()).toMatchObject({ pointsBalance: 400, creditBalance: 600 });
  });

  it('a voided purchase that made the upgrade takes the gift points and credit back, once (replayed void)', async () => {
    await goldWith({ gift: { points: 200, credit: 300, creditValidDays: 60 } });
    const m = await createLineMember(env);
    const at = env.deps.clock();
    await buy(m.member.memberCode, 50000, at);
    expect(await Member.findById(m.memberId).lean()).toMatchObject({ tier: { code: 'gold' }, creditBalance: 300 });
    const purchase = (await Purchase.findOne({ memberId: m.memberId }).lean())!;
    const admin = { id: 'admin-1', role: 'admin' as const };
    for (let i = 0; i < 2; i++)
      await voidPurchase({
        purchaseId: String(purchase._id),
        reason: '金額多打一個 0',
        user: admin,
        now: at,
        timeZone: TZ,
      });
    expect(await Member.findById(m.memberId).lean()).toMatchObject({
      tier: { code: 'basic' },
      pointsBalance: 0,
      creditBalance: 0,
    });
    expect(await CreditEntry.countDocuments({ memberId: m.memberId, reason: 'reversal' })).toBe(1);
  });

  it('a gift above the limit or a renewal spend above the threshold is refused in zh-TW, and nothing changes', async () => {
    const admin = await loginAs(env, 'admin');
    const before = await getProgramSettings();
    const put = (tiers: unknown, extra: object = {}) =>
      admin.agent
        .put('/api/console/settings/program')
        .set('X-CSRF-Token', admin.csrf)
        .send({ tiers, ...extra });
    const gold = (patch: object) => before.tiers.map((t) => (t.code === 'gold' ? { ...t, ...patch } : t));

    const keep = await put(gold({ keepSpend: 40000 })).expect(400);
    expect(JSON.stringify(keep.body)).toContain('保級門檻不可高於升等門檻');
    const points = await put(gold({ gift: { points: -5, credit: 0, creditValidDays: 90 } })).expect(400);
    expect(JSON.stringify(points.body)).toContain('升等贈點不可為負');
    const credit = await put(gold({ gift: { points: 0, credit: 1.5, creditValidDays: 90 } })).expect(400);
    expect(JSON.stringify(credit.body)).toContain('升等購物金必須是整數（新台幣元）');
    const warn = await put(before.tiers, { tierReview: { warnDaysBefore: 120 } }).expect(400);
    expect(JSON.stringify(warn.body)).toContain('降級提醒最多提前 90 天');
    expect(await getProgramSettings()).toEqual(before);

    const ok = await put(gold({ keepSpend: 20000, gift: { points: 100, credit: 0, creditValidDays: 90 } }), {
      tierReview: { warnDaysBefore: 14 },
    }).expect(200);
    expect(ok.body.settings.tiers[2]).toMatchObject({ keepSpend: 20000, gift: { points: 100 } });
    expect(ok.body.settings.tierReview).toEqual({ warnDaysBefore: 14 });
  });

  it('the settings page is told about an active upgrade journey that gives a gift of its own', async () => {
    const admin = await loginAs(env, 'admin');
    const tpl = await createTemplate({ title: '升等加碼券' });
    const journey = await createJourney(
      {
        name: '升等加碼',
        trigger: { type: 'tier_changed', direction: 'up', tier: 'gold' },
        steps: [
          { id: 'tier-coupon', type: 'coupon', templateId: 'tier', notify: false },
          { id: 'extra', type: 'coupon', templateId: tpl.id, notify: false },
          { id: 'pts', type: 'points', points: 50 },
        ],
      } as never,
      'test',
    );
    const list = async () =>
      (await admin.agent.get('/api/console/settings/tier-journey-gifts').expect(200)).body.journeys;
    expect(await list()).toEqual([]); // a draft gives nothing
    await resumeJourney(journey.id, 'test');
    expect(await list()).toEqual([
      { journeyId: journey.id, name: '升等加碼', tier: 'gold', gifts: ['優惠券「升等加碼券」', '50 點'] },
    ]);
  });
});

describe('#16.4 yearly review and renewal', () => {
  it('renews a due member whose spend meets the renewal spend, downgrades one below it, leaves the not-due alone', async () => {
    await goldWith({ keepSpend: 20000 });
    const kept = await createLineMember(env);
    const dropped = await createLineMember(env);
    const early = await createLineMember(env);
    const reached = taipei('2025-03-01T12:00:00');
    await buy(kept.member.memberCode, 30000, reached);
    await buy(dropped.member.memberCode, 30000, reached);
    await buy(early.member.memberCode, 30000, taipei('2025-12-01T12:00:00'));
    expect((await Member.findById(kept.memberId).lean())!.tier).toMatchObject({
      code: 'gold',
      reviewAt: new Date(reached.getTime() + 365 * DAY),
      warnPending: true,
    });
    await buy(kept.member.memberCode, 21000, taipei('2025-10-01T12:00:00'));
    await buy(dropped.member.memberCode, 12000, taipei('2025-10-01T12:00:00'));

    const at = taipei('2026-03-02T02:40:00');
    const first = await tierReviewJob.run(env.deps, at);
    const second = await tierReviewJob.run(env.deps, at);
    expect(first).toMatchObject({ renewed: 1, downgraded: 1, upgraded: 0 });
    expect(second).toMatchObject({ renewed: 0, downgraded: 0, upgraded: 0 });
    const keptTier = (await Member.findById(kept.memberId).lean())!.tier!;
    expect(keptTier).toMatchObject({ code: 'gold', reviewAt: new Date(reached.getTime() + 730 * DAY) });
    // 12,000 keeps silver (its renewal spend is its threshold, 10,000): gold → silver, reviewed a year on.
    expect((await Member.findById(dropped.memberId).lean())!.tier).toMatchObject({
      code: 'silver',
      reviewAt: new Date(at.getTime() + 365 * DAY),
    });
    expect((await Member.findById(early.memberId).lean())!.tier!.code).toBe('gold');
  });
});

describe('#16.4 downgrade warning', () => {
  it('tells a member whose spend would not keep the tier once, run twice; the kept and the far-off get nothing', async () => {
    await goldWith({ keepSpend: 20000 });
    await updateProgramSettings({ tierReview: { warnDaysBefore: 30 } }, 'test');
    const short = await createLineMember(env);
    const safe = await createLineMember(env);
    const far = await createLineMember(env);
    const reached = taipei('2025-03-01T12:00:00');
    for (const m of [short, safe]) await buy(m.member.memberCode, 30000, reached);
    await buy(far.member.memberCode, 30000, taipei('2025-06-01T12:00:00'));
    await buy(short.member.memberCode, 5000, taipei('2025-09-01T12:00:00'));
    await buy(safe.member.memberCode, 20000, taipei('2025-09-01T12:00:00'));
    for (const m of [short, safe, far]) await env.emulator.clearMessages(m.userId);

    const at = taipei('2026-02-10T10:30:00'); // 19 days before the review of 2026-03-01
    const runs = [await tierWarningJob.run(env.deps, at), await tierWarningJob.run(env.deps, at)];
    await tierWarningJob.run(env.deps, new Date(at.getTime() + DAY));
    expect(runs[0]).toMatchObject({ checked: 2, warned: 1 });
    expect(runs[1]).toMatchObject({ checked: 0, warned: 0 });
    expect(textsOf(await env.emulator.messages(short.userId, 1))).toEqual([
      '提醒您：您的「金卡」會員資格將於 2026/03/01 檢視，近 12 個月再消費 NT$15,000 即可續保「金卡」，期待再見到您！',
    ]);
    expect(await env.emulator.messages(safe.userId, 0, 0)).toHaveLength(0);
    expect(await env.emulator.messages(far.userId, 0, 0)).toHaveLength(0);
  });

  it('is registered for the scheduler (daily, one occurrence per local day)', async () => {
    expect(allJobs).toContain(tierWarningJob);
    expect(await tierWarningJob.occurrenceOf!(env.deps, taipei('2026-02-10T10:30:00'))).toEqual({
      key: '2026-02-10',
      due: true,
    });
  });

  it('reads only the pending reviews in the window, through the (warnPending, reviewAt) index', async () => {
    const now = taipei('2026-02-10T10:30:00');
    await Member.insertMany(
      Array.from({ length: 40 }, (_, i) => ({
        memberCode: `9${String(i).padStart(9, '0')}`,
        status: 'active',
        tier:
          i < 3
            ? { code: 'gold', reviewAt: new Date(now.getTime() + (i + 1) * DAY), warnPending: true }
            : i < 10
              ? { code: 'gold', reviewAt: new Date(now.getTime() + 200 * DAY), warnPending: true }
              : { code: 'basic' },
      })),
    );
    const e: any = await Member.find({
      'tier.warnPending': true,
      'tier.reviewAt': { $gt: now, $lte: new Date(now.getTime() + 30 * DAY) },
    }).explain('executionStats');
    expect(JSON.stringify(e.queryPlanner.winningPlan)).toContain('tier.warnPending_1_tier.reviewAt_1');
    expect(e.executionStats.nReturned).toBe(3);
    expect(e.executionStats.totalDocsExamined).toBe(3);
  });
});

describe('#16.4 the benefits list', () => {
  it('the card lists the member tier benefits from the settings, as the 會員權益 page and the upgrade message word them', async () => {
    const tpl = await createTemplate({ title: '金卡升等禮 NT$300' });
    await goldWith({
      couponTemplateIds: [tpl.id],
      birthdayMultiplier: 2,
      keepSpend: 20000,
      gift: { points: 0, credit: 500, creditValidDays: 90 },
    });
    const m = await createLineMember(env);
    const now = env.deps.clock();
    await buy(m.member.memberCode, 31000, now);
    const res = await request(env.url)
      .get('/api/member/me')
      .set('Authorization', `Bearer ${await idTokenFor(env, m.userId)}`)
      .expect(200);
    const card = CardSchema.parse(res.body);
    expect(card.tier.benefits).toEqual({
      multiplier: 2,
      birthdayMultiplier: 2,
      gift: { coupons: ['金卡升等禮 NT$300'], points: 0, credit: 500 },
      keepSpend: 20000,
    });
    expect(card.tier.reviewAt).toBe(new Date(now.getTime() + 365 * DAY).toISOString());
    const lines = tierBenefitLines(card.tier.benefits!);
    expect(lines).toEqual([
      '消費點數 2 倍',
      '生日禮 2 倍',
      '升等禮（每年一次）：「金卡升等禮 NT$300」、購物金 NT$500',
      '保級：每年檢視時近 12 個月消費滿 NT$20,000 即可續保',
    ]);
    // The 會員權益 page's gold row carries the same facts; the upgrade message the same lines.
    const page = await request(env.url).get('/api/member/benefits').expect(200);
    expect(page.body.tiers[2].benefits).toEqual(card.tier.benefits);
    const upgradeText = textsOf(await env.emulator.messages(m.userId, 1)).find((t) => t.includes('恭喜升級'))!;
    for (const line of lines) expect(upgradeText).toContain(`・${line}`);
  });
});

describe('the tier review reads what is due', () => {
  it('once caught up, checks only due and undated members; a lowered threshold catches buyers up the next night', async () => {
    const due = await createLineMember(env);
    const notDue = await createLineMember(env);
    const small = await createLineMember(env);
    await buy(due.member.memberCode, 12000, taipei('2025-03-01T12:00:00'));
    await buy(notDue.member.memberCode, 12000, taipei('2025-12-01T12:00:00'));
    await buy(small.member.memberCode, 6000, taipei('2026-01-10T12:00:00'));
    // An undated silver member (reached before reviews were dated, over a year ago): due now.
    const undated = await createLineMember(env);
    await Member.updateOne(
      { _id: undated.memberId },
      { $set: { tier: { code: 'silver', since: taipei('2024-06-01T12:00:00') } } },
    );

    // The first run has nothing remembered: it catches up everyone who bought, and remembers the thresholds.
    const first = await tierReviewJob.run(env.deps, taipei('2026-03-02T02:40:00'));
    expect(first).toMatchObject({ caughtUp: 1, checked: 4, downgraded: 2, upgraded: 0 });
    expect((await Member.findById(due.memberId).lean())!.tier!.code).toBe('basic');
    expect((await Member.findById(undated.memberId).lean())!.tier!.code).toBe('basic');

    // The next night: nobody is due, so nobody is read (the not-due silver member and the buyers are left alone).
    const second = await tierReviewJob.run(env.deps, taipei('2026-03-03T02:40:00'));
    expect(second).toMatchObject({ caughtUp: 0, checked: 0, upgraded: 0, downgraded: 0 });

    // A marketer lowers silver to 5,000: the next night the 6,000 buyer is caught up to silver, once.
    const s = await getProgramSettings();
    await updateProgramSettings(
      { tiers: s.tiers.map((t) => (t.code === 'silver' ? { ...t, minSpend: 5000 } : t)) },
      'test',
    );
    const third = await tierReviewJob.run(env.deps, taipei('2026-03-04T02:40:00'));
    expect(third).toMatchObject({ caughtUp: 1, upgraded: 1 });
    expect((await Member.findById(small.memberId).lean())!.tier!.code).toBe('silver');
    expect((await Member.findById(notDue.memberId).lean())!.tier!.code).toBe('silver');
    const fourth = await tierReviewJob.run(env.deps, taipei('2026-03-05T02:40:00'));
    expect(fourth).toMatchObject({ caughtUp: 0, checked: 0, upgraded: 0 });
  });

  it('reads the due members through the (tier.reviewAt, tier.code) index', async () => {
    const plan = await Member.find({
      $or: [
        { 'tier.reviewAt': { $lte: new Date() } },
        { 'tier.reviewAt': null, 'tier.code': { $in: ['silver', 'gold'] } },
      ],
    })
      .explain('queryPlanner')
      .then((e) => JSON.stringify(e));
    expect(plan).toContain('tier.reviewAt_1_tier.code_1');
    expect(plan).not.toContain('COLLSCAN');
  });
});
