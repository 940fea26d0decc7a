import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Campaign } from '../../models/campaign.model';
import { Delivery } from '../../models/delivery.model';
import { runJobOnce } from '../../jobs/runner';
import { startTestEnv, type TestEnv } from '../helpers/test-env';
import { seedFollowers } from '../integration/campaigns/fixtures';
import { ensureLiffBuilt, launchChromium, watchErrors } from './liff-browser';
import { createConsoleAccount, desktopContext, ensureConsoleBuilt, repoRoot, signIn } from './console-browser';

/**
 * #17.4 in Chromium: a marketer composes an A/B campaign (two variants, 50/50, winner by click rate), the dispatch
 * job sends each half its variant, members of B click far more, and the campaign page names 「勝出：B 版」 with
 * each variant's figures, LINE's own figures and a preview of exactly what a recipient of each variant gets.
 */
describe('console A/B campaign in Chromium', () => {
  let env: TestEnv;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let now = new Date('2025-06-02T05:50:00Z'); // Monday 13:50 in Taipei

  beforeAll(async () => {
    ensureConsoleBuilt();
    ensureLiffBuilt(); // the console's header shows the brand logo the LIFF build serves
    [env, browser] = await Promise.all([startTestEnv({ clock: () => now }), launchChromium()]);
    env.local.emulator!.setMonthlyQuota(1_000_000);
    page = await (await desktopContext(browser)).newPage();
    errors = watchErrors(page);
  });
  afterAll(async () => {
    await browser?.close();
    await env?.close();
  });
  afterEach(() => expect(errors).toEqual([]));

  it('composes two variants, sends each its half, and names the winner by click rate', async () => {
    await seedFollowers(env, 80);
    const marketer = await createConsoleAccount(env, 'marketer', 'ab', '行銷 小安');
    await signIn(page, env.url, marketer);
    await page.goto(`${env.url}/console/campaigns/new`);
    await page.getByLabel('活動名稱').fill('夏季 A/B 測試');
    await page.getByLabel('進行 A/B 測試（2–4 個版本，各自的訊息）').check();
    await page
      .getByTestId('message-editor')
      .locator('textarea')
      .fill('A 版：夏日全館 9 折 https://shop.example.com/summer');
    // A bad split is refused with the zh-TW reason, then fixed.
    await page.getByLabel('A 版 分配比例（%）').fill('60');
    await page.getByText('比例合計 110%（須為 100%）').waitFor();
    await page.getByLabel('A 版 分配比例（%）').fill('50');
    await page.getByRole('tab', { name: 'B 版' }).click();
    await page.getByTestId('message-editor').locator('textarea').fill('B 版：滿千折百 https://shop.example.com/summer');
    await page.getByLabel('發送時間').first().fill('2025-06-02T14:00');
    // The preview is what a recipient of B gets: the destination host, then the short link.
    const preview = page.getByTestId('line-preview');
    await preview.getByText('shop.example.com › summer', { exact: false }).waitFor();
    expect(await preview.textContent()).toContain('B 版：滿千折百');
    expect(await preview.textContent()).toMatch(/\/r\/[A-Za-z0-9_-]{10}/);
    await page.getByRole('button', { name: '確認排程' }).click();
    await page.getByTestId('confirm-schedule').click();
    await page.getByTestId('campaign-stats').waitFor();

    now = new Date('2025-06-02T06:01:00Z');
    await runJobOnce(env.deps, 'campaign-dispatch', now);
    const c = (await Campaign.findOne().lean())!;
    expect(c.ab?.variants.map((v) => v.share)).toEqual([50, 50]);
    expect(await Delivery.countDocuments({ campaignId: c._id, variant: 'A', status: 'sent' })).toBe(40);
    expect(await Delivery.countDocuments({ campaignId: c._id, variant: 'B', status: 'sent' })).toBe(40);

    // Clicks on each variant's own link: 20 on B, 2 on A.
    const linkOf = (v: string) => c.links.find((l) => l.variant === v)!.id;
    for (let i = 0; i < 20; i++)
      expect((await fetch(`${env.url}/r/${linkOf('B')}`, { redirect: 'manual' })).status).toBe(302);
    for (let i = 0; i < 2; i++) await fetch(`${env.url}/r/${linkOf('A')}`, { redirect: 'manual' });

    await page.reload();
    const verdict = page.getByTestId('ab-verdict');
    await verdict.waitFor();
    expect(await verdict.textContent()).toContain('勝出：B 版');
    expect(await page.getByTestId('ab-row-B').textContent()).toContain('50%');
    expect(await page.getByTestId('campaign-ab').textContent()).toContain('點擊率 = 連結點擊次數 ÷ 該版本發送人數');
    // LINE's figures: below LINE's threshold it says so rather than showing 0.
    expect(await page.getByTestId('line-impressions').textContent()).toContain('LINE 不提供');
    // The preview per variant is the server's rendering of what that variant's recipients got.
    await page.getByTestId('campaign-preview').getByRole('tab', { name: 'B 版' }).click();
    await page.getByTestId('campaign-preview').getByText('B 版：滿千折百', { exact: false }).waitFor();
    await page.getByTestId('campaign-ab').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(repoRoot, 'docs/console-campaign-ab.png'), fullPage: true });
  });
});
