import { updateProgramSettings } from '../../../domain/program/settings.service';
import { createStampTemplate } from '../../../domain/stamps/stamp-template.service';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { consentedUser } from './chat-driver';

/** #16 (helper C item 4): 說明 lists 集點 and 購物金 only while the program has them. */
describe('#16.C4 the help menu lists 集點 and 購物金 when enabled', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv();
  });
  afterAll(() => env.close());

  it('without stamp cards or credit gifts, 說明 shows the plain menu', async () => {
    const c = await consentedUser(env);
    const a = await c.say('說明');
    expect(a.texts[0]).not.toContain('集點');
    expect(a.texts[0]).not.toContain('購物金');
    expect(a.buttons).toEqual(['會員卡', '點數', '優惠券', '推薦', '資料', '說明']);
  });

  it('with an active stamp card and a birthday credit gift, 說明 adds both lines and quick replies', async () => {
    await createStampTemplate(
      {
        name: '飲料集點卡',
        stampsNeeded: 5,
        earn: { rule: 'per_purchase' },
        milestones: [],
        completionReward: { kind: 'points', points: 50 },
        validity: { mode: 'days_from_first_stamp', days: 180 },
        manualDailyLimit: 1,
      },
      'test',
      new Date(),
    );
    await updateProgramSettings({ credit: { birthdayAmount: 100 } }, 'marketer');
    const c = await consentedUser(env);
    const a = await c.say('說明');
    expect(a.texts[0]).toContain('・集點：查看集點卡進度');
    expect(a.texts[0]).toContain('・購物金：查詢購物金餘額與到期日');
    expect(a.buttons).toEqual(['會員卡', '點數', '優惠券', '推薦', '資料', '集點', '購物金', '說明']);
  });
});
