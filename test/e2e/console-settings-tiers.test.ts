import type { Browser, Page } from 'playwright-core';
import { createJourney, resumeJourney } from '../../domain/journeys/journey.service';
import { getProgramSettings } from '../../domain/program/settings.service';
import { startTestEnv, type TestEnv } from '../helpers/test-env';
import { createTemplate } from '../factories/program.factory';
import { ensureLiffBuilt, launchChromium, watchErrors } from './liff-browser';
import { createConsoleAccount, desktopContext, ensureConsoleBuilt, signIn } from './console-browser';

/**
 * #16.4 in the browser: an admin sets a tier's upgrade gift, renewal spend and the warning days on the settings
 * page; a renewal spend above the threshold is refused beside the table in zh-TW and nothing stored changes; an
 * active upgrade journey with a gift of its own is pointed out.
 */
describe('#16.4 settings: tier gifts and renewal in Chromium', () => {
  let env: TestEnv;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    ensureConsoleBuilt();
    ensureLiffBuilt();
    [env, browser] = await Promise.all([startTestEnv(), launchChromium()]);
    const admin = await createConsoleAccount(env, 'admin', 'tiers-admin', '店長 小林');
    page = await (await desktopContext(browser)).newPage();
    errors = watchErrors(page);
    await signIn(page, env.url, admin);
  });
  afterAll(async () => {
    await browser?.close();
    await env?.close();
  });

  it('saves the gold gift (coupon, points, credit), its renewal spend and the warning days; a reload shows them', async () => {
    const tpl = await createTemplate({ title: '金卡升等禮 NT$300' });
    await page.goto(`${env.url}/console/settings`);
    const tiers = page.getByTestId('settings-tiers');
    await tiers.getByTestId('tier-gifts').waitFor();
    await tiers.getByLabel('金卡 升等優惠券').selectOption({ label: '金卡升等禮 NT$300' });
    await tiers.getByLabel('金卡 升等贈點').fill('200');
    await tiers.getByLabel('金卡 升等購物金（元）').fill('300');
    await tiers.getByLabel('金卡 保級門檻（元）').fill('20000');
    await tiers.getByLabel('降級提醒：檢視日前幾天通知').fill('14');
    await page.getByRole('button', { name: '儲存', exact: true }).click();
    await page.getByText('設定已儲存').waitFor();

    const stored = await getProgramSettings();
    expect(stored.tiers[2]).toMatchObject({
      code: 'gold',
      couponTemplateIds: [tpl.id],
      gift: { points: 200, credit: 300, creditValidDays: 90 },
      keepSpend: 20000,
    });
    expect(stored.tiers[1].keepSpend).toBeNull();
    expect(stored.tierReview.warnDaysBefore).toBe(14);

    await page.reload();
    await tiers.getByTestId('tier-gifts').waitFor();
    expect(await tiers.getByLabel('金卡 升等贈點').inputValue()).toBe('200');
    expect(await tiers.getByLabel('金卡 保級門檻（元）').inputValue()).toBe('20000');
    expect(await tiers.getByLabel('銀卡 保級門檻（元）').inputValue()).toBe('');
  });

  it('a renewal spend above the threshold is refused in zh-TW; nothing stored changes', async () => {
    await page.goto(`${env.url}/console/settings`);
    const tiers = page.getByTestId('settings-tiers');
    await tiers.getByTestId('tier-gifts').waitFor();
    const before = await getProgramSettings();
    await tiers.getByLabel('銀卡 保級門檻（元）').fill('15000');
    await tiers.getByLabel('銀卡 升等贈點').fill('50');
    await page.getByRole('button', { name: '儲存', exact: true }).click();
    await tiers.getByText('銀卡：保級門檻不可高於升等門檻').waitFor();
    expect(await getProgramSettings()).toEqual(before);
    expect(errors).toEqual([]);
  });

  it('points out an active upgrade journey that gives a gift of its own', async () => {
    const j = await createJourney(
      {
        name: '升等加碼',
        trigger: { type: 'tier_changed', direction: 'up', tier: null },
        steps: [{ id: 'pts', type: 'points', points: 50 }],
      } as never,
      'test',
    );
    await resumeJourney(j.id, 'test');
    await page.goto(`${env.url}/console/settings`);
    const notice = page.getByTestId('tier-journey-gifts');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('「升等加碼」送 50 點');
  });
});
