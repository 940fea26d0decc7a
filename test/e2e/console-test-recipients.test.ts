import type { Browser, Page } from 'playwright-core';
import { startTestEnv, type TestEnv } from '../helpers/test-env';
import { ChatUser } from '../integration/bot/chat-driver';
import { launchChromium, watchErrors } from './liff-browser';
import { createConsoleAccount, desktopContext, ensureConsoleBuilt, signIn } from './console-browser';

/**
 * #12.8 in the browser: a marketer links her own LINE from 我的帳號 with the code the page shows, typed in the chat;
 * the campaign editor's test send then offers exactly the test-recipient list.
 */
describe('#12.8 console: linking my LINE and test-sending to the test-recipient list', () => {
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

  it('links my LINE with a code typed in the chat; the test-send picker then offers exactly it', async () => {
    const marketer = await createConsoleAccount(env, 'marketer', 'mei', '行銷 美玲');
    const phone = await ChatUser.create(env, '美玲的手機');
    await phone.follow();
    await signIn(page, env.url, marketer);

    await page.goto(`${env.url}/console/campaigns/new`);
    await page.getByTestId('campaign-test-send').getByText('還沒有測試對象').waitFor();

    await page.goto(`${env.url}/console/account`);
    const card = page.getByTestId('line-link');
    await card.getByText('尚未連結').waitFor();
    await card.getByRole('button', { name: '產生連結碼' }).click();
    const steps = await card.getByTestId('line-link-steps').textContent();
    const message = /「(連結 [2-9A-HJ-NP-Z]{8})」/.exec(steps ?? '')?.[1];
    expect(message).toBeDefined();
    expect((await phone.say(message!)).texts[0]).toContain('已將這個 LINE 帳號連結到主控台帳號「行銷 美玲」');
    await card.getByRole('button', { name: '我已傳送，重新整理' }).click();
    await card.getByText('已連結您的 LINE').waitFor();

    await page.goto(`${env.url}/console/campaigns/new`);
    const testSend = page.getByTestId('campaign-test-send');
    await testSend.getByRole('combobox', { name: '測試對象' }).waitFor();
    expect(await testSend.getByRole('option').allTextContents()).toEqual(['行銷 美玲 的 LINE（我）']);
  });
});
