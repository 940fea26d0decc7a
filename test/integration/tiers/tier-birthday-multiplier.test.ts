import { runBirthdayProgram } from '../../../domain/campaigns/birthday.service';
import { getProgramSettings, updateProgramSettings } from '../../../domain/program/settings.service';
import { zonedDate } from '../../../domain/shared/clock';
import { programContext } from '../../../domain/shared/context';
import { Member } from '../../../models/member.model';
import { PointsEntry } from '../../../models/points-entry.model';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { consentedUser } from '../bot/chat-driver';

describe('#16.4 tier birthday multiplier', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv();
  });
  afterAll(() => env.close());
  beforeEach(() => env.resetDb());

  it('#16.4 a gold member gets the birthday points times the tier birthday multiplier; a basic member the plain gift', async () => {
    const now = env.deps.clock();
    const today = zonedDate(now, env.config.timeZone);
    const s = await getProgramSettings();
    await updateProgramSettings(
      {
        birthday: { ...s.birthday, enabled: true, points: 100, mode: 'day', sendTime: '00:00' },
        tiers: s.tiers.map((t) => (t.code === 'gold' ? { ...t, birthdayMultiplier: 2 } : t)),
      },
      'test',
    );
    const old = new Date(now.getTime() - 200 * 86_400_000);
    const gold = await consentedUser(env);
    const basic = await consentedUser(env);
    for (const [u, code] of [
      [gold, 'gold'],
      [basic, 'basic'],
    ] as const) {
      await Member.updateOne(
        { lineUserId: u.userId },
        {
          $set: {
            birthday: `1990-${today.slice(5)}`,
            birthMonth: Number(today.slice(5, 7)),
            birthdaySetAt: old,
            'tier.code': code,
          },
        },
      );
    }
    await runBirthdayProgram(programContext(env.deps), now);
    const goldId = (await gold.member())!._id;
    const basicId = (await basic.member())!._id;
    expect((await PointsEntry.findOne({ reason: 'birthday', memberId: goldId }).lean())?.delta).toBe(200);
    expect((await PointsEntry.findOne({ reason: 'birthday', memberId: basicId }).lean())?.delta).toBe(100);
  });

  it('#16.4 a birthday multiplier below 1 is refused in zh-TW and nothing changes', async () => {
    const s = await getProgramSettings();
    const err = await updateProgramSettings(
      { tiers: s.tiers.map((t) => ({ ...t, birthdayMultiplier: 0.5 })) },
      'test',
    ).catch((e: unknown) => e);
    expect(JSON.stringify(err)).toContain('生日禮倍數最少 1 倍');
    expect((await getProgramSettings()).tiers.map((t) => t.birthdayMultiplier)).toEqual(s.tiers.map(() => 1));
  });
});
