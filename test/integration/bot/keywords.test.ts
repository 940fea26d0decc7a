import { createCouponTemplate, issueCoupon } from '../../../domain/coupons';
import { changePoints } from '../../../domain/points/points.service';
import { closeConversation } from '../../../domain/inbox/conversation-close.service';
import { Conversation } from '../../../models/conversation.model';
import { Interaction } from '../../../models/interaction.model';
import { Purchase } from '../../../models/purchase.model';
import { SurveyResponse } from '../../../models/survey.model';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { ChatUser, consentedUser } from './chat-driver';

const MENU = ['會員卡', '點數', '優惠券', '推薦', '資料', '說明'];

/** A colleague closes the member's inbox conversation (#13.5), so the bot answers again. */
async function endHandoff(lineUserId: string): Promise<void> {
  for (const c of await Conversation.find({ lineUserId, status: 'open' }).lean())
    await closeConversation({ conversationId: String(c._id), agent: { id: 'test', name: 'test' }, now: new Date() });
}

/** Keyword commands, rich-menu postbacks and the friendly answers to everything else. */
describe('chat keywords and menu', () => {
  let env: TestEnv;
  let u: ChatUser;
  beforeAll(async () => {
    env = await startTestEnv();
    u = await ChatUser.create(env, '張小華');
    await u.follow();
    await u.tap('consent:decline');
  });
  afterAll(async () => {
    await env.close();
  });

  it('點數 / 積分: balance, tier, what the next tier needs and the next expiry', async () => {
    const m = await u.member();
    await changePoints({
      memberId: m!._id,
      delta: 1234,
      reason: 'manual',
      key: `kw-test:${m!._id}`,
      expiresAt: new Date('2099-12-31T15:59:00Z'),
      now: new Date(),
    });
    for (const word of ['點數', '積分', '查詢點數']) {
      const a = await u.say(word);
      expect(a.texts[0]).toBe('💰 您目前有 1,234 點');
      const body = JSON.stringify(a.messages[0].contents);
      expect(body).toContain('會員等級：一般');
      expect(body).toContain('再消費 NT$10,000 即可升級「銀卡」');
      expect(body).toContain('有 1,234 點將在 2099/12/31 到期');
      expect(a.buttons).toEqual(MENU);
    }
  });

  it('點數 once the spend earns the next tier: says so instead of "再消費 NT$0"', async () => {
    const other = await consentedUser(env, '許大同');
    const m = await other.member();
    await Purchase.create({
      source: 'pos',
      orderId: 'kw-tier',
      memberId: m!._id,
      amount: 12_000,
      at: new Date(Date.now() - 86_400_000),
      receivedAt: new Date(),
    });
    const body = JSON.stringify((await other.say('點數')).messages[0].contents);
    expect(body).toContain('已符合「銀卡」資格，等級即將更新');
    expect(body).not.toContain('NT$0');
  });

  it('優惠券: active coupons as a flex carousel; none → a plain answer', async () => {
    const none = await u.say('優惠券');
    expect(none.texts).toEqual(['目前沒有可使用的優惠券。']);
    const m = await u.member();
    const tpl = await createCouponTemplate(
      {
        title: '生日 9 折券',
        terms: '全館商品適用',
        kind: 'percent',
        value: 10,
        validity: { mode: 'relative', days: 30 },
      },
      'test',
    );
    const gift = await createCouponTemplate(
      { title: '來店禮', kind: 'gift', giftName: '帆布袋', validity: { mode: 'relative', days: 7 } },
      'test',
    );
    await issueCoupon({
      templateId: tpl.id,
      memberId: m!._id,
      key: `kw:${m!._id}:1`,
      now: new Date(),
      timeZone: 'Asia/Taipei',
    });
    const issued = await issueCoupon({
      templateId: gift.id,
      memberId: m!._id,
      key: `kw:${m!._id}:2`,
      now: new Date(),
      timeZone: 'Asia/Taipei',
    });
    for (const word of ['優惠券', '優惠卷', '我的優惠券']) {
      const a = await u.say(word);
      expect(a.texts).toEqual(['您有 2 張可使用的優惠券']);
      const carousel = a.messages[0].contents;
      expect(carousel.type).toBe('carousel');
      // Soonest to expire first.
      expect(JSON.stringify(carousel.contents[0])).toContain('來店禮');
      expect(JSON.stringify(carousel.contents[0])).toContain(`券號：${issued.coupon.displayCode}`);
      expect(JSON.stringify(carousel.contents[1])).toContain('9 折');
      expect(carousel.contents[0].footer.contents[0].action.uri).toBe(
        `${env.config.publicBaseUrl}/liff/coupons/${issued.coupon.id}`,
      );
    }
  });

  it('會員卡: a button that opens the LIFF card', async () => {
    const a = await u.say('會員卡');
    expect(a.texts).toEqual(['打開會員卡']);
    expect(a.messages[0].contents.footer.contents[0].action).toEqual({
      type: 'uri',
      label: '開啟會員卡',
      uri: `${env.config.publicBaseUrl}/liff/`,
    });
  });

  it('推薦: own code with a share link; a friend types 推薦碼 XXXX and is bound once', async () => {
    const a = await u.say('推薦');
    const code = (await u.member())!.referral!.code!;
    expect(code).toMatch(/^[A-Z0-9]{6}$/);
    expect(a.texts[0]).toBe(`您的推薦碼：${code}`);
    const share = a.messages[0].contents.footer.contents[0].action.uri as string;
    expect(share.startsWith('https://line.me/R/share?text=')).toBe(true);
    expect(decodeURIComponent(share)).toContain(`推薦碼 ${code}`);

    const friend = await ChatUser.create(env, '好友阿強');
    await friend.follow();
    const applied = await friend.say(`推薦碼 ${code.toLowerCase()}`);
    expect(applied.texts[0]).toContain('已綁定 張** 的推薦碼');
    const twice = await friend.say(`推薦碼 ${code}`);
    expect(twice.texts[0]).toContain('只能輸入一次');
    const own = await u.say(`推薦碼 ${code}`);
    expect(own.texts[0]).toContain('不能輸入自己的推薦碼');
    const unknown = await friend.say('推薦碼 ZZZZZZ');
    expect(unknown.texts[0]).toMatch(/推薦碼/);
    expect(String((await friend.member())!.referral!.referredBy)).toBe(String((await u.member())!._id));
  });

  it('資料 shows the answers with 重新填寫; 說明 and help show the menu', async () => {
    const c = await consentedUser(env);
    await c.say('女');
    const profile = await c.say('資料');
    expect(profile.texts[0]).toContain('📋 您的會員資料\n性別：女性\n生日：（未填寫）');
    expect(profile.buttons).toEqual(['繼續填寫', '重新填寫']);
    for (const word of ['說明', 'help', 'HELP', '選單']) {
      const a = await c.say(word);
      expect(a.texts[0]).toContain('・點數：查詢點數與會員等級');
      expect(a.buttons).toEqual(MENU);
    }
  });

  it('rich-menu postbacks run the same commands', async () => {
    expect((await u.tap('cmd:points')).texts[0]).toContain('您目前有');
    expect((await u.tap('cmd:coupons')).texts[0]).toContain('優惠券');
    expect((await u.tap('cmd:help')).texts[0]).toContain('・會員卡');
    expect((await u.tap('cmd:profile')).texts[0]).toContain('個資告知');
  });

  it('unknown text gets a short helpful reply, never silence (and a colleague is asked to look, #13.5)', async () => {
    for (const text of ['你們幾點開門？', 'asdfgh', '🙂', '好']) {
      const a = await u.say(text);
      expect(a.texts).toEqual([expect.stringContaining('我還不太懂這句話')]);
      expect(a.texts[0]).toContain('已經請客服同仁看看');
      // No menu while a colleague has the chat: the bot would not answer it.
      expect(a.buttons).toEqual([]);
      await endHandoff(u.userId);
    }
  });

  it('interest words add preference tags with source keyword (consenting members only)', async () => {
    const c = await consentedUser(env);
    for (let i = 0; i < 8; i++) await c.say('略過');
    const member = await c.member();
    expect(member!.persona!.state).toMatchObject({ status: 'completed' });
    const a = await c.say('最近想買跑步鞋和保養品');
    expect(a.texts[0]).toContain('之後會多推薦美妝、運動相關的好康');
    const tags = (await c.member())!.tags
      .filter((t) => t.source === 'keyword')
      .map((t) => t.tag)
      .sort();
    expect(tags).toEqual(['興趣:美妝', '興趣:運動']);
    expect(await Interaction.countDocuments({ memberId: member!._id, type: 'tag' })).toBe(1);
  });

  it('stickers, photos and locations get a friendly reply', async () => {
    const s = await u.sticker();
    expect(s.texts[0]).toContain('收到您的貼圖');
    expect(s.messages[1]).toMatchObject({ type: 'sticker' });
    expect((await u.image()).texts[0]).toContain('謝謝您傳來的照片');
    await endHandoff(u.userId);
    expect((await u.location()).texts[0]).toContain('謝謝您分享位置');
    const timeline = await Interaction.find({ lineUserId: u.userId, type: 'message_in' })
      .sort({ at: -1 })
      .limit(3)
      .lean();
    expect(timeline.map((i) => i.summary)).toEqual(['[位置] 門市', '[照片]', '[貼圖]']);
  });

  it('survey score postback records the answer and thanks; the next text is the comment', async () => {
    const m = await u.member();
    const survey = await SurveyResponse.create({
      memberId: m!._id,
      key: `test:${m!._id}`,
      question: '滿意嗎？',
      sentAt: new Date(),
    });
    const a = await u.tap(`survey:${survey._id}:5`);
    expect(a.texts[0]).toContain('謝謝您的評分');
    const comment = await u.say('店員很親切');
    expect(comment.texts[0]).toContain('收到您的意見');
    expect(await SurveyResponse.findById(survey._id).lean()).toMatchObject({
      status: 'answered',
      score: 5,
      comment: '店員很親切',
    });
    expect((await u.member())!.satisfaction).toMatchObject({ lastScore: 5 });
    const stale = await u.tap('survey:0123456789abcdef01234567:3');
    expect(stale.texts[0]).toContain('問卷已經結束');
  });
});
