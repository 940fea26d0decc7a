import type { Browser, Page } from 'playwright-core';
import { Member } from '../../models/member.model';
import { WebhookEvent } from '../../models/webhook-event.model';
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
});
