import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEventProcessor } from '../../../bot/event-processor';
import { ReplyTemplate } from '../../../models/reply-template.model';
import { ReplyTexts } from '../../../domain/replies/reply-texts.service';
import { createApp } from '../../../server/app';
import { createAppDeps } from '../../../server/deps';
import { zhTW } from '../../../bot/messages/catalogue';
import { entriesOf } from '../../../domain/replies/reply-registry';
import { programText } from '../../../domain/program/program-messages';
import { campaignText } from '../../../domain/campaigns/campaign-text';
import { loginAs, type ConsoleLogin } from '../../factories/console.factory';
import { startTestEnv, type TestEnv } from '../../helpers/test-env';
import { ChatUser } from '../bot/chat-driver';
import { seedDemoData } from '../../../server/demo-seed';

/**
 * #13.1 every customer-facing message is editable: over HTTP (console API) and through the LINE emulator (what a
 * follower receives), on the real stand-in database.
 */
let env: TestEnv;
let marketer: ConsoleLogin;

beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env.close());
beforeEach(async () => {
  await env.resetDb();
  env.deps.replies.invalidate();
  marketer = await loginAs(env, 'marketer', { displayName: '行銷小美' });
});

const put = (who: ConsoleLogin, key: string, body: object) =>
  who.agent.put(`/api/console/replies/${key}`).set('X-CSRF-Token', who.csrf).send(body);
const restore = (who: ConsoleLogin, key: string, body: object) =>
  who.agent.post(`/api/console/replies/${key}/restore`).set('X-CSRF-Token', who.csrf).send(body);
/** The built-in fallback (read from the registry: `zhTW.help.unknown` itself answers with the current wording). */
const DEFAULT_UNKNOWN = entriesOf(zhTW).find((e) => e.key === 'help.unknown')!.defaultTemplate;
const bodyOfCard = (m: any): string => m.contents.body.contents[1].text;

describe('#13.1 every customer-facing message is editable', () => {
  it('lists the texts by group with their defaults (today’s wording) and variables', async () => {
    const res = await marketer.agent.get('/api/console/replies').expect(200);
    const byKey = new Map(res.body.replies.map((r: any) => [r.key, r]));
    for (const key of [
      'welcome.body',
      'consent.notice',
      'consent.accept',
      'help.unknown',
      'program.tierUp',
      'campaign.birthdayGreeting',
    ])
      expect(byKey.has(key)).toBe(true);
    const welcome: any = byKey.get('welcome.body');
    expect(welcome).toMatchObject({ group: '歡迎訊息', kind: 'flex', isDefault: true, version: 0 });
    expect(welcome.vars).toEqual(expect.arrayContaining(['name', 'completion_points', 'birthday_gift', 'card_url']));
    expect(welcome.defaultText).toContain('{completion_points}');
    expect((byKey.get('help.unknown') as any).text).toBe(DEFAULT_UNKNOWN);
    expect((byKey.get('consent.notice') as any).preview.quickReply.items.map((i: any) => i.action.label)).toEqual([
      '同意',
      '不同意',
    ]);
  });

  it('the welcome says the Q&A reward and the birthday gift from the program settings', async () => {
    const admin = await loginAs(env, 'admin');
    await admin.agent
      .put('/api/console/settings/program')
      .set('X-CSRF-Token', admin.csrf)
      .send({ personaCompletionPoints: 80, birthday: { points: 250 } })
      .expect(200);
    const u = await ChatUser.create(env, '阿明');
    const answer = await u.follow();
    const body = bodyOfCard(answer.messages[0]);
    expect(body).toContain('填完會員小問答送 80 點');
    expect(body).toContain('生日還有 250 點 等著您');
  });

  it('an edited greeting is what the next follower receives', async () => {
    const text = '{name} 歡迎光臨小樹咖啡！問答完成送 {completion_points} 點，生日送 {birthday_gift}。';
    const saved = await put(marketer, 'welcome.body', { text, version: 0 }).expect(200);
    expect(saved.body.reply).toMatchObject({ isDefault: false, version: 1, updatedBy: '行銷小美', text });
    expect(bodyOfCard(saved.body.reply.preview)).toBe('王小明 歡迎光臨小樹咖啡！問答完成送 50 點，生日送 100 點。');

    const u = await ChatUser.create(env, '林小姐');
    const answer = await u.follow();
    expect(bodyOfCard(answer.messages[0])).toBe('林小姐 歡迎光臨小樹咖啡！問答完成送 50 點，生日送 100 點。');

    // The data notice's buttons are texts too: the next follower taps the new label.
    const notice = await put(marketer, 'consent.accept', { text: '好，我同意', version: 0 }).expect(200);
    expect(notice.body.reply.text).toBe('好，我同意');
    const v = await ChatUser.create(env, '陳先生');
    const again = await v.follow();
    expect(again.buttons).toEqual(['好，我同意', '不同意']);
  });

  it('an invalid edit is refused with a zh-TW field error and nothing is stored', async () => {
    const unknownVar = await put(marketer, 'welcome.body', { text: '{name} 您好，送您 {coupon}！', version: 0 }).expect(
      400,
    );
    expect(unknownVar.body.error.code).toBe('validation_failed');
    expect(unknownVar.body.error.details.fields).toEqual([
      { path: 'text', message: expect.stringContaining('不認得的變數 {coupon}') },
    ]);
    const empty = await put(marketer, 'help.unknown', { text: '   ', version: 0 }).expect(400);
    expect(empty.body.error.details.fields).toEqual([{ path: 'text', message: '請輸入訊息內容。' }]);
    // A quick-reply label longer than LINE allows (20) is caught by the product's LINE validator.
    const label = await put(marketer, 'consent.accept', {
      text: '我同意並且已經詳細閱讀了以上全部的說明內容',
      version: 0,
    }).expect(400);
    expect(label.body.error.details.fields[0]).toMatchObject({ path: 'text', message: expect.stringMatching(/20/) });
    // 5,000 characters is LINE's limit for a text message: exactly 5,000 is fine, over it once {tier} is filled is not.
    const atLimit = await put(marketer, 'consent.declined', { text: '字'.repeat(5000), version: 0 }).expect(200);
    expect(atLimit.body.reply.version).toBe(1);
    const over = await put(marketer, 'program.tierUp', { text: `${'字'.repeat(4998)}{tier}`, version: 0 }).expect(400);
    expect(over.body.error.details.fields[0].path).toBe('text');
    // The editor's live preview says the same before any save, and stores nothing either.
    const draft = await marketer.agent
      .post('/api/console/replies/consent.notice/preview')
      .set('X-CSRF-Token', marketer.csrf)
      .send({ text: '請問您同意嗎？{points}' })
      .expect(200);
    expect(draft.body).toEqual({
      preview: null,
      fields: [{ path: 'text', message: expect.stringContaining('{points}') }],
    });
    const fine = await marketer.agent
      .post('/api/console/replies/consent.notice/preview')
      .set('X-CSRF-Token', marketer.csrf)
      .send({ text: '請問您同意我們使用這些資料嗎？' })
      .expect(200);
    expect(fine.body.fields).toEqual([]);
    expect(fine.body.preview.quickReply.items.map((i: any) => i.action.label)).toEqual(['同意', '不同意']);
    const badBody = await put(marketer, 'help.text', { text: 42 }).expect(400);
    expect(badBody.body.error.details.fields.map((f: any) => f.path).sort()).toEqual(['text', 'version']);
    expect(
      await ReplyTemplate.countDocuments({
        key: {
          $in: ['welcome.body', 'consent.accept', 'consent.notice', 'program.tierUp', 'help.text', 'help.unknown'],
        },
      }),
    ).toBe(0);

    const u = await ChatUser.create(env);
    const answer = await u.follow();
    expect(answer.buttons).toEqual(['同意', '不同意']);
  });

  it('keeps the history, restores an earlier version and the default, and refuses a stale edit', async () => {
    await put(marketer, 'help.unknown', { text: '抱歉我聽不懂，輸入「說明」看看 🙇', version: 0 }).expect(200);
    await put(marketer, 'help.unknown', { text: '這句我還不會，試試「點數」或「說明」', version: 1 }).expect(200);
    const stale = await put(marketer, 'help.unknown', { text: '晚來的修改', version: 1 }).expect(409);
    expect(stale.body.error).toMatchObject({
      code: 'reply_version_conflict',
      message: expect.stringContaining('已被其他人修改'),
    });

    const history = await marketer.agent.get('/api/console/replies/help.unknown/history').expect(200);
    expect(history.body.versions.map((v: any) => [v.version, v.action, v.text])).toEqual([
      [2, 'edit', '這句我還不會，試試「點數」或「說明」'],
      [1, 'edit', '抱歉我聽不懂，輸入「說明」看看 🙇'],
    ]);
    expect(history.body.versions[0].by).toBe('行銷小美');

    const back = await restore(marketer, 'help.unknown', { version: 2, toVersion: 1 }).expect(200);
    expect(back.body.reply).toMatchObject({ version: 3, text: '抱歉我聽不懂，輸入「說明」看看 🙇', isDefault: false });
    const u = await ChatUser.create(env);
    await u.follow();
    // The fallback opens an inbox conversation (#13.5): the edited text comes first, then the handoff sentence.
    expect((await u.say('今天天氣如何')).texts.at(-1)).toMatch(/^抱歉我聽不懂，輸入「說明」看看 🙇\n/);

    const reset = await restore(marketer, 'help.unknown', { version: 3 }).expect(200);
    expect(reset.body.reply).toMatchObject({ version: 4, isDefault: true, text: DEFAULT_UNKNOWN });
    const u2 = await ChatUser.create(env);
    await u2.follow();
    expect((await u2.say('今天天氣如何')).texts.at(-1)?.startsWith(`${DEFAULT_UNKNOWN}\n`)).toBe(true);
    const after = await marketer.agent.get('/api/console/replies/help.unknown/history').expect(200);
    expect(after.body.versions[0]).toMatchObject({ version: 4, action: 'default', text: null });
    await restore(marketer, 'help.unknown', { version: 4, toVersion: 99 }).expect(404);
    await marketer.agent.get('/api/console/replies/no.such.key').expect(404);
  });

  it('program texts jobs send are editable too (tier up, birthday)', async () => {
    await put(marketer, 'program.tierUp', { text: '恭喜成為{tier}！點數 {multiplier} 倍送 🎉', version: 0 }).expect(
      200,
    );
    const msg = await env.deps.replies.run(async () => programText.tierUp('金卡', 1.5, '・消費點數 1.5 倍'));
    expect(msg).toBe('恭喜成為金卡！點數 1.5 倍送 🎉');
    await put(marketer, 'campaign.birthdayGreeting', { text: '{name} 生日快樂 🎂', version: 0 }).expect(200);
    expect(await env.deps.replies.run(async () => campaignText.birthdayGreeting('小美'))).toBe('小美 生日快樂 🎂');
    expect(await env.deps.replies.run(async () => campaignText.birthdayGreeting(''))).toBe('生日快樂 🎂');
  });

  it('staff may not read or edit the texts (server-side role check)', async () => {
    const staff = await loginAs(env, 'staff');
    const list = await staff.agent.get('/api/console/replies').expect(403);
    expect(list.body.error.code).toBe('forbidden');
    await put(staff, 'welcome.body', { text: '員工改的', version: 0 }).expect(403);
    await restore(staff, 'welcome.body', { version: 0 }).expect(403);
    expect(await ReplyTemplate.countDocuments({})).toBe(0);
    const admin = await loginAs(env, 'admin');
    await admin.agent.get('/api/console/replies/welcome.title').expect(200);
  });

  it('leaves /api/console/replies/rules to the auto-reply rules', async () => {
    const res = await marketer.agent.get('/api/console/replies/rules');
    expect(res.body.error?.code).not.toBe('reply_not_found');
  });

  it('a second app instance sharing the database sees the edit once its copy is older than the TTL', async () => {
    let fakeMs = 0;
    const config = { ...env.config, replies: { cacheTtlMs: 2000 } };
    const depsB = createAppDeps(config, {
      messenger: env.deps.messenger,
      clock: env.deps.clock,
      logger: env.deps.logger,
    });
    depsB.replies = new ReplyTexts({
      catalogues: [zhTW, programText, campaignText],
      ttlMs: 2000,
      cardUrl: () => depsB.links.card(),
      nowMs: () => fakeMs,
    });
    const eventsB = createEventProcessor(depsB, { concurrency: 2, maxQueued: 100 });
    const serverB = http.createServer(createApp(depsB, { events: eventsB }));
    await new Promise<void>((r) => serverB.listen(0, '127.0.0.1', r));
    env.local.emulator!.setWebhookUrl(`http://127.0.0.1:${(serverB.address() as AddressInfo).port}/webhook`);
    try {
      const first = await ChatUser.create(env, '第一位');
      expect(bodyOfCard((await first.follow()).messages[0])).toContain('謝謝您加入我們的 LINE 好友');

      // Saved through instance A (env): B still answers from its copy until the TTL passes …
      await put(marketer, 'welcome.body', { text: '{name} 歡迎！B 也看得到', version: 0 }).expect(200);
      fakeMs += 1000;
      const second = await ChatUser.create(env, '第二位');
      expect(bodyOfCard((await second.follow()).messages[0])).toContain('謝謝您加入我們的 LINE 好友');
      // … then reads the store again.
      fakeMs += 1500;
      const third = await ChatUser.create(env, '第三位');
      expect(bodyOfCard((await third.follow()).messages[0])).toBe('第三位 歡迎！B 也看得到');
    } finally {
      env.local.emulator!.setWebhookUrl(`${env.url}/webhook`);
      await new Promise<void>((r) => serverB.close(() => r()));
      await eventsB.stop();
    }
  });

  it('the demo brand greets in its own words, and a re-seed keeps what the marketer changed', async () => {
    const seed = () =>
      seedDemoData({
        messenger: env.deps.messenger,
        now: new Date('2026-11-25T04:00:00Z'),
        timeZone: 'Asia/Taipei',
        erasureSecret: env.config.privacy.erasureHmacSecret,
        replies: env.deps.replies,
      });
    await seed();
    const seeded = await marketer.agent.get('/api/console/replies/welcome.body').expect(200);
    expect(seeded.body.reply).toMatchObject({ version: 1, isDefault: false, updatedBy: '示範資料' });
    expect(seeded.body.reply.text).toContain('{completion_points}');
    await put(marketer, 'welcome.body', { text: '{name} 您好！歡迎來到我們的小店', version: 1 }).expect(200);
    await seed();
    const kept = await marketer.agent.get('/api/console/replies/welcome.body').expect(200);
    expect(kept.body.reply).toMatchObject({ version: 2, text: '{name} 您好！歡迎來到我們的小店' });
  });
});
