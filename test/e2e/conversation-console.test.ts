import type { Browser, Page } from 'playwright-core';
import { closeInbox } from '../helpers/inbox-closed';
import { startTestEnv, type TestEnv } from '../helpers/test-env';
import { consentedUser } from '../integration/bot/chat-driver';
import { launchChromium, watchErrors } from './liff-browser';
import { createConsoleAccount, desktopContext, ensureConsoleBuilt, signIn } from './console-browser';

/**
 * #13.6 in the browser: a question the bot could not answer shows up in 未回覆的問題 with its count; one click and an
 * answer turn it into an FAQ entry (listed in 常見問題), and the next customer who asks gets the answer.
 */
describe('#13.6 console: unanswered phrases become FAQ entries in one click', () => {
  let env: TestEnv;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    ensureConsoleBuilt();
    [env, browser] = await Promise.all([startTestEnv(), launchChromium()]);
    await closeInbox(); // both phrases get the fallback, neither is handed to a colleague (#13.5)
    page = await (await desktopContext(browser)).newPage();
    errors = watchErrors(page);
  });
  afterAll(async () => {
    await browser?.close();
    await env?.close();
  });
  afterEach(() => expect(errors).toEqual([]));

  it('lists the phrase, turns it into an FAQ entry, and the chat answers it', async () => {
    const marketer = await createConsoleAccount(env, 'marketer', 'mei', '行銷 美玲');
    const customer = await consentedUser(env);
    for (let i = 0; i < 8; i++) await customer.say('略過');
    await customer.say('有停車場嗎？');
    await customer.say('有停車場嗎');
    await signIn(page, env.url, marketer);

    await page.getByRole('link', { name: '未回覆的問題' }).click();
    const row = page.getByTestId('unanswered-table').locator('tr', { hasText: '有停車場嗎' });
    await row.waitFor();
    expect(await row.locator('td').nth(1).textContent()).toBe('2');
    await row.getByRole('button', { name: '變成常見問題' }).click();
    await page.getByRole('button', { name: '新增為常見問題' }).click();
    await page.getByText('請輸入回答').waitFor();
    await page.getByLabel('回答').fill('信義店 B2 有特約停車場，消費滿 NT$500 折抵 1 小時 🚗');
    await page.getByRole('button', { name: '新增為常見問題' }).click();
    await page.getByText('已新增為常見問題。').waitFor();
    await page.getByText('最近沒有答不出來的問題').waitFor();

    await page.getByRole('link', { name: '常見問題' }).click();
    await page.getByTestId('faq-table').getByText('有停車場嗎').waitFor();
    expect((await customer.say('請問有停車場嗎')).texts[0]).toContain('特約停車場');
  });
});
