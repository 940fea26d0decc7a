import type { Browser, Page } from 'playwright-core';
import { CreditEntry } from '../../models/credit-entry.model';
import { createLineMember } from '../factories/program.factory';
import { startTestEnv, type TestEnv } from '../helpers/test-env';
import { ensureLiffBuilt, launchChromium, watchErrors } from './liff-browser';
import { createConsoleAccount, desktopContext, ensureConsoleBuilt, signIn } from './console-browser';

/** #16.C3 the 購物金 card on the console member page in Chromium: a grant with a reason shows in the ledger. */
describe('#16.C3 console member page 購物金 card in Chromium', () => {
  let env: TestEnv;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let memberId: string;

  beforeAll(async () => {
    ensureConsoleBuilt();
    ensureLiffBuilt(); // the console's header shows the brand logo the LIFF build serves
    [env, browser] = await Promise.all([startTestEnv(), launchChromium()]);
    memberId = (await createLineMember(env)).memberId;
    const admin = await createConsoleAccount(env, 'admin', 'credit-admin', '管理員 阿哲');
    page = await (await desktopContext(browser)).newPage();
    errors = watchErrors(page);
    await signIn(page, env.url, admin);
  });
  afterAll(async () => {
    await browser?.close();
    await env?.close();
  });

  it('grants NT$150 with a reason; the card shows the balance and the entry', async () => {
    const failed: string[] = [];
    page.on('response', (r) => {
      if (r.status() >= 500) failed.push(r.url());
    });
    await page.goto(`${env.url}/console/members/${memberId}`);
    const card = page.getByTestId('member-credit');
    await card.waitFor();
    await card.getByText('尚無購物金紀錄').waitFor();
    const form = card.getByTestId('adjust-credit');
    await form.locator('input[name="delta"]').fill('150');
    await form.locator('input[name="reason"]').fill('客訴補償');
    await form.getByRole('button', { name: '調整購物金' }).click();
    await card.getByRole('status').waitFor();
    await card.locator('.ledger li', { hasText: '客訴補償' }).waitFor();
    expect(await card.textContent()).toContain('NT$150');
    expect(await card.getByText('尚無購物金紀錄').count()).toBe(0);
    expect(await CreditEntry.countDocuments({ memberId })).toBe(1);
    expect(failed).toEqual([]);
    expect(errors).toEqual([]);
  });
});
