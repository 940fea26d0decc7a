import type { Browser, Page } from 'playwright-core';
import { createCannedReply } from '../../domain/inbox/canned-reply.service';
import { Settings } from '../../models/settings.model';
import { loginAs } from '../factories/console.factory';
import { startTestEnv, type TestEnv } from '../helpers/test-env';
import { consentedUser } from '../integration/bot/chat-driver';
import { ensureLiffBuilt, launchChromium, watchErrors } from './liff-browser';
import { createConsoleAccount, desktopContext, ensureConsoleBuilt, signIn } from './console-browser';

/**
 * #13.5 in the browser: a staff member has the 客服訊息 page open; a customer's 真人客服 appears live (SSE), she
 * opens it (read in LINE), answers with a canned reply, and closes it; she gives a conversation to a colleague, who
 * sees it as theirs; an admin sets the 客服時間; the two close buttons, and the bot answering again after them.
 */
describe('#13.5 console inbox in Chromium', () => {
  let env: TestEnv;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    ensureConsoleBuilt();
    // The console shows the brand logo the LIFF build serves (/liff/brand-logo.svg).
    ensureLiffBuilt();
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

  /** A fresh window signed in as `account`, on the inbox page. */
  async function inboxPage(account: { username: string; password: string }) {
    const p = await (await desktopContext(browser)).newPage();
    const pageErrors = watchErrors(p);
    await signIn(p, env.url, account);
    await p.goto(`${env.url}/console/inbox`);
    await p.getByTestId('inbox-list').waitFor();
    return { p, pageErrors };
  }

  it('#13.5 assign to a colleague: the list shows the assignee, and the colleague sees it as theirs', async () => {
    const amy = await createConsoleAccount(env, 'staff', 'amy2', '客服 小美二');
    const jay = await createConsoleAccount(env, 'marketer', 'jay', '阿哲');
    const mine = await inboxPage(amy);
    const theirs = await inboxPage(jay);

    const u = await consentedUser(env, '張雅婷');
    await u.say('真人客服');
    const row = mine.p.getByTestId('inbox-row').filter({ hasText: '張雅婷' });
    await row.click();
    await mine.p.getByTestId('inbox-messages').getByText('真人客服').waitFor();
    await mine.p.getByLabel('負責同事').selectOption({ label: '阿哲' });
    // The assigning agent's list shows the assignee on the row …
    await row.getByText('阿哲').waitFor();
    // … and the colleague's open inbox (another window, its own stream) shows it assigned to them, live.
    const theirRow = theirs.p.getByTestId('inbox-row').filter({ hasText: '張雅婷' });
    await theirRow.getByText('阿哲').waitFor();
    await theirRow.click();
    await theirs.p.getByTestId('inbox-messages').getByText('真人客服').waitFor();
    expect(await theirs.p.getByLabel('負責同事').locator('option:checked').textContent()).toBe('阿哲');
    expect([...mine.pageErrors, ...theirs.pageErrors]).toEqual([]);
    await mine.p.context().close();
    await theirs.p.context().close();
  });

  it('#13.5 客服時間 card: edit the hours, save, reload shows them; an invalid range shows a zh-TW field error', async () => {
    const admin = await createConsoleAccount(env, 'admin', 'boss', '店長');
    const p = await (await desktopContext(browser)).newPage();
    const pageErrors = watchErrors(p);
    await signIn(p, env.url, admin);
    await p.goto(`${env.url}/console/settings`);
    const card = p.getByTestId('opening-hours');
    await card.waitFor();
    await card.getByLabel('週日公休').check();
    await card.getByLabel('週一開始').fill('09:30');
    await card.getByLabel('週一結束').fill('18:30');
    await card.getByLabel('週六開始').fill('11:00');
    await card.getByLabel('週六結束').fill('17:00');
    await p.getByRole('button', { name: '儲存', exact: true }).click();
    await p.getByText('設定已儲存').waitFor();

    await p.reload();
    await card.waitFor();
    expect(await card.getByLabel('週日公休').isChecked()).toBe(true);
    expect(await card.getByLabel('週日開始').count()).toBe(0);
    expect(await card.getByLabel('週一開始').inputValue()).toBe('09:30');
    expect(await card.getByLabel('週一結束').inputValue()).toBe('18:30');
    expect(await card.getByLabel('週六結束').inputValue()).toBe('17:00');
    const stored = await Settings.findOne({ key: 'program' }).lean();
    const hours = (stored?.value as { inbox: { openingHours: unknown[] } }).inbox.openingHours;
    expect(hours[0]).toBeNull();
    expect(hours[1]).toEqual({ open: '09:30', close: '18:30' });

    // Tuesday ending before it starts: refused with the field's zh-TW error beside it, and nothing stored changes.
    await card.getByLabel('週二開始').fill('18:00');
    await card.getByLabel('週二結束').fill('09:00');
    await p.getByRole('button', { name: '儲存', exact: true }).click();
    await card.getByTestId('opening-day-2').getByText('週二：結束時間必須晚於開始時間').waitFor();
    expect(await card.getByLabel('週二結束').getAttribute('aria-invalid')).toBe('true');
    expect((await Settings.findOne({ key: 'program' }).lean())?.value).toEqual(stored?.value);
    await p.reload();
    await card.waitFor();
    expect(await card.getByLabel('週二開始').inputValue()).not.toBe('18:00');
    expect(pageErrors).toEqual([]);
    await p.context().close();
    // Back to always open for the other tests of this file.
    await Settings.deleteMany({ key: 'program' });
    env.deps.replies.invalidate();
  });

  it('#13.5 the two close buttons: 「結束對話」 sends the editable goodbye, 「結束但不通知客人」 nothing; the bot answers again', async () => {
    const marketer = await loginAs(env, 'marketer');
    const goodbye = '謝謝您的耐心，這次就先聊到這裡，祝您有美好的一天 🌷';
    await marketer.agent
      .put('/api/console/replies/inbox.closedByAgent')
      .set('X-CSRF-Token', marketer.csrf)
      .send({ text: goodbye, version: 0 })
      .expect(200);
    const staff = await createConsoleAccount(env, 'staff', 'kai', '客服 阿凱');
    const { p, pageErrors } = await inboxPage(staff);

    // 「結束對話」: the goodbye (the marketer's wording) reaches the customer's LINE, and the bot answers again.
    const told = await consentedUser(env, '劉子豪');
    await told.say('真人客服');
    expect((await told.say('點數')).texts).toEqual([]);
    await p.getByTestId('inbox-row').filter({ hasText: '劉子豪' }).click();
    await p.getByTestId('inbox-messages').getByText('點數').waitFor();
    p.once('dialog', (d) => void d.accept());
    await p.getByRole('button', { name: '結束對話', exact: true }).click();
    await p.getByText('已傳送結束訊息給客人。').waitFor();
    const toldInbox = await env.emulator.messages(told.userId, 1);
    expect(toldInbox.at(-1)).toMatchObject({ via: 'push', message: { type: 'text', text: goodbye } });
    const again = await told.say('點數');
    expect(again.texts[0]).toBe(goodbye);
    expect(again.texts.at(-1)).toContain('您目前有');

    // 「結束但不通知客人」: nothing is sent; the bot answers the next message.
    const quiet = await consentedUser(env, '吳佩珊');
    await quiet.say('找客服');
    await p.getByTestId('inbox-row').filter({ hasText: '吳佩珊' }).click();
    await p.getByTestId('inbox-messages').getByText('找客服').waitFor();
    await env.emulator.clearPushes();
    p.once('dialog', (d) => void d.accept());
    await p.getByRole('button', { name: '結束但不通知客人' }).click();
    await p.getByText('沒有通知客人。').waitFor();
    expect(await env.emulator.pushes()).toEqual([]);
    const next = await quiet.say('點數');
    expect(next.texts).toEqual([expect.stringContaining('您目前有')]);
    expect((await env.emulator.messages(quiet.userId)).map((m) => m.message.text)).not.toContain(goodbye);
    expect(pageErrors).toEqual([]);
    await p.context().close();
  });
});
