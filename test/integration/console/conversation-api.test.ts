import { AutoReplyRule } from '../../../models/auto-reply-rule.model';
import { Coupon } from '../../../models/coupon.model';
import { FaqEntry } from '../../../models/faq-entry.model';
import { loginAs, type ConsoleLogin } from '../../factories/console.factory';
import { createTemplate } from '../../factories/program.factory';
import { closeInbox } from '../../helpers/inbox-closed';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { ChatUser, consentedUser } from '../bot/chat-driver';

/** /api/console/faq and /api/console/replies/rules (#13.2) and 「未回覆的問題」 (#13.6), over real HTTP. */
describe('#13.2 FAQ and auto-reply rules in the console', () => {
  let env: TestEnv;
  let marketer: ConsoleLogin;
  beforeAll(async () => {
    env = await startTestEnv();
    marketer = await loginAs(env, 'marketer');
    await closeInbox();
  });
  afterAll(async () => {
    await env.close();
  });

  const send = (who: ConsoleLogin, method: 'post' | 'put' | 'delete', path: string, body?: unknown) =>
    who.agent[method](`/api/console${path}`)
      .set('X-CSRF-Token', who.csrf)
      .send(body as object);

  it('refuses staff server-side, for reads and writes', async () => {
    const staff = await loginAs(env, 'staff');
    for (const path of ['/faq', '/faq/unanswered', '/replies/rules'])
      expect((await staff.agent.get(`/api/console${path}`)).status).toBe(403);
    const res = await send(staff, 'post', '/faq', { question: '營業時間', answer: '10:00–22:00' });
    expect(res.status).toBe(403);
    expect(await FaqEntry.countDocuments()).toBe(0);
  });

  it('creates, edits and deletes an FAQ entry the chat answers from at once', async () => {
    const u = await consentedUser(env);
    for (let i = 0; i < 8; i++) await u.say('略過');
    expect((await u.say('可以帶外食進去嗎')).all).toContain('不好意思，我還不太懂這句話');

    const created = await send(marketer, 'post', '/faq', {
      question: '可以帶外食嗎',
      alternatives: ['門市可以吃東西嗎', '可以邊逛邊喝飲料嗎'],
      answer: '可以的！飲料請加蓋 🥤 生日禮是 {birthday_points} 點喔',
    }).expect(201);
    expect((await u.say('可以帶外食進去嗎')).texts[0]).toBe('可以的！飲料請加蓋 🥤 生日禮是 100 點喔');

    const id = created.body.entry.id;
    await send(marketer, 'put', `/faq/${id}`, {
      question: '可以帶外食嗎',
      answer: '目前門市不開放外食，敬請見諒。',
      active: true,
    }).expect(200);
    expect((await u.say('可以帶外食嗎')).texts[0]).toBe('目前門市不開放外食，敬請見諒。');
    const list = await marketer.agent.get('/api/console/faq').expect(200);
    expect(list.body.entries).toEqual([expect.objectContaining({ id, alternatives: [] })]);
    expect(list.body.variables).toContain('birthday_points');

    await send(marketer, 'delete', `/faq/${id}`).expect(200);
    expect((await u.say('可以帶外食嗎')).all).toContain('不好意思，我還不太懂這句話');
    expect((await send(marketer, 'delete', `/faq/${id}`)).status).toBe(404);
  });

  it('refuses a bad FAQ entry with zh-TW field errors and stores nothing', async () => {
    const bad = await send(marketer, 'post', '/faq', { question: '', answer: '您好 {nmae}', extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    const paths = bad.body.error.details.fields.map((f: { path: string }) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['question']));
    expect(JSON.stringify(bad.body)).toMatch(/請輸入問題/);
    const unknownVar = await send(marketer, 'post', '/faq', { question: '問題', answer: '您好 {nmae}' });
    expect(unknownVar.status).toBe(400);
    expect(unknownVar.body.error.details.fields).toEqual([{ path: 'answer', message: '不認得的變數：{nmae}' }]);
    expect(await FaqEntry.countDocuments()).toBe(0);
  });

  it('a coupon rule issues through the coupon domain once per member, adds its tags, and only in its hours', async () => {
    const template = await createTemplate({ title: '夜貓折價券' });
    const rule = await send(marketer, 'post', '/replies/rules', {
      name: '夜貓優惠',
      mode: 'any',
      words: ['夜貓', '宵夜'],
      priority: 5,
      reply: { kind: 'coupon', couponTemplateId: template.id, text: '晚安！{name}' },
      tags: ['夜貓族'],
    }).expect(201);
    const u = await ChatUser.create(env, '阿明');
    await u.follow();
    await u.tap('consent:accept');
    for (let i = 0; i < 8; i++) await u.say('略過');
    const a = await u.say('有夜貓優惠嗎');
    expect(a.texts[0]).toContain('晚安！阿明');
    expect(a.texts[0]).toContain('送您一張「夜貓折價券」');
    const member = await u.member();
    expect(member?.tags.map((t) => t.tag)).toContain('夜貓族');
    await u.say('宵夜');
    expect(await Coupon.countDocuments({ memberId: member!._id })).toBe(1);

    // Only on a day that is not today: the rule is off and the text falls through.
    const weekday = new Date(env.deps.clock().getTime() + 8 * 3600_000).getUTCDay();
    await send(marketer, 'put', `/replies/rules/${rule.body.rule.id}`, {
      ...rule.body.rule,
      id: undefined,
      updatedAt: undefined,
      days: [(weekday + 1) % 7],
    }).expect(200);
    expect((await u.say('宵夜')).all).not.toContain('晚安');
    const list = await marketer.agent.get('/api/console/replies/rules').expect(200);
    expect(list.body.rules).toEqual([expect.objectContaining({ name: '夜貓優惠', days: [(weekday + 1) % 7] })]);
  });

  it('refuses a rule whose reply breaks the LINE rules or names no live coupon, and stores nothing', async () => {
    const before = await AutoReplyRule.countDocuments();
    const flex = await send(marketer, 'post', '/replies/rules', {
      name: '壞 Flex',
      mode: 'exact',
      words: ['menu'],
      reply: { kind: 'flex', flex: { type: 'flex', altText: '', contents: { type: 'bubble', body: { type: 'box' } } } },
    });
    expect(flex.status).toBe(400);
    expect(flex.body.error.details.fields.every((f: { path: string }) => f.path.startsWith('reply.flex'))).toBe(true);
    const coupon = await send(marketer, 'post', '/replies/rules', {
      name: '沒這張券',
      mode: 'exact',
      words: ['券'],
      reply: { kind: 'coupon', couponTemplateId: '0123456789abcdef01234567' },
    });
    expect(coupon.status).toBe(400);
    expect(coupon.body.error.details.fields).toEqual([
      { path: 'reply.couponTemplateId', message: '找不到這張優惠券，或它已經停用' },
    ]);
    const hours = await send(marketer, 'post', '/replies/rules', {
      name: '只有開始',
      mode: 'contains',
      words: [],
      from: '25:00',
      reply: { kind: 'text', text: 'x' },
    });
    expect(hours.status).toBe(400);
    expect(JSON.stringify(hours.body.error.details.fields)).toMatch(/請至少輸入一個關鍵字|時間請用 HH:mm 格式/);
    expect(await AutoReplyRule.countDocuments()).toBe(before);
  });
});

describe('#13.6 未回覆的問題', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv();
    await closeInbox();
  });
  afterAll(async () => {
    await env.close();
  });

  it('lists the fallback phrases of the last 30 days with counts; one click turns one into an FAQ entry', async () => {
    const marketer = await loginAs(env, 'marketer');
    const u = await consentedUser(env);
    for (let i = 0; i < 8; i++) await u.say('略過');
    await u.say('有停車位嗎？');
    await u.say('有停車位嗎');
    await u.say('可以預約嗎');
    const list = await marketer.agent.get('/api/console/faq/unanswered').expect(200);
    expect(list.body.days).toBe(30);
    expect(list.body.phrases).toEqual([
      expect.objectContaining({ phrase: '有停車位', text: '有停車位嗎', count: 2 }),
      expect.objectContaining({ phrase: '可以預約', count: 1 }),
    ]);

    const bad = await marketer.agent
      .post('/api/console/faq/unanswered/to-faq')
      .set('X-CSRF-Token', marketer.csrf)
      .send({ phrase: '有停車位', text: '有停車位嗎', answer: '' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('請輸入回答');
    expect(await FaqEntry.countDocuments()).toBe(0);

    await marketer.agent
      .post('/api/console/faq/unanswered/to-faq')
      .set('X-CSRF-Token', marketer.csrf)
      .send({ phrase: '有停車位', text: '有停車位嗎', answer: '信義店 B2 有特約停車場，消費滿 NT$500 折抵 1 小時。' })
      .expect(201);
    const after = await marketer.agent.get('/api/console/faq/unanswered').expect(200);
    expect(after.body.phrases.map((p: { phrase: string }) => p.phrase)).toEqual(['可以預約']);
    expect((await u.say('有停車位嗎？')).texts[0]).toContain('特約停車場');
  });
});
