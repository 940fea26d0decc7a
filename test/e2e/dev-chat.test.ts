import type { Browser, Page } from 'playwright-core';
import { Member } from '../../models/member.model';
import { WebhookEvent } from '../../models/webhook-event.model';
import { loginAs } from '../factories/console.factory';
import { startTestEnv, type TestEnv } from '../helpers/test-env';
import { launchChromium, watchErrors } from './liff-browser';

/**
 * The dev chat page as a newcomer uses it: create a LINE user, add the bot as a friend, accept the consent notice
 * with a quick reply, type a message. Everything goes page → emulator → signed webhook → bot → emulator → page.
 */
describe('dev chat page (local mode)', () => {
  let env: TestEnv;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [env, browser] = await Promise.all([startTestEnv(), launchChromium()]);
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-TW' })).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await env?.close();
  });

  it('follows, answers a quick reply and gets replies to typed text', async () => {
    const errors = watchErrors(page);
    await page.goto(`${env.url}/dev/chat`);
    await page.locator('#newName').fill('開發者小王');
    await page.getByRole('button', { name: '新增使用者' }).click();
    await page.locator('#who', { hasText: '開發者小王' }).waitFor();

    await page.locator('#followBtn').click();
    // The welcome and the consent notice arrive; the notice carries the accept/decline quick replies.
    const accept = page.locator('#quick .chip', { hasText: '同意' }).first();
    await accept.waitFor({ timeout: 15_000 });
    const member = await Member.findOne({ displayName: '開發者小王' }).lean();
    expect(member?.status).toBe('active');

    await accept.click();
    await page.waitForFunction(() => document.querySelectorAll('#chat .row.user').length >= 1);

    const botRowsBefore = await page.locator('#chat .row.bot').count();
    await page.locator('#text').fill('說明');
    await page.locator('#bar button.send').click();
    await page.locator('#chat .row.user', { hasText: '說明' }).waitFor();
    await page.waitForFunction((n) => document.querySelectorAll('#chat .row.bot').length > n, botRowsBefore, {
      timeout: 15_000,
    });

    // The reply is sent before the event is marked done: wait for the mark rather than racing it.
    const typedStatus = async () =>
      (await WebhookEvent.findOne({ type: 'message', 'payload.message.text': '說明' }).lean())?.status;
    for (let i = 0; i < 50 && (await typedStatus()) !== 'done'; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await typedStatus()).toBe('done');
    const consented = await Member.findById(member!._id).lean();
    expect(consented?.consent?.status).toBe('accepted');
    expect(errors).toEqual([]);
  });

  it('taps a tab of a two-tab rich menu: the alias switches the menu shown and the bot gets the switch postback', async () => {
    const errors = watchErrors(page);
    const marketer = await loginAs(env, 'marketer');
    const api = (method: 'post' | 'put', path: string, body?: object) =>
      marketer.agent[method](`/api/console/richmenus${path}`)
        .set('X-CSRF-Token', marketer.csrf)
        .send(body ?? {});
    const tabTiles = (labels: string[]) =>
      labels.map((label) => ({ label, hint: '', action: { type: 'keyword', text: label } }));
    const labels = ['會員專區', '最新活動'];
    const a = await api('post', '', {
      name: '分頁 A',
      chatBarText: '會員選單',
      layout: 'tabs2',
      tabs: { labels, index: 0 },
      tiles: tabTiles(['會員卡', '點數', '優惠券', '推薦', '門市', '說明']),
      rule: { kind: 'member', priority: 50 },
    }).expect(201);
    const b = await api('post', '', {
      name: '分頁 B',
      chatBarText: '會員選單',
      layout: 'tabs2',
      tabs: { labels, index: 1, peerId: a.body.menu.id },
      tiles: tabTiles(['本月新品', '週末快閃', '生日禮', '集點活動', '門市活動', '更多優惠']),
    }).expect(201);
    await api('put', `/${a.body.menu.id}`, {
      name: '分頁 A',
      chatBarText: '會員選單',
      layout: 'tabs2',
      tabs: { labels, index: 0, peerId: b.body.menu.id },
      tiles: tabTiles(['會員卡', '點數', '優惠券', '推薦', '門市', '說明']),
      rule: { kind: 'member', priority: 50 },
    }).expect(200);
    await api('post', `/${a.body.menu.id}/publish`).expect(200);
    await api('post', `/${b.body.menu.id}/publish`).expect(200);

    await page.goto(`${env.url}/dev/chat`);
    await page.locator('#newName').fill('分頁小林');
    await page.getByRole('button', { name: '新增使用者' }).click();
    await page.locator('#who', { hasText: '分頁小林' }).waitFor();
    await page.locator('#followBtn').click();
    const accept = page.locator('#quick .chip', { hasText: '同意' }).first();
    await accept.waitFor({ timeout: 15_000 });
    await accept.click();

    // A member now: the member menu (tab A) is linked and shown under the chat.
    const toggle = page.locator('#menuToggle');
    await toggle.waitFor({ state: 'visible', timeout: 15_000 });
    const area = (title: string) => page.locator(`#menuImg .area[title="${title}"]`);
    if (!(await area('最新活動').isVisible())) await toggle.click();
    await area('會員卡').waitFor({ timeout: 10_000 });
    await area('最新活動').click();

    // Tab B is shown (its own tiles and the way back to tab A) …
    await area('本月新品').waitFor({ timeout: 10_000 });
    expect(await area('會員卡').count()).toBe(0);
    expect(await area('會員專區').count()).toBe(1);
    // … and the bot received the switch as LINE sends it: a postback whose params name the alias and SUCCESS.
    const member = await Member.findOne({ displayName: '分頁小林' }).lean();
    const switched = async () =>
      WebhookEvent.findOne({
        userId: member!.lineUserId,
        type: 'postback',
        'payload.postback.params.newRichMenuAliasId': { $exists: true },
      }).lean();
    for (let i = 0; i < 50 && !(await switched()); i++) await new Promise((r) => setTimeout(r, 100));
    const event: any = await switched();
    expect(event?.payload?.postback?.params).toEqual({ newRichMenuAliasId: `hg-${b.body.menu.id}`, status: 'SUCCESS' });

    await area('會員專區').click();
    await area('會員卡').waitFor({ timeout: 10_000 });
    expect(errors).toEqual([]);
  });
});
