import request from 'supertest';
import { Interaction } from '../../../models/interaction.model';
import { UnansweredPhrase } from '../../../models/unanswered-phrase.model';
import { seedDemoConversation } from '../../../server/demo-seed';
import { idTokenFor } from '../../factories/liff-member.factory';
import { closeInbox } from '../../helpers/inbox-closed';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { ChatUser, consentedUser } from './chat-driver';

const FALLBACK = '不好意思，我還不太懂這句話';

/** The conversation as a new customer meets it, through the emulator and the real webhook (#13.2–#13.4, #13.6). */
describe('#13.3 the demo brand answers what customers type', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv();
    await seedDemoConversation();
  });
  afterAll(async () => {
    await env.close();
  });

  it('answers every phrase of the issue (not the fallback)', async () => {
    const u = await consentedUser(env, '林小姐');
    // Out of the Q&A first (it has its own test below), so each phrase meets the plain chat.
    for (let i = 0; i < 8; i++) await u.say('略過');
    const expectations: Array<[string, string]> = [
      ['營業時間?', '門市營業時間'],
      ['門市在哪裡', '台北大安店'],
      ['我要退貨', '退換貨說明'],
      ['生日禮呢?', '生日當天會自動送您 100 點'],
      ['怎麼升級', '銀卡：累積消費滿 NT$10,000'],
      ['我的點數怎麼用?', '點數使用方式'],
      ['點數可以折抵嗎', '點數使用方式'],
      ['謝謝', '不客氣'],
      ['你好', '林小姐 您好'],
      ['取消訂閱', '確定不想再收到優惠與活動訊息嗎'],
      // Last: a colleague takes the chat over and the bot pauses (#13.5).
      ['真人客服', '已經請客服同仁來協助您'],
    ];
    for (const [text, want] of expectations) {
      const a = await u.say(text);
      expect({ text, reply: a.all }).toEqual({ text, reply: expect.stringContaining(want) });
      expect(a.all).not.toContain(FALLBACK);
    }
  });

  it('取消訂閱 asks first, then turns marketing off (the card shows it); 訂閱 turns it back on', async () => {
    const u = await consentedUser(env);
    for (let i = 0; i < 8; i++) await u.say('略過');
    const profile = async () =>
      (
        await request(env.url)
          .get('/api/member/profile')
          .set('Authorization', `Bearer ${await idTokenFor(env, u.userId)}`)
      ).body.profile.consent;
    expect(await profile()).toMatchObject({ marketing: true });

    const ask = await u.say('不想再收到廣告了');
    expect(ask.texts[0]).toContain('確定不想再收到優惠與活動訊息嗎');
    expect(ask.buttons).toEqual(['確定取消', '繼續接收']);
    expect(await profile()).toMatchObject({ marketing: true }); // nothing changes before the confirmation
    const kept = await u.tap(ask.data('繼續接收'));
    expect(kept.texts[0]).toContain('繼續把優惠消息傳給您');
    expect(await profile()).toMatchObject({ marketing: true });

    await u.say('取消訂閱');
    const done = await u.say('好'); // a typed yes answers the waiting confirmation
    expect(done.texts[0]).toContain('已為您取消優惠與活動訊息');
    expect(done.texts[0]).toContain('輸入「訂閱」');
    expect(await profile()).toMatchObject({ status: 'accepted', marketing: false });
    expect((await u.say('退訂')).texts[0]).toContain('您目前沒有訂閱優惠訊息');

    const back = await u.say('訂閱');
    expect(back.texts[0]).toContain('已為您開啟優惠訊息');
    expect(await profile()).toMatchObject({ marketing: true });
    expect((await u.say('重新訂閱')).texts[0]).toContain('已經有訂閱');
    // The timeline says where it happened.
    const member = await u.member();
    const events = await Interaction.find({ memberId: member!._id, type: 'event', 'refs.marketing': { $exists: true } })
      .sort({ at: 1 })
      .lean();
    expect(events.map((e) => e.summary)).toEqual(['在聊天中關閉優惠訊息', '在聊天中開啟優惠訊息']);
  });

  it('訂閱 before the data notice was accepted shows the notice instead', async () => {
    const u = await ChatUser.create(env);
    await u.follow();
    await u.tap('consent:decline');
    const a = await u.say('訂閱');
    expect(a.all).toContain('開啟優惠訊息前，需要先請您確認個資告知');
    expect(a.buttons).toEqual(['同意', '不同意']);
    expect((await u.member())?.consent?.marketing).toBe(false);
  });

  it('好喔 on the data notice accepts it and starts the Q&A; 先不用 declines', async () => {
    const yes = await ChatUser.create(env);
    const welcome = await yes.follow();
    expect(welcome.buttons).toEqual(['同意', '不同意']);
    const a = await yes.say('好喔');
    expect(a.all).toContain('謝謝您的同意');
    expect(a.all).toContain('（1/8）');
    expect(a.buttons.length).toBeGreaterThan(1);
    expect((await yes.member())?.consent?.status).toBe('accepted');

    const no = await ChatUser.create(env);
    await no.follow();
    const b = await no.say('先不用');
    expect(b.all).toContain('我們不會詢問或使用您的喜好資料');
    expect((await no.member())?.consent?.status).toBe('declined');
  });
});

describe('#13.4 questions during the Q&A', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv();
    await seedDemoConversation();
  });
  afterAll(async () => {
    await env.close();
  });

  it('answers 我的點數怎麼用？ and asks the pending question again with the same choices', async () => {
    const u = await ChatUser.create(env);
    await u.follow();
    const first = await u.say('好喔');
    const question = first.texts.at(-1)!;
    expect(question).toContain('（1/8）');
    const choices = first.buttons;

    const a = await u.say('我的點數怎麼用？');
    expect(a.texts[0]).toContain('點數使用方式');
    expect(a.texts.at(-1)).toContain(question.split('\n').find((l) => l.includes('（1/8）')));
    expect(a.buttons).toEqual(choices);
    expect(a.all).not.toContain('請從下方按鈕選一個');

    // An intent too, and the Q&A's own answer still counts as the answer.
    const thanks = await u.say('謝謝');
    expect(thanks.texts[0]).toContain('不客氣');
    expect(thanks.buttons).toEqual(choices);
    const answered = await u.say('女生');
    expect(answered.all).toContain('（2/8）');
    expect((await u.member())?.gender).toBe('female');
    // Text that is neither an answer nor a question still gets the Q&A's own re-prompt.
    expect((await u.say('嗯哼哼哼')).all).not.toContain(FALLBACK);
  });
});

describe('#13.6 every reply recorded with what answered; unanswered phrases counted', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv();
    await seedDemoConversation();
    await closeInbox();
  });
  afterAll(async () => {
    await env.close();
  });

  it('names the FAQ entry, the intent and the fallback on the reply, and counts the fallback phrase', async () => {
    const u = await consentedUser(env);
    for (let i = 0; i < 8; i++) await u.say('略過');
    const faq = await u.say('營業時間？');
    const intent = await u.say('謝謝');
    const miss1 = await u.say('你們有在徵工讀生嗎？');
    const miss2 = await u.say('你們有在徵工讀生嗎');
    expect(miss1.all).toContain(FALLBACK);
    const reply = (id: string) => Interaction.findOne({ key: `reply:${id}` }).lean();
    expect(await reply(faq.webhookEventId)).toMatchObject({
      summary: expect.stringContaining('（常見問題：營業時間）'),
      refs: { answeredBy: { by: 'faq', faqId: expect.any(String) } },
    });
    expect(await reply(intent.webhookEventId)).toMatchObject({
      refs: { answeredBy: { by: 'intent', intent: 'thanks' } },
    });
    expect(await reply(miss2.webhookEventId)).toMatchObject({ refs: { answeredBy: { by: 'fallback' } } });
    const rows = await UnansweredPhrase.find({}).lean();
    expect(rows).toEqual([
      expect.objectContaining({ phrase: '你們有在徵工讀生', count: 2, sample: '你們有在徵工讀生嗎' }),
    ]);
  });
});
