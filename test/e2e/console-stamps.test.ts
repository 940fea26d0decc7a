import type { Browser, Page } from 'playwright-core';
import { StampCardTemplate } from '../../models/stamp-card-template.model';
import { createTemplate } from '../factories/program.factory';
import { startTestEnv, type TestEnv } from '../helpers/test-env';
import { launchChromium, watchErrors } from './liff-browser';
import { createConsoleAccount, desktopContext, ensureConsoleBuilt, signIn } from './console-browser';

/**
 * #16.1 the console's 集點卡 page in headless Chromium: a marketer designs a drink stamp card, sees the server's
 * zh-TW field error for a milestone beyond the card (nothing stored), fixes it and saves; the list shows it.
 */
describe('#16.1 console 集點卡 page in Chromium', () => {
  let env: TestEnv;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    ensureConsoleBuilt();
    [env, browser] = await Promise.all([startTestEnv(), launchChromium()]);
    await createTemplate({ title: '招牌飲品兌換券' });
    const marketer = await createConsoleAccount(env, 'marketer', 'stamp-mk', '行銷 小芸');
    page = await (await desktopContext(browser)).newPage();
    errors = watchErrors(page);
    await signIn(page, env.url, marketer);
  });
  afterAll(async () => {
    await browser?.close();
    await env?.close();
  });

  it('creates a template; a milestone past the card is refused with a field error and nothing stored', async () => {
    await page.getByRole('link', { name: '集點卡' }).click();
    await page.getByRole('button', { name: '新增集點卡' }).click();
    const form = page.getByTestId('stamp-template-form');
    await form.waitFor();
    await form.locator('input[name="name"]').fill('飲料集點卡');
    await form.locator('input[name="stampsNeeded"]').fill('10');
    await form.getByRole('button', { name: '新增里程碑' }).click();
    await form.getByLabel('集滿幾點').fill('12');
    await form.getByLabel('選擇優惠券').selectOption({ label: '招牌飲品兌換券' });
    await form.getByRole('button', { name: '儲存' }).click();
    await form.locator('.field-error', { hasText: '里程碑要小於集滿點數' }).waitFor();
    expect(await StampCardTemplate.countDocuments()).toBe(0);

    await form.getByLabel('集滿幾點').fill('5');
    await form.getByRole('button', { name: '儲存' }).click();
    const table = page.getByTestId('stamp-templates');
    await table.waitFor();
    expect(await table.textContent()).toContain('飲料集點卡');
    expect(await table.textContent()).toContain('集滿 10 點：「招牌飲品兌換券」');
    expect(await table.textContent()).toContain('集滿 5 點：20 點');
    const stored = await StampCardTemplate.findOne({ name: '飲料集點卡' }).lean();
    expect(stored).toMatchObject({ stampsNeeded: 10, milestones: [{ at: 5, reward: { kind: 'points', points: 20 } }] });
    expect(errors).toEqual([]);
  });
});
