import type { Browser, Page } from 'playwright-core';
import { createCannedReply } from '../../domain/inbox/canned-reply.service';
import { startTestEnv, type TestEnv } from '../helpers/test-env';
import { consentedUser } from '../integration/bot/chat-driver';
import { launchChromium, watchErrors } from './liff-browser';
import { createConsoleAccount, desktopContext, ensureConsoleBuilt, signIn } from './console-browser';

/**
 * #13.5 in the browser: a staff member has the 客服訊息 page open; a customer's 真人客服 appears live (SSE), she
 * opens it (read in LINE), answers with a canned reply, and closes it.
 */
describe('#13.5 console inbox in Chromium', () => {
  let env: TestEnv;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    ensureConsoleBuilt();
    [env, browser] = await Promise.all([startTestEnv(), launchChromium()]);
    page = await (await desktopContext(browser)).newPage();
    errors = watchErrors(page);
  });
  afterAll(async () => {
    await browser?.close();
    await env?.close();
  });
  afterEach(() => expect(errors).toEqual([]));

  it('a handoff arrives live, the agent answers with a canned reply and closes it', async () => {
    const staff = await createConsoleAccount(env, 'staff', 'amy', '客服 小美');
    await createCannedReply({ title: '問候', text: '您好，我是客服小美，請問需要什麼協助呢？' }, 'test', new Date());
    await signIn(page, env.url, staff);
    await page.goto(`${env.url}/console/inbox`);
    await page.getByTestId('inbox-list').getByText('目前沒有對話。').waitFor();

    const u = await consentedUser(env, '林佳蓉');
    await u.say('我想找客服');
    const row = page.getByTestId('inbox-row').filter({ hasText: '林佳蓉' });
    await row.getByText('待回覆').waitFor();
    await page.getByTestId('inbox-badge').getByText('1').waitFor();

    await row.click();
    await page.getByTestId('inbox-messages').getByText('我想找客服').waitFor();
    await page.getByTestId('inbox-member').getByText('點數', { exact: true }).waitFor();
    // Opening the conversation marked the customer's message read in LINE.
    for (let i = 0; i < 100 && !(await env.emulator.call<any[]>('GET', '/_emulator/reads')).length; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(await env.emulator.call<any[]>('GET', '/_emulator/reads')).toEqual([
      expect.objectContaining({ userId: u.userId }),
    ]);

    await page.getByLabel('常用回覆').selectOption({ label: '問候' });
    await page.getByPlaceholder('輸入回覆內容').waitFor();
    expect(await page.getByPlaceholder('輸入回覆內容').inputValue()).toBe('您好，我是客服小美，請問需要什麼協助呢？');
    await page.getByRole('button', { name: '送出' }).click();
    await page.getByTestId('inbox-messages').getByText('我是客服小美').waitFor();
    const inbox = await env.emulator.messages(u.userId, 1);
    expect(inbox.at(-1)?.message.text).toContain('我是客服小美');

    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: '結束對話' }).click();
    await page.getByText('這則對話已結束').waitFor();
  });
});
