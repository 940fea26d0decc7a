import type { Types } from 'mongoose';
import { claimClosedHoursNotice } from '../../../domain/inbox/closed-hours-notice.service';
import { Conversation } from '../../../models/conversation.model';
import { InboxMessage } from '../../../models/inbox-message.model';
import { Interaction } from '../../../models/interaction.model';
import { Settings } from '../../../models/settings.model';
import { loginAs } from '../../factories/console.factory';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { consentedUser } from '../bot/chat-driver';

/**
 * #13.5 outside 客服時間, through the emulator over real HTTP: every path that would hand the chat to a colleague
 * (asking for a person, an image, a text the bot cannot answer) tells the customer the next opening instead, in
 * an editable text with `{next_opening}`. The clock is the app's injected one, set per test.
 */
let env: TestEnv;
let now = new Date();
const at = (taipei: string) => new Date(`${taipei}+08:00`);

/** The demo brand's 客服時間, Sunday first: 週一至週五 10:00–19:00, 週六 11:00–17:00, 週日公休. */
const WEEKDAY = { open: '10:00', close: '19:00' };
const HOURS = [null, WEEKDAY, WEEKDAY, WEEKDAY, WEEKDAY, WEEKDAY, { open: '11:00', close: '17:00' }];

/** A member past the Q&A (skipped), so an unanswerable text meets the plain chat, not the Q&A's re-prompt. */
async function chatUser(name?: string) {
  const u = await consentedUser(env, name);
  for (let i = 0; i < 8; i++) await u.say('略過');
  return u;
}

beforeAll(async () => {
  env = await startTestEnv({ clock: () => now });
});
afterAll(() => env.close());
beforeEach(async () => {
  await env.resetDb();
  env.deps.replies.invalidate();
  now = at('2026-12-02T12:00:00'); // a Wednesday, during hours: sign-in and setup
  const admin = await loginAs(env, 'admin');
  await admin.agent
    .put('/api/console/settings/program')
    .set('X-CSRF-Token', admin.csrf)
    .send({ inbox: { openingHours: HOURS, autoResumeHours: 12 } })
    .expect(200);
});

describe('#13.5 outside 客服時間 the customer is told when someone will answer', () => {
  it('asking for a person, an image and an unanswerable text each name the next opening; nothing opens', async () => {
    const u = await chatUser('陳小姐');
    now = at('2026-12-02T20:30:00'); // Wednesday evening, after 19:00
    const asked = await u.say('真人客服');
    expect(asked.texts).toEqual([expect.stringContaining('同仁會在 明天（週四）10:00 上線')]);
    const image = await u.image();
    expect(image.texts).toEqual([expect.stringContaining('現在不是客服時間，同仁會在 明天（週四）10:00 上線')]);
    const unknown = await u.say('我上次買的那個藍色的東西可以換綠色的嗎');
    expect(unknown.texts).toEqual([
      expect.stringMatching(/^不好意思，我還不太懂這句話[\s\S]*客服同仁會在 明天（週四）10:00 上線/),
    ]);
    // The bot keeps its menu buttons (nobody has the chat), and no conversation was opened.
    expect(unknown.buttons.length).toBeGreaterThan(0);
    expect(await Conversation.countDocuments({ lineUserId: u.userId })).toBe(0);
  });

  it('on Saturday evening the next opening is Monday (Sunday is 公休), with its date', async () => {
    const u = await consentedUser(env);
    now = at('2026-12-05T18:00:00'); // Saturday, after 17:00
    expect((await u.say('找客服')).texts[0]).toContain('同仁會在 週一（12/7）10:00 上線');
    now = at('2026-12-07T08:15:00'); // Monday morning, before 10:00
    expect((await u.say('找客服')).texts[0]).toContain('同仁會在 今天 10:00 上線');
    now = at('2026-12-07T10:00:00'); // opening time: a colleague takes the chat
    expect((await u.say('找客服')).texts[0]).toContain('已經請客服同仁來協助您');
    expect(await Conversation.countDocuments({ lineUserId: u.userId, status: 'open' })).toBe(1);
  });

  it("the texts are the marketer's: an edit with {next_opening} is what the next customer reads", async () => {
    const marketer = await loginAs(env, 'marketer');
    const put = (key: string, text: string) =>
      marketer.agent.put(`/api/console/replies/${key}`).set('X-CSRF-Token', marketer.csrf).send({ text, version: 0 });
    const edited = await put('inbox.closedAsked', '現在是下班時間，{next_opening} 會有專人回覆您 🙏').expect(200);
    expect(edited.body.reply.preview).toMatchObject({ text: '現在是下班時間，明天（週四）10:00 會有專人回覆您 🙏' });
    await put('inbox.closedImage', '收到您的{media}了！{next_opening} 同仁上線後會幫您看。').expect(200);
    await put('inbox.closedUnanswered', '想找真人的話，{next_opening} 起都有同仁在。').expect(200);
    // An unknown variable is refused in zh-TW, and nothing is stored.
    const bad = await put('inbox.closedAsked', '{when_open} 見！').expect(400);
    expect(bad.body.error.details.fields).toEqual([
      { path: 'text', message: expect.stringContaining('不認得的變數 {when_open}') },
    ]);

    const u = await chatUser();
    now = at('2026-12-02T22:00:00');
    expect((await u.say('真人客服')).texts).toEqual(['現在是下班時間，明天（週四）10:00 會有專人回覆您 🙏']);
    expect((await u.image()).texts).toEqual(['收到您的照片了！明天（週四）10:00 同仁上線後會幫您看。']);
    expect((await u.say('嗚啦啦巴拉巴拉')).texts[0]).toMatch(/想找真人的話，明天（週四）10:00 起都有同仁在。$/);
  });

  it('refuses a 客服時間 edit with zh-TW field errors, and the stored hours stay as they were', async () => {
    const admin = await loginAs(env, 'admin');
    const before = await Settings.findOne({ key: 'program' }).lean();
    const send = (inbox: object) =>
      admin.agent.put('/api/console/settings/program').set('X-CSRF-Token', admin.csrf).send({ inbox });
    const zero = await send({ autoResumeHours: 0 }).expect(400);
    expect(zero.body.error.details.fields).toContainEqual({
      path: 'inbox.autoResumeHours',
      message: '自動恢復時間至少 1 小時',
    });
    const time = await send({ openingHours: [null, { open: '9點', close: '18:00' }, null, null, null, null, null] });
    expect(time.status).toBe(400);
    expect(time.body.error.details.fields).toContainEqual({
      path: 'inbox.openingHours.1.open',
      message: '開始時間請用 HH:mm 格式（00:00–24:00）',
    });
    const six = await send({ openingHours: [null, null, null, null, null, null] }).expect(400);
    expect(six.body.error.details.fields).toContainEqual({
      path: 'inbox.openingHours',
      message: '營業時間需要設定一週七天',
    });
    expect((await Settings.findOne({ key: 'program' }).lean())?.value).toEqual(before?.value);
  });
});

describe('#13.5 an open conversation outside 客服時間: the customer is told once per closed period', () => {
  /** A member whose conversation a colleague took during hours (Wednesday noon), with the bot paused. */
  async function handedOver(name?: string) {
    const admin = await loginAs(env, 'admin');
    await admin.agent
      .put('/api/console/settings/program')
      .set('X-CSRF-Token', admin.csrf)
      .send({ inbox: { openingHours: HOURS, autoResumeHours: 72 } })
      .expect(200);
    const u = await chatUser(name);
    expect((await u.say('真人客服')).texts[0]).toContain('已經請客服同仁來協助您');
    const c = await Conversation.findOne({ lineUserId: u.userId, status: 'open' }).lean();
    return { u, c: c! };
  }
  const notices = (conversationId: Types.ObjectId) =>
    InboxMessage.find({ conversationId, key: /^closed-hours:/ })
      .sort({ at: 1 })
      .lean();

  it('#13.5 closed-hours notice: sent once per closed period, silent for the 2nd/3rd message, again the next evening', async () => {
    const { u, c } = await handedOver('黃先生');
    now = at('2026-12-02T20:30:00'); // Wednesday, after 19:00: the first message of the evening gets the notice
    const first = await u.say('請問我的訂單寄出了嗎');
    expect(first.texts).toEqual(['目前是非客服時間，同仁會在 明天（週四）10:00 回覆您，訊息我們都收到了，請稍候 🙏']);
    now = at('2026-12-02T20:45:00');
    expect((await u.say('訂單編號是 A1234')).texts).toEqual([]);
    now = at('2026-12-03T08:30:00'); // Thursday morning, still the same closed period (opens 10:00)
    expect((await u.image()).texts).toEqual([]);
    now = at('2026-12-03T11:00:00'); // during hours: the bot stays paused and says nothing
    expect((await u.say('還在嗎')).texts).toEqual([]);
    now = at('2026-12-03T19:30:00'); // Thursday evening: a new closed period, a new notice
    expect((await u.say('謝謝，明天再等你們')).texts).toEqual([
      '目前是非客服時間，同仁會在 明天（週五）10:00 回覆您，訊息我們都收到了，請稍候 🙏',
    ]);

    // Kept in the transcript (the agents see what the customer was told), once per period, keyed by its opening.
    const kept = await notices(c._id);
    expect(kept.map((m) => [m.direction, m.key])).toEqual([
      ['out', `closed-hours:${String(c._id)}:${at('2026-12-03T10:00:00').toISOString()}`],
      ['out', `closed-hours:${String(c._id)}:${at('2026-12-04T10:00:00').toISOString()}`],
    ]);
    // Every customer message is in the conversation, and it is still open and waiting for us.
    expect(await InboxMessage.countDocuments({ conversationId: c._id, direction: 'in' })).toBe(6);
    expect(await Conversation.findById(c._id).lean()).toMatchObject({ status: 'open', waiting: true });
    // On the member's timeline as the bot's answer, naming what answered.
    const member = await u.member();
    const answers = await Interaction.find({ memberId: member!._id, summary: /目前是非客服時間/ }).lean();
    expect(answers).toHaveLength(2);
    expect(answers[0]).toMatchObject({
      channel: 'line',
      summary: expect.stringContaining('非客服時間通知'),
      refs: expect.objectContaining({ answeredBy: { by: 'inbox', label: '非客服時間通知' } }),
    });

    // The conversation view lists the notice after the message it answered.
    const staff = await loginAs(env, 'staff');
    const view = await staff.agent.get(`/api/console/inbox/${String(c._id)}`).expect(200);
    const texts = view.body.messages.map((m: { direction: string; text: string }) => `${m.direction}:${m.text}`);
    expect(texts.slice(0, 3)).toEqual([
      'in:真人客服',
      'in:請問我的訂單寄出了嗎',
      expect.stringMatching(/^out:目前是非客服時間/),
    ]);
  });

  it('#13.5 closed-hours notice: exactly once per period; a retried event gets the same notice, another message none', async () => {
    const { c } = await handedOver();
    now = at('2026-12-05T18:00:00'); // Saturday after 17:00: next opening Monday 10:00
    const input = { conversation: c, messageKey: 'in:evt-1', now, timeZone: env.config.timeZone };
    const text = await claimClosedHoursNotice(input);
    expect(text).toBe('目前是非客服時間，同仁會在 週一（12/7）10:00 回覆您，訊息我們都收到了，請稍候 🙏');
    // The same event processed again (a crash before the reply): the same text, still one notice stored.
    expect(await claimClosedHoursNotice({ ...input, now: at('2026-12-05T18:00:01') })).toBe(text);
    // Another message of the same period (Sunday is 公休: still the period before Monday's opening): nothing.
    const sunday = at('2026-12-06T15:00:00');
    expect(await claimClosedHoursNotice({ ...input, messageKey: 'in:evt-2', now: sunday })).toBeNull();
    expect(await notices(c._id)).toHaveLength(1);
    // During hours nothing is said or stored.
    const monday = at('2026-12-07T10:30:00');
    expect(await claimClosedHoursNotice({ ...input, messageKey: 'in:evt-3', now: monday })).toBeNull();
    expect(await notices(c._id)).toHaveLength(1);
  });

  it("#13.5 closed-hours notice: the marketer's edit with {next_opening} is what the customer reads", async () => {
    const marketer = await loginAs(env, 'marketer');
    const put = (text: string) =>
      marketer.agent
        .put('/api/console/replies/inbox.closedHoursNotice')
        .set('X-CSRF-Token', marketer.csrf)
        .send({ text, version: 0 });
    const bad = await put('{opening_time} 見！').expect(400);
    expect(bad.body.error.details.fields).toEqual([
      { path: 'text', message: expect.stringContaining('不認得的變數 {opening_time}') },
    ]);
    const edited = await put('小編下班囉，{next_opening} 一上班就回您！').expect(200);
    expect(edited.body.reply.preview).toMatchObject({ text: '小編下班囉，明天（週四）10:00 一上班就回您！' });
    const { u } = await handedOver();
    now = at('2026-12-02T23:10:00');
    expect((await u.say('在嗎')).texts).toEqual(['小編下班囉，明天（週四）10:00 一上班就回您！']);
  });
});
