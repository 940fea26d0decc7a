import type { Browser } from 'playwright-core';
import { getProgramSettings, updateProgramSettings } from '../../domain/program/settings.service';
import { startTestEnv, type TestEnv } from '../helpers/test-env';
import { createLiffMember } from '../factories/liff-member.factory';
import { createTemplate } from '../factories/program.factory';
import { ensureLiffBuilt, launchChromium, phoneContext, watchErrors } from './liff-browser';

/** #16.4 the card's 會員權益 of the member's tier, at 360 px in headless Chromium (local mode, mock LIFF). */
describe('LIFF card: the member tier benefits', () => {
  let env: TestEnv;
  let browser: Browser;

  beforeAll(async () => {
    ensureLiffBuilt();
    [env, browser] = await Promise.all([startTestEnv(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await env?.close();
  });

  it('#16.4 a gold member sees multiplier, birthday multiplier, upgrade gift, renewal rule and the review date', async () => {
    const tpl = await createTemplate({ title: '金卡升等禮 NT$300' });
    const s = await getProgramSettings();
    await updateProgramSettings(
      {
        tiers: s.tiers.map((t) =>
          t.code === 'gold'
            ? {
                ...t,
                birthdayMultiplier: 2,
                couponTemplateIds: [tpl.id],
                keepSpend: 20000,
                gift: { points: 200, credit: 0, creditValidDays: 90 },
              }
            : t,
        ),
      },
      'marketer',
    );
    const member = await createLiffMember(env, { displayName: '林書妤', purchases: [31000] });
    const context = await phoneContext(browser);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${env.url}/liff/?mockUser=${member.userId}`);
    await page.getByTestId('tier-benefits').waitFor();
    expect(await page.getByTestId('tier-benefits').locator('h2').textContent()).toBe('我的會員權益（金卡）');
    expect(await page.getByTestId('tier-benefit').allTextContents()).toEqual([
      '消費點數 2 倍',
      '生日禮 2 倍',
      '升等禮（每年一次）：「金卡升等禮 NT$300」、200 點',
      '保級：每年檢視時近 12 個月消費滿 NT$20,000 即可續保',
    ]);
    expect(await page.getByTestId('tier-review-date').textContent()).toMatch(/^下次等級檢視：\d{4}\/\d{2}\/\d{2}$/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

    // 會員權益 lists the same lines for gold.
    await page.getByTestId('tier-benefits').getByRole('link').click();
    await page.getByTestId('benefits').waitFor();
    expect(await page.getByTestId('benefit-tier').nth(2).textContent()).toContain(
      '升等禮（每年一次）：「金卡升等禮 NT$300」、200 點',
    );
    expect(errors).toEqual([]);
    await context.close();
  });
});
