import { Interaction } from '../../../models/interaction.model';
import { Member } from '../../../models/member.model';
import { PointsEntry } from '../../../models/points-entry.model';
import { Purchase } from '../../../models/purchase.model';
import { SurveyResponse } from '../../../models/survey.model';
import { changePoints, findPointsDrift } from '../../../domain/points/points.service';
import { ingestPurchase, refundPurchase } from '../../../domain/purchases/purchase.service';
import { findSurveyAwaitingComment, recordSurveyAnswer } from '../../../domain/surveys/survey.service';
import { pointsExpiryJob } from '../../../jobs/points-expiry.job';
import { tierReviewJob } from '../../../jobs/tier-review.job';
import { surveyJob } from '../../../jobs/survey.job';
import { allJobs } from '../../../jobs';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { textsOf } from '../../helpers/emulator-client';
import { createLineMember } from '../../factories/program.factory';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env?.close());
beforeEach(() => env.resetDb());

/** An instant given as Taipei wall-clock time. */
const taipei = (local: string) => new Date(`${local}+08:00`);
let orderSeq = 0;
const buy = (memberCode: string, amount: number, at: Date) =>
  ingestPurchase(
    { orderId: `J${++orderSeq}`, member: { memberCode }, amount, time: at.toISOString() },
    { source: 'pos', now: at, messenger: env.deps.messenger, timeZone: 'Asia/Taipei' },
  );

it('the three program jobs are registered for the scheduler', () => {
  expect(allJobs.map((j) => j.name)).toEqual(expect.arrayContaining(['points-expiry', 'tier-review', 'survey']));
});

describe('points expiry job', () => {
  it('warns 30 days before once, expires the right points FIFO once, and is safe to run twice (even concurrently)', async () => {
    const a = await createLineMember(env);
    const b = await createLineMember(env);
    await buy(a.member.memberCode, 9000, taipei('2025-03-01T12:00:00')); // 90 points, expire 2026-12-31
    await changePoints({
      memberId: a.memberId,
      delta: -20,
      reason: 'redeem',
      key: 'spend-a',
      now: taipei('2025-06-01T12:00:00'),
    });
    await buy(a.member.memberCode, 5000, taipei('2026-04-01T12:00:00')); // 50 points, expire 2027-12-31
    await buy(b.member.memberCode, 3000, taipei('2026-11-20T12:00:00')); // 30 points, expire 2027-12-31

    // Too early for a warning.
    await pointsExpiryJob.run(env.deps, taipei('2026-11-30T00:10:00'));
    expect(await env.emulator.messages(a.userId, 0, 0)).toHaveLength(0);

    const warnAt = taipei('2026-12-02T00:10:00');
    await pointsExpiryJob.run(env.deps, warnAt);
    await pointsExpiryJob.run(env.deps, warnAt);
    await pointsExpiryJob.run(env.deps, taipei('2026-12-03T00:10:00'));
    const warnings = textsOf(await env.emulator.messages(a.userId, 1));
    expect(warnings).toEqual([
      '提醒您：您有 70 點將於 2026/12/31 到期（目前共 120 點）。到期前記得兌換優惠券或折抵消費喔！',
    ]);
    expect(await env.emulator.messages(b.userId, 0, 0)).toHaveLength(0);

    const expireAt = taipei('2027-01-01T00:10:00');
    const runs = await Promise.all([pointsExpiryJob.run(env.deps, expireAt), pointsExpiryJob.run(env.deps, expireAt)]);
    await pointsExpiryJob.run(env.deps, taipei('2027-01-02T00:10:00'));
    expect(runs.map((r) => r.expiredPoints).reduce((s, n) => Number(s) + Number(n), 0)).toBe(70);
    const expired = await PointsEntry.find({ reason: 'expire' }).lean();
    expect(expired).toHaveLength(1);
    expect(expired[0]).toMatchObject({ delta: -70, balanceAfter: 50 });
    expect(String(expired[0].memberId)).toBe(a.memberId);
    expect((await Member.findById(b.memberId).lean())!.pointsBalance).toBe(30);
    expect(await findPointsDrift()).toEqual([]);
  });

  it('a member who spent everything is neither warned nor charged', async () => {
    const a = await createLineMember(env);
    await buy(a.member.memberCode, 2000, taipei('2025-05-01T12:00:00'));
    await changePoints({
      memberId: a.memberId,
      delta: -20,
      reason: 'redeem',
      key: 'all',
      now: taipei('2025-06-01T12:00:00'),
    });
    await pointsExpiryJob.run(env.deps, taipei('2026-12-15T00:10:00'));
    await pointsExpiryJob.run(env.deps, taipei('2027-01-01T00:10:00'));
    expect(await PointsEntry.countDocuments({ reason: 'expire' })).toBe(0);
    expect(await env.emulator.messages(a.userId, 0, 0)).toHaveLength(0);
  });
});

describe('tier review job', () => {
  it('downgrades when the rolling 12-month spend falls, tells the member once; keeps those still qualifying', async () => {
    const gold = await createLineMember(env);
    const silver = await createLineMember(env);
    await buy(gold.member.memberCode, 32000, taipei('2025-05-01T12:00:00'));
    await buy(gold.member.memberCode, 1200, taipei('2026-01-10T12:00:00'));
    await buy(silver.member.memberCode, 12000, taipei('2026-03-01T12:00:00'));
    expect((await Member.findById(gold.memberId).lean())!.tier!.code).toBe('gold');
    await env.emulator.clearMessages(gold.userId);

    const at = taipei('2026-05-05T02:40:00');
    const first = await tierReviewJob.run(env.deps, at);
    const second = await tierReviewJob.run(env.deps, at);
    expect(first).toMatchObject({ downgraded: 1, upgraded: 0 });
    expect(second).toMatchObject({ downgraded: 0, upgraded: 0 });
    expect((await Member.findById(gold.memberId).lean())!.tier!.code).toBe('basic');
    expect((await Member.findById(silver.memberId).lean())!.tier!.code).toBe('silver');
    const texts = textsOf(await env.emulator.messages(gold.userId, 1));
    expect(texts).toEqual(['您的會員等級已調整為「一般」。近 12 個月再消費 NT$8,800 即可回到「銀卡」，期待再見到您！']);
  });
});

describe('satisfaction survey', () => {
  it('pushed once after the delay in the daytime, answered by score and comment, stored as dynamic data', async () => {
    const m = await createLineMember(env);
    await buy(m.member.memberCode, 880, taipei('2026-04-01T15:00:00'));
    // Not yet due, then due but at night (deferred), then in the morning.
    expect(await surveyJob.run(env.deps, taipei('2026-04-02T10:00:00'))).toMatchObject({ sent: 0 });
    expect(await surveyJob.run(env.deps, taipei('2026-04-02T22:30:00'))).toMatchObject({ sent: 0, deferred: 1 });
    const morning = taipei('2026-04-03T09:10:00');
    const runs = await Promise.all([surveyJob.run(env.deps, morning), surveyJob.run(env.deps, morning)]);
    await surveyJob.run(env.deps, taipei('2026-04-03T09:20:00'));
    expect(runs.map((r) => Number(r.sent)).reduce((s, n) => s + n, 0)).toBeGreaterThanOrEqual(1);
    const inbox = await env.emulator.messages(m.userId, 1);
    expect(inbox).toHaveLength(1);
    expect(await SurveyResponse.countDocuments()).toBe(1);
    const items = inbox[0].message.quickReply.items;
    expect(items.map((i: { action: { label: string } }) => i.action.label)).toEqual([
      '5 非常滿意',
      '4 滿意',
      '3 普通',
      '2 不滿意',
      '1 很不滿意',
    ]);
    const data: string = items[1].action.data;
    const [, surveyId, score] = data.split(':');

    const answerAt = taipei('2026-04-03T09:30:00');
    const ans = await recordSurveyAnswer({ memberId: m.memberId, surveyId, score: Number(score), now: answerAt });
    expect(ans).toMatchObject({ awaitingComment: true, duplicate: false });
    expect((await recordSurveyAnswer({ memberId: m.memberId, surveyId, score: 1, now: answerAt })).duplicate).toBe(
      true,
    );
    expect(await findSurveyAwaitingComment(m.memberId, answerAt)).toEqual({ surveyId });
    await recordSurveyAnswer({ memberId: m.memberId, surveyId, comment: '店員很親切', now: answerAt });
    expect(await findSurveyAwaitingComment(m.memberId, answerAt)).toBeNull();
    const member = await Member.findById(m.memberId).lean();
    expect(member!.satisfaction).toMatchObject({ lastScore: 4, lastComment: '店員很親切' });
    expect(await Interaction.countDocuments({ memberId: m.memberId, type: 'survey_answer' })).toBe(2);
  });

  it('bad answers → 400 and nothing stored; another member cannot answer it', async () => {
    const m = await createLineMember(env);
    const other = await createLineMember(env);
    await buy(m.member.memberCode, 880, taipei('2026-04-01T15:00:00'));
    await surveyJob.run(env.deps, taipei('2026-04-02T16:00:00'));
    const survey = await SurveyResponse.findOne().lean();
    const surveyId = String(survey!._id);
    await expect(
      recordSurveyAnswer({ memberId: m.memberId, surveyId, score: 9, now: new Date() }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(
      recordSurveyAnswer({ memberId: other.memberId, surveyId, score: 5, now: new Date() }),
    ).rejects.toMatchObject({ code: 'survey_not_found' });
    expect((await SurveyResponse.findById(surveyId).lean())!.status).toBe('sent');
  });

  it('at most one survey per member per 30 days; refunded orders get none', async () => {
    const m = await createLineMember(env);
    await buy(m.member.memberCode, 500, taipei('2026-04-01T12:00:00'));
    await buy(m.member.memberCode, 600, taipei('2026-04-01T13:00:00'));
    const returned = await createLineMember(env);
    const order = await buy(returned.member.memberCode, 700, taipei('2026-04-01T12:30:00'));
    await refundPurchase({ orderId: order.orderId }, { source: 'pos', now: taipei('2026-04-01T18:00:00') });
    const r = await surveyJob.run(env.deps, taipei('2026-04-02T14:00:00'));
    expect(r).toMatchObject({ sent: 1, skipped: 1 });
    expect(await Purchase.countDocuments({ 'survey.status': 'skipped' })).toBe(2);
    expect(await env.emulator.messages(returned.userId, 0, 0)).toHaveLength(0);
  });
});
