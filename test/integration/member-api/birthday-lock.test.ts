import request from 'supertest';
import { runBirthdayProgram } from '../../../domain/campaigns/birthday.service';
import { BIRTHDAY_LOCKED_TEXT } from '../../../domain/members/birthday-rules';
import { savePersonaProgress, loadPersonaState } from '../../../domain/persona/persona-progress.service';
import { zonedDate, zonedTimeToUtc } from '../../../domain/shared/clock';
import { AuditLog } from '../../../models/audit-log.model';
import { Member } from '../../../models/member.model';
import { PointsEntry } from '../../../models/points-entry.model';
import { loginAs } from '../../factories/console.factory';
import { idTokenFor } from '../../factories/liff-member.factory';
import { programContext } from '../../../domain/shared/context';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { consentedUser, type ChatUser } from '../bot/chat-driver';

/**
 * The birthday gift made "set my birthday to today" worth doing: the member sets the birthday once (card or chat),
 * only staff change it afterwards (console member page, audited), and a birthday set or changed less than 30
 * days before does not trigger this year's gift.
 */
describe('#12.6 birthday set once by the member, changed by staff, no gift on demand', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv();
  });
  afterAll(() => env.close());
  beforeEach(() => env.resetDb());

  const putProfile = async (u: ChatUser, answers: Record<string, string>) =>
    request(env.url)
      .put('/api/member/profile')
      .set('Authorization', `Bearer ${await idTokenFor(env, u.userId)}`)
      .send({ answers });
  const birthdayField = (body: { fields: Array<{ key: string; locked?: boolean; hint?: string; display: string }> }) =>
    body.fields.find((f) => f.key === 'birthday')!;
  const jobDeps = () => programContext(env.deps);

  it('the card sets the birthday once; a change or clearing is refused in zh-TW and nothing changes', async () => {
    const u = await consentedUser(env);
    const first = await putProfile(u, { birthday: '1990-05-20' });
    expect(first.status).toBe(200);
    expect(birthdayField(first.body)).toMatchObject({
      locked: true,
      hint: '生日設定後就不能自行修改囉，如需更改請洽門市人員。',
      display: '1990/05/20',
    });
    const stored = await u.member();
    expect(stored).toMatchObject({ birthday: '1990-05-20', birthMonth: 5, birthdaySetAt: expect.any(Date) });

    for (const birthday of ['1990-12-02', '']) {
      const res = await putProfile(u, { birthday, city: '高雄' });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({
        code: 'validation_failed',
        details: { fields: [{ path: 'answers.birthday', message: BIRTHDAY_LOCKED_TEXT }] },
      });
    }
    const after = await u.member();
    expect([after!.birthday, after!.city, after!.birthdaySetAt]).toEqual([
      '1990-05-20',
      stored!.city,
      stored!.birthdaySetAt,
    ]);
    // Sending the same date again (an untouched form) is fine.
    expect((await putProfile(u, { birthday: '1990-05-20' })).status).toBe(200);
  });

  it('a re-done chat Q&A does not overwrite a birthday already set', async () => {
    const u = await consentedUser(env);
    expect((await putProfile(u, { birthday: '1990-05-20' })).status).toBe(200);
    const m = (await u.member())!;
    const { state, rev } = await loadPersonaState(m._id);
    const saved = await savePersonaProgress({
      memberId: m._id,
      expectedRev: rev,
      state: state ?? {},
      set: { birthday: '2001-12-02', birthMonth: 12, city: '台南市' },
      addTags: [],
      removeTags: [],
      now: new Date(),
      timeZone: env.deps.config.timeZone,
    });
    expect(saved).toBe(true);
    expect(await u.member()).toMatchObject({
      birthday: '1990-05-20',
      birthMonth: 5,
      city: '台南市',
      birthdaySetAt: m.birthdaySetAt,
    });
  });

  it('staff change it on the console member page, audited without the dates; bad dates are refused', async () => {
    const u = await consentedUser(env);
    await putProfile(u, { birthday: '1990-05-20' });
    const id = String((await u.member())!._id);
    const marketer = await loginAs(env, 'marketer');
    const put = (body: object) =>
      marketer.agent.put(`/api/console/members/${id}/birthday`).set('X-CSRF-Token', marketer.csrf).send(body);

    for (const [body, message] of [
      [{ birthday: '1990-02-30' }, '請輸入正確的生日日期（不能晚於今天）。'],
      [{ birthday: '2999-01-01' }, '請輸入正確的生日日期（不能晚於今天）。'],
      [{ birthday: '20/05/1990' }, '生日請用 YYYY-MM-DD 格式，例如 1990-05-20'],
    ] as const) {
      const res = await put(body);
      expect(res.status).toBe(400);
      expect(res.body.error.details.fields[0]).toMatchObject({ path: 'birthday', message });
    }
    expect((await u.member())!.birthday).toBe('1990-05-20');
    expect(await AuditLog.countDocuments({ action: 'member.birthday.update' })).toBe(0);

    const ok = await put({ birthday: '1991-06-01' });
    expect(ok.status).toBe(200);
    expect(await u.member()).toMatchObject({ birthday: '1991-06-01', birthMonth: 6 });
    const entry = await AuditLog.findOne({ action: 'member.birthday.update' }).lean();
    expect(entry).toMatchObject({ targetType: 'member', targetId: id, details: { hadBirthday: true, cleared: false } });
    expect(JSON.stringify(entry)).not.toMatch(/1990-05-20|1991-06-01/);
    const detail = await marketer.agent.get(`/api/console/members/${id}`);
    expect(detail.body.profile.birthday).toBe('1991-06-01');

    const staff = await loginAs(env, 'staff');
    const refused = await staff.agent
      .put(`/api/console/members/${id}/birthday`)
      .set('X-CSRF-Token', staff.csrf)
      .send({ birthday: '1992-01-01' });
    expect(refused.status).toBe(403);
  });

  it('a birthday set to today (card) or moved to today (staff) gets no gift this year; an old one does', async () => {
    const now = env.deps.clock();
    const today = zonedDate(now, env.config.timeZone);
    const u = await consentedUser(env);
    expect((await putProfile(u, { birthday: `1990-${today.slice(5)}` })).status).toBe(200);
    const v = await consentedUser(env);
    await Member.updateOne(
      { lineUserId: v.userId },
      { $set: { birthday: '1985-01-15', birthMonth: 1, birthdaySetAt: new Date(now.getTime() - 200 * 86_400_000) } },
    );
    const marketer = await loginAs(env, 'marketer');
    const vId = String((await v.member())!._id);
    expect(
      (
        await marketer.agent
          .put(`/api/console/members/${vId}/birthday`)
          .set('X-CSRF-Token', marketer.csrf)
          .send({ birthday: `1985-${today.slice(5)}` })
      ).status,
    ).toBe(200);

    const todayRun = await runBirthdayProgram(jobDeps(), now);
    expect(todayRun).toMatchObject({ candidates: 0, points: 0, recentlySet: 2 });
    expect(await PointsEntry.countDocuments({ reason: 'birthday' })).toBe(0);

    // A year later both birthdays are long settled: the gift comes as for anyone.
    const nextYear = zonedTimeToUtc(`${Number(today.slice(0, 4)) + 1}${today.slice(4)}`, '10:00', env.config.timeZone);
    expect(await runBirthdayProgram(jobDeps(), nextYear)).toMatchObject({ candidates: 2, points: 2, recentlySet: 0 });
  });
});
