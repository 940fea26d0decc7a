import type { Browser, Page } from 'playwright-core';
import { ReplyTemplate } from '../../models/reply-template.model';
import { startTestEnv, type TestEnv } from '../helpers/test-env';
import { launchChromium, watchErrors } from './liff-browser';
import { createConsoleAccount, desktopContext, ensureConsoleBuilt, signIn } from './console-browser';

/**
 * #13.1 the 「訊息內容」 editor in headless Chromium: a marketer edits the greeting with a variable chip, sees the
 * server's field error for an unknown variable before saving, saves, and the next follower receives the new text;
 * then restores the default from the same page.
 */
describe('#13.1 console 訊息內容 editor in Chromium', () => {
  let env: TestEnv;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    ensureConsoleBuilt();
    [env, browser] = await Promise.all([startTestEnv(), launchChromium()]);
    const marketer = await createConsoleAccount(env, 'marketer', 'yun', '行銷 小芸');
    page = await (await desktopContext(browser)).newPage();
    errors = watchErrors(page);
    await signIn(page, env.url, marketer);
  });
  afterAll(async () => {
    await browser?.close();
    await env?.close();
  });

  it('edits the greeting with a variable chip, shows a field error, saves, and restores the default', async () => {
    await page.getByRole('link', { name: '訊息內容' }).click();
    await page.getByTestId('reply-list').waitFor();
    await page.locator('[data-key="welcome.body"]').click();
    const editor = page.getByTestId('reply-editor');
    await editor.waitFor();
    const area = page.getByTestId('reply-text');
    expect(await area.inputValue()).toContain('{completion_points}');

    await area.fill('歡迎光臨 {coupon}');
    await editor.getByText('不認得的變數 {coupon}').waitFor();
    await area.fill('歡迎光臨小樹咖啡 ☕ ');
    await area.evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(0, 0));
    await page
      .getByTestId('reply-vars')
      .getByRole('button', { name: /會員名稱/ })
      .click();
    expect(await area.inputValue()).toBe('{name}歡迎光臨小樹咖啡 ☕ ');
    await area.fill('{name} 歡迎光臨小樹咖啡 ☕ 問答送 {completion_points} 點');
    await page.getByTestId('line-preview').getByText('王小明 歡迎光臨小樹咖啡 ☕ 問答送 50 點').waitFor();
    await page.getByTestId('reply-save').click();
    await editor.getByText('已儲存，下一則訊息起套用。').waitFor();
    expect(await ReplyTemplate.findOne({ key: 'welcome.body' }).lean()).toMatchObject({
      version: 1,
      updatedByName: '行銷 小芸',
    });
    await page.getByTestId('reply-history').getByText('第 1 版').waitFor();

    const u = await env.emulator.createUser('林小姐');
    await env.emulator.follow(u.userId);
    const inbox = await env.emulator.messages(u.userId, 1);
    expect(inbox[0].message.contents.body.contents[1].text).toBe('林小姐 歡迎光臨小樹咖啡 ☕ 問答送 50 點');

    page.once('dialog', (d) => void d.accept());
    await editor.getByRole('button', { name: '恢復預設' }).click();
    await page.getByTestId('reply-history').getByText('第 2 版').waitFor();
    expect(await area.inputValue()).toContain('謝謝您加入我們的 LINE 好友');
    expect((await ReplyTemplate.findOne({ key: 'welcome.body' }).lean())?.text).toBeNull();
    expect(errors).toEqual([]);
  });
});
