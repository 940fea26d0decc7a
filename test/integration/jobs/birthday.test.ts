import { Member } from '../../../models/member.model';
import { PointsEntry } from '../../../models/points-entry.model';
import { Coupon } from '../../../models/coupon.model';
import { createCouponTemplate } from '../../../domain/coupons';
import { updateProgramSettings } from '../../../domain/program/settings.service';
import { startScheduler } from '../../../jobs/scheduler';
import { runJobOnce } from '../../../jobs/runner';
import { isBirthdayToday } from '../../../domain/campaigns/birthday.service';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { deliveriesPerUser, seedFollowers, taipei, withClock } from '../campaigns/fixtures';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env?.close());
beforeEach(async () => {
  await env.resetDb();
  env.local.emulator!.reset();
  env.local.emulator!.setMonthlyQuota(100_000);
});

describe('birthday job', () => {
  it('three scheduler instances: each birthday member gets one push, one points entry and one coupon', async () => {
    const tpl = await createCouponTemplate(
      { title: '生日蛋糕兌換券', kind: 'gift', giftName: '小蛋糕', validity: { mode: 'relative', days: 30 } },
      'tester',
    );
    await updateProgramSettings({ birthday: { points: 200, couponTemplateId: tpl.id, sendTime: '10:00' } }, 'tester');
    const birthdays = ['1990-05-20', '1985-05-20', '1992-05-21', '2000-05-20', '1995-05-20'];
    const statuses = [{}, {}, {}, { status: 'blocked' }, { erasedAt: new Date() }];
    const members = await seedFollowers(env, 5, (i) => ({ birthday: birthdays[i], birthMonth: 5, ...statuses[i] }));
    const at = taipei('2025-05-20T10:00:00');
    const clock = withClock(env.deps, at);
    const schedulers = [1, 2, 3].map((i) => startScheduler(clock.deps, { owner: `instance-${i}`, timer: false }));

    const before = taipei('2025-05-20T09:59:00');
    const early = (await Promise.all(schedulers.map((s) => s.tick(before)))).flat();
    expect(early.filter((o) => o.job === 'birthday').every((o) => o.status === 'not_due')).toBe(true);

    const outcomes = (await Promise.all(schedulers.map((s) => s.tick(at)))).flat();
    // Later ticks the same day do nothing more.
    await Promise.all(schedulers.map((s) => s.tick(taipei('2025-05-20T10:01:00'))));
    await Promise.all(schedulers.map((s) => s.stop()));

    const ran = outcomes.filter((o) => o.job === 'birthday' && o.status === 'ran');
    expect(ran).toHaveLength(1);
    expect(ran[0].status === 'ran' && ran[0].result).toMatchObject({
      candidates: 2,
      points: 2,
      coupons: 2,
      messaged: 2,
    });
    const per = deliveriesPerUser(await env.emulator.pushes());
    expect(members.map((m) => per.get(m.lineUserId) ?? 0)).toEqual([1, 1, 0, 0, 0]);
    expect(await PointsEntry.countDocuments({ reason: 'birthday' })).toBe(2);
    expect(await Coupon.countDocuments({ source: 'birthday' })).toBe(2);
    const inbox = env.local.emulator!.messagesFor(members[0].lineUserId);
    expect(inbox[0].message.text).toContain('生日快樂');
    expect(inbox[0].message.text).toContain('200 點');
    expect(inbox[0].message.text).toContain('生日蛋糕兌換券');
  });

  it('re-running the day (CLI, another date in the year) never gives a second gift or greeting', async () => {
    const [m] = await seedFollowers(env, 1, () => ({ birthday: '1990-06-01', birthMonth: 6 }));
    const at = taipei('2025-06-01T10:00:00');
    await runJobOnce(withClock(env.deps, at).deps, 'birthday', at);
    const again = await runJobOnce(withClock(env.deps, at).deps, 'birthday', at, { trigger: 'cli', force: true });
    expect(again).toMatchObject({ status: 'skipped', reason: 'already_done' });
    // Month-first mode switched on later the same year: the member was already celebrated this year.
    await updateProgramSettings({ birthday: { mode: 'month-first' } }, 'tester');
    const later = taipei('2025-06-01T10:00:00');
    const { JobLease } = await import('../../../models/job-lease.model');
    await JobLease.deleteMany({});
    const rerun = await runJobOnce(withClock(env.deps, later).deps, 'birthday', later);
    expect(rerun.status === 'ran' && rerun.result).toMatchObject({
      candidates: 1,
      points: 0,
      messaged: 0,
      alreadyDone: 1,
    });
    expect(deliveriesPerUser(await env.emulator.pushes()).get(m.lineUserId)).toBe(1);
    expect((await Member.findById(m.memberId).lean())!.pointsBalance).toBe(100);
  });

  it('celebrates 29 February birthdays on 28 February in common years', async () => {
    const [leapling] = await seedFollowers(env, 1, () => ({ birthday: '2000-02-29', birthMonth: 2 }));
    const common = taipei('2025-02-28T10:00:00');
    const out = await runJobOnce(withClock(env.deps, common).deps, 'birthday', common);
    expect(out.status === 'ran' && out.result.messaged).toBe(1);
    expect(deliveriesPerUser(await env.emulator.pushes()).get(leapling.lineUserId)).toBe(1);
    expect(isBirthdayToday('2000-02-29', { year: 2024, month: 2, day: 28 }, 'day')).toBe(false);
    expect(isBirthdayToday('2000-02-29', { year: 2024, month: 2, day: 29 }, 'day')).toBe(true);
    expect(isBirthdayToday('2000-02-29', { year: 2100, month: 2, day: 28 }, 'day')).toBe(true);
    expect(isBirthdayToday('1990-07-15', { year: 2025, month: 7, day: 1 }, 'month-first')).toBe(true);
    expect(isBirthdayToday('1990-07-15', { year: 2025, month: 7, day: 15 }, 'month-first')).toBe(false);
  });
});
