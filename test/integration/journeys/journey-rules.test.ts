import request from 'supertest';
import { createCouponTemplate } from '../../../domain/coupons';
import { createJourney } from '../../../domain/journeys/journey.service';
import { recordConsent } from '../../../domain/members/member-lifecycle.service';
import { changePoints } from '../../../domain/points/points.service';
import { updateProgramSettings } from '../../../domain/program/settings.service';
import { Coupon } from '../../../models/coupon.model';
import { JourneyRun } from '../../../models/journey.model';
import { Member } from '../../../models/member.model';
import { createApiKey } from '../../factories/program.factory';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { seedFollowers, taipei } from '../campaigns/fixtures';
import { DAY, pushedTexts, startTemplate, tick, virtualClock } from './journey-fixtures';

const start = taipei('2025-05-05T10:00:00');
const vc = virtualClock(start);
let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv({ clock: vc.clock });
});
afterAll(() => env?.close());
beforeEach(async () => {
  await env.resetDb();
  env.local.emulator!.reset();
  env.local.emulator!.setMonthlyQuota(100_000);
  vc.set(start);
});

const text = (t: string) => ({ type: 'text' as const, text: t });

describe('#15.3 rules that protect the member', () => {
  it('a member who withdraws marketing consent mid-journey gets no further marketing step', async () => {
    const [stays, leaves] = await seedFollowers(env, 2);
    await createJourney(
      {
        name: '兩天關懷',
        trigger: { type: 'segment', audience: { type: 'all' } },
        steps: [
          { id: 'one', type: 'message', messages: [text('第一天：謝謝您加入')] },
          { id: 'wait', type: 'wait', days: 1 },
          { id: 'two', type: 'message', messages: [text('第二天：本週新品')] },
        ],
        status: 'active',
      },
      'tester',
    );
    await tick(env, start);
    expect(pushedTexts(env, leaves.lineUserId)).toEqual(['第一天：謝謝您加入']);
    await recordConsent(leaves.memberId, 'declined', 'v1', new Date(start.getTime() + 3_600_000));
    await tick(env, new Date(start.getTime() + DAY));
    expect(pushedTexts(env, stays.lineUserId)).toEqual(['第一天：謝謝您加入', '第二天：本週新品']);
    expect(pushedTexts(env, leaves.lineUserId)).toEqual(['第一天：謝謝您加入']);
    expect(await JourneyRun.findOne({ memberId: leaves.memberId }).lean()).toMatchObject({
      status: 'exited',
      exitReason: 'consent_withdrawn',
    });
  });

  it('an expiring-points reminder (transactional) reaches a member without marketing consent when the settings allow it, not otherwise', async () => {
    const [allowed, refused] = await seedFollowers(env, 2, () => ({
      consent: { status: 'declined', marketing: false },
    }));
    for (const m of [allowed, refused])
      await changePoints({
        memberId: m.memberId,
        delta: 300,
        reason: 'manual',
        key: `seed:${m.memberId}`,
        now: start,
        expiresAt: taipei('2025-06-04T23:59:00'),
      });
    await startTemplate(env, 'points_expiring');
    await tick(env, taipei('2025-05-05T10:00:00'));
    expect(pushedTexts(env, allowed.lineUserId)[0]).toContain('30 天後到期');
    await updateProgramSettings({ journeys: { transactionalWithoutConsent: false } }, 'tester');
    // Day 7 before: the first member is due; with the setting off, the step is not sent and the run ends.
    await tick(env, taipei('2025-05-28T12:00:00'));
    expect(pushedTexts(env, allowed.lineUserId)).toHaveLength(1);
    expect(await JourneyRun.findOne({ memberId: allowed.memberId }).lean()).toMatchObject({
      status: 'exited',
      exitReason: 'consent_withdrawn',
    });
    void refused;
  });
});

describe('#15.2 tier-upgrade template', () => {
  it('issues the tier coupon once, and the upgrade message names it', async () => {
    const tpl = await createCouponTemplate(
      { title: '銀卡升等禮 200 元', kind: 'amount', value: 200, validity: { mode: 'relative', days: 60 } },
      'tester',
    );
    await updateProgramSettings(
      {
        tiers: [
          { code: 'basic', label: '一般', minSpend: 0, multiplier: 1, couponTemplateIds: [] },
          { code: 'silver', label: '銀卡', minSpend: 10000, multiplier: 1.5, couponTemplateIds: [tpl.id] },
          { code: 'gold', label: '金卡', minSpend: 30000, multiplier: 2, couponTemplateIds: [] },
        ],
      },
      'tester',
    );
    await startTemplate(env, 'tier_upgrade');
    const [m] = await seedFollowers(env, 1);
    const member = await Member.findById(m.memberId).lean();
    const { key } = await createApiKey();
    const res = await request(env.url)
      .post('/api/ingest/purchases')
      .set('x-api-key', key)
      .send({ orderId: 'T-1', member: { lineUserId: member!.lineUserId }, amount: 12000 });
    expect(res.body).toMatchObject({ tier: { code: 'silver', upgraded: true } });
    await tick(env, start);
    await tick(env, new Date(start.getTime() + 60_000));
    expect(await Coupon.countDocuments({ memberId: m.memberId })).toBe(1);
    const texts = pushedTexts(env, m.lineUserId);
    const upgrade = texts.find((t) => t.includes('恭喜升級'));
    expect(upgrade).toContain('・升等禮（每年一次）：「銀卡升等禮 200 元」');
    expect(upgrade).toContain('升等禮已放進您的會員卡');
    expect(texts.join('\n')).not.toContain('專屬禮遇');
    const run = await JourneyRun.findOne({ memberId: m.memberId }).lean();
    expect(run!.history[0]).toMatchObject({ stepId: 'tier-coupon', outcome: 'coupon:銀卡升等禮 200 元' });
  });

  it('a tier without coupons is announced without promising a gift', async () => {
    const [m] = await seedFollowers(env, 1);
    const member = await Member.findById(m.memberId).lean();
    const { key } = await createApiKey();
    await request(env.url)
      .post('/api/ingest/purchases')
      .set('x-api-key', key)
      .send({ orderId: 'T-2', member: { lineUserId: member!.lineUserId }, amount: 12000 });
    const upgrade = pushedTexts(env, m.lineUserId).find((t) => t.includes('恭喜升級'));
    expect(upgrade).toBe(
      '恭喜升級為「銀卡」會員！🎉 您的會員權益：\n・消費點數 1.5 倍\n・保級：每年檢視時近 12 個月消費滿 NT$10,000 即可續保',
    );
  });
});
