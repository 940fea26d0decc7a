import { closeConversation } from '../../../domain/inbox/conversation-close.service';
import { Conversation } from '../../../models/conversation.model';
import { Interaction } from '../../../models/interaction.model';
import { PointsEntry } from '../../../models/points-entry.model';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { ChatUser, consentedUser } from './chat-driver';

/** Follow → welcome + consent → persona Q&A, through the emulator and the real webhook. */
describe('chat onboarding: follow, consent, persona Q&A', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv();
  });
  afterAll(async () => {
    await env.close();
  });

  it('follow creates the member and sends the welcome with the card link, then the consent notice', async () => {
    const u = await ChatUser.create(env, '王小美');
    const a = await u.follow();
    expect(a.via).toEqual(['reply', 'reply']);
    expect(a.texts[0]).toBe('歡迎加入會員 🎉');
    const welcome = JSON.stringify(a.messages[0].contents);
    expect(welcome).toContain('王小美 您好');
    expect(welcome).toContain(`${env.config.publicBaseUrl}/liff/`);
    expect(a.texts[1]).toContain('【個人資料蒐集告知】');
    expect(a.buttons).toEqual(['同意', '不同意']);
    const m = await u.member();
    expect(m).toMatchObject({
      status: 'active',
      displayName: '王小美',
      consent: { status: 'pending', marketing: false },
    });
    expect(m!.memberCode).toMatch(/^\d{10}$/);
    expect(m!.persona?.state).toBeUndefined();
    expect(await Interaction.countDocuments({ memberId: m!._id, type: 'follow' })).toBe(1);
  });

  it('accept stores the consent time and version, then asks the first question', async () => {
    const u = await ChatUser.create(env);
    await u.follow();
    const a = await u.tap('consent:accept');
    expect(a.texts[0]).toBe('謝謝您的同意！');
    expect(a.texts.at(-1)).toContain('（1/8）請問您的性別是？');
    expect(a.buttons).toEqual(['女性', '男性', '其他', '不透露', '略過']);
    const m = await u.member();
    expect(m!.consent).toMatchObject({ status: 'accepted', version: '2025-01', marketing: true });
    expect(m!.consent!.at).toBeInstanceOf(Date);
    expect(m!.persona).toMatchObject({ state: { status: 'active', current: 'gender' } });
  });

  it('a full script run fills fields and tags, awards the completion points once, and thanks the member', async () => {
    const u = await consentedUser(env, '陳大文');
    let a = await u.tap('persona:gender:pick:male');
    expect(a.texts[0]).toContain('（2/8）');
    expect(a.messages[0].quickReply.items[0].action).toMatchObject({
      type: 'datetimepicker',
      mode: 'date',
      data: 'persona:birthday:date',
    });
    a = await u.tap('persona:birthday:date', { date: '1988-02-29' });
    a = await u.say('臺中');
    a = await u.tap(a.data('3C'));
    a = await u.say('運動、旅行');
    expect(a.texts[0]).toContain('已選：3C、運動、旅遊');
    a = await u.tap(a.data('完成'));
    a = await u.say('品質');
    a = await u.tap(a.data('點數回饋'));
    a = await u.tap(a.data('晚上'));
    expect(a.texts[0]).toContain('（8/8）');
    a = await u.say('0912-345-678');
    expect(a.texts[0]).toContain('全部完成');
    expect(a.texts[1]).toBe('🎁 已送您 50 點作為感謝，目前共有 50 點。');
    expect(a.buttons).toEqual(['會員卡', '點數', '優惠券', '推薦', '資料', '說明']); // the menu follows the finished Q&A

    const m = await u.member();
    expect(m).toMatchObject({
      gender: 'male',
      birthday: '1988-02-29',
      birthMonth: 2,
      city: '台中市',
      pointsBalance: 50,
      preferences: { priceSensitivity: 'low', promotionType: 'points', contactTime: 'evening' },
      phone: '0912345678',
    });
    expect(m!.persona!.completedAt).toBeInstanceOf(Date);
    expect(m!.tags.map((t) => `${t.tag}/${t.source}`).sort()).toEqual(
      ['偏好優惠:點數', '興趣:3C', '興趣:旅遊', '興趣:運動', '重視品質'].map((t) => `${t}/persona`).sort(),
    );
    expect(await PointsEntry.countDocuments({ memberId: m!._id, reason: 'persona_complete' })).toBe(1);
    expect(await Interaction.countDocuments({ memberId: m!._id, type: 'persona_answer' })).toBe(8);

    // Doing it all again changes the answers but never pays twice.
    a = await u.say('重新填寫');
    expect(a.texts[0]).toContain('重新開始');
    for (const label of ['女性', '略過', '略過', '略過', '價格划算', '略過', '略過', '略過'])
      a = await u.tap(a.data(label));
    expect(a.texts).toEqual([expect.stringContaining('全部完成'), '資料已更新，謝謝您！']);
    const again = await u.member();
    expect(again).toMatchObject({ gender: 'female', pointsBalance: 50, preferences: { priceSensitivity: 'high' } });
    expect(again!.tags.map((t) => t.tag)).toContain('價格敏感');
    expect(again!.tags.map((t) => t.tag)).not.toContain('重視品質');
    expect(await PointsEntry.countDocuments({ memberId: m!._id })).toBe(1);
  });

  it('an invalid birthday re-prompts and stores nothing', async () => {
    const u = await consentedUser(env);
    await u.tap('persona:gender:skip');
    const before = await u.member();
    for (const bad of ['2099-01-01', '下週三', '1990-13-01']) {
      const a = await u.say(bad);
      expect(a.texts).toEqual([expect.stringContaining('日期好像不太對')]);
      expect(a.buttons).toEqual(['選擇日期', '略過']);
    }
    const future = await u.tap('persona:birthday:date', { date: '2099-12-31' });
    expect(future.texts[0]).toContain('日期好像不太對');
    const after = await u.member();
    expect(after!.birthday).toBeUndefined();
    expect(after!.persona!.state).toEqual(before!.persona!.state);
    expect(await Interaction.countDocuments({ memberId: after!._id, type: 'persona_answer' })).toBe(1);
  });

  it('resumes where the member stopped after a break, and 略過 skips', async () => {
    const u = await consentedUser(env);
    await u.say('女');
    const skipped = await u.say('略過');
    expect(skipped.texts[0]).toContain('（3/8）');
    // A break: the member asks for points (a command), then comes back later.
    const points = await u.say('點數');
    expect(points.texts[0]).toContain('您目前有 0 點');
    const back = await u.say('繼續填寫');
    expect(back.texts[0]).toContain('我們從上次停下的地方繼續');
    expect(back.texts[0]).toContain('（3/8）您住在哪個縣市');
    const next = await u.say('高雄');
    expect(next.texts[0]).toContain('（4/8）');
    const m = await u.member();
    expect(m).toMatchObject({ gender: 'female', city: '高雄市' });
    expect(m!.birthday).toBeUndefined();
    expect(m!.persona!.state).toMatchObject({ skipped: ['birthday'], current: 'interests' });
  });

  it('decline: no questions, the card and the menu still work, and accepting later starts the questions', async () => {
    const u = await ChatUser.create(env);
    await u.follow();
    const a = await u.tap('consent:decline');
    expect(a.texts[0]).toContain('我們不會詢問或使用您的喜好資料');
    expect(JSON.stringify(a.messages[1].contents)).toContain('/liff/');
    expect(a.buttons).toEqual(['會員卡', '點數', '優惠券', '推薦', '資料', '說明']);
    expect((await u.member())!.consent).toMatchObject({ status: 'declined', marketing: false, version: '2025-01' });
    expect((await u.member())!.persona?.state).toBeUndefined();

    const profile = await u.say('資料');
    expect(profile.texts[0]).toContain('需要先請您確認個資告知');
    const chat = await u.say('最近想買跑步鞋');
    expect(chat.texts[0]).toContain('我還不太懂');
    expect((await u.member())!.tags).toEqual([]);
    // The unanswered text went to a colleague (#13.5); closing the conversation gives the chat back to the bot.
    const handoff = await Conversation.findOne({ lineUserId: u.userId, status: 'open' }).lean();
    await closeConversation({
      conversationId: String(handoff!._id),
      agent: { id: 'test', name: 'test' },
      now: new Date(),
    });

    const later = await u.say('同意');
    expect(later.texts.at(-1)).toContain('（1/8）');
    expect((await u.member())!.consent).toMatchObject({ status: 'accepted', marketing: true });
  });

  it('unfollow marks the member blocked; re-follow re-activates with history, points and answers kept', async () => {
    const u = await consentedUser(env, '林阿明');
    await u.say('男');
    const first = await u.member();
    await u.unfollow();
    const blocked = await u.member();
    expect(blocked).toMatchObject({ status: 'blocked', gender: 'male', memberCode: first!.memberCode });
    expect(blocked!.blockedAt).toBeInstanceOf(Date);
    const historyBefore = await Interaction.countDocuments({ memberId: first!._id });

    const back = await u.follow();
    expect(back.texts[0]).toContain('林阿明，歡迎回來');
    // The open Q&A resumes; the notice is not asked again.
    expect(back.texts.at(-1)).toContain('（2/8）');
    expect(back.all).not.toContain('個人資料蒐集告知');
    const active = await u.member();
    expect(active).toMatchObject({
      status: 'active',
      gender: 'male',
      memberCode: first!.memberCode,
      consent: { status: 'accepted' },
    });
    expect(active!.blockedAt).toBeUndefined();
    expect(String(active!._id)).toBe(String(first!._id));
    const types = (await Interaction.find({ memberId: first!._id }).sort({ at: 1 }).lean()).map((i) => i.type);
    expect(types).toEqual(expect.arrayContaining(['follow', 'unfollow', 'persona_answer', 'reply']));
    expect(await Interaction.countDocuments({ memberId: first!._id })).toBeGreaterThan(historyBefore);
  });
});
