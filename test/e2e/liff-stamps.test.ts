import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startTestEnv, type TestEnv } from '../helpers/test-env';
import { createLiffMember } from '../factories/liff-member.factory';
import { createDrinkStampCard } from '../factories/stamp.factory';
import { ensureLiffBuilt, launchChromium, phoneContext, repoRoot, watchErrors } from './liff-browser';

/**
 * #16.1 the stamp card on the LIFF member card at 360 px: six purchases through ingest fill six of ten stamps,
 * the 5-stamp milestone shows as received, the free drink waits at 10, and the card says when it ends.
 */
describe('LIFF stamp card in Chromium', () => {
  let env: TestEnv;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    ensureLiffBuilt();
    [env, browser] = await Promise.all([startTestEnv(), launchChromium()]);
    page = await (await phoneContext(browser)).newPage();
    errors = watchErrors(page);
  });
  afterAll(async () => {
    await browser?.close();
    await env?.close();
  });

  it('shows the stamps filled and empty, the milestone received, the reward and the expiry, within 360 px', async () => {
    await createDrinkStampCard();
    const member = await createLiffMember(env, { displayName: '陳小安', purchases: [120, 90, 150, 60, 200, 80] });
    await page.goto(`${env.url}/liff/?mockUser=${member.userId}`);
    const card = page.getByTestId('stamp-card');
    await card.waitFor();
    expect(await card.locator('strong').first().textContent()).toBe('飲料集點卡');
    expect(await page.getByTestId('stamp-progress').textContent()).toBe('已集 6 / 10 點');
    expect(await page.getByTestId('stamp-filled').count()).toBe(6);
    expect(await page.getByTestId('stamp-empty').count()).toBe(4);
    const rewards = await page.getByTestId('stamp-reward').allTextContents();
    expect(rewards).toEqual(['集滿 5 點送 20 點已獲得', '集滿 10 點送「招牌飲品兌換券」']);
    expect(await page.getByTestId('stamp-expiry').textContent()).toMatch(/^\d{4}\/\d{2}\/\d{2} 到期$/);
    // Nothing wider than the screen, and the ten stamps sit in two rows of five.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    const tops = await page
      .getByTestId('stamp-card')
      .locator('li.stamp-cell')
      .evaluateAll((cells) => [...new Set(cells.map((c) => Math.round(c.getBoundingClientRect().top)))]);
    expect(tops).toHaveLength(2);
    const box = await card.boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(360);
    await card.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await page.screenshot({ path: path.join(repoRoot, 'docs/liff-stamps.png') });
    expect(errors).toEqual([]);
  });
});
