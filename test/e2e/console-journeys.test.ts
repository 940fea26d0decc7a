import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createCouponTemplate } from '../../domain/coupons';
import { createJourney } from '../../domain/journeys/journey.service';
import { enterRun, type JourneyLean } from '../../domain/journeys/journey-enter.service';
import { Journey, JourneyRun } from '../../models/journey.model';
import { TestRecipient } from '../../models/test-recipient.model';
import { seedFollowers } from '../integration/campaigns/fixtures';
import { startTestEnv, type TestEnv } from '../helpers/test-env';
import { ensureLiffBuilt, launchChromium, watchErrors } from './liff-browser';
import { createConsoleAccount, desktopContext, ensureConsoleBuilt, repoRoot, signIn } from './console-browser';

/**
 * #15.5 in the browser: a marketer creates a journey from the welcome template, edits a step, sees an invalid step
 * refused in zh-TW at the field, saves it running, pauses and resumes it, reads the per-step figures (LINE's are
 * withheld below 20 people) and finds it in the list. Screenshot: docs/console-journeys.png.
 */
describe('#15.5 console journeys in Chromium', () => {
  let env: TestEnv;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    ensureConsoleBuilt();
    // The sidebar may show the default brand logo, which the card app serves (/liff/brand-logo.svg).
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

  it('creates from the welcome template, refuses a bad step at the field, saves, pauses/resumes, shows figures and the list', async () => {
    await createCouponTemplate(
      { title: '首購折 100 元', kind: 'amount', value: 100, validity: { mode: 'relative', days: 30 } },
      'e2e',
    );
    const marketer = await createConsoleAccount(env, 'marketer', 'mei', '行銷 美玲');
    await signIn(page, env.url, marketer);

    await page.getByRole('link', { name: '自動化旅程' }).click();
    await page
      .getByTestId('journey-templates')
      .getByRole('link', { name: /新朋友歡迎旅程/ })
      .click();
    const first = page.getByTestId('journey-step-0');
    await first.waitFor();
    expect(await page.locator('input[name="name"]').inputValue()).toContain('新朋友歡迎旅程');
    expect(await page.locator('[data-testid^="journey-step-"]').count()).toBe(5);

    // Edit the day-0 message and the name.
    await page.locator('input[name="name"]').fill('新朋友歡迎旅程（春季版）');
    await first
      .locator('textarea')
      .fill('歡迎加入會員！春季新品九折，結帳出示會員卡就能用。 https://shop.example.com/spring');
    // The step's preview shows the link as the customer will see it: the destination's host line, then a short link.
    const preview = first.getByTestId('step-message-preview');
    await preview.getByText('shop.example.com › spring').waitFor();
    expect(await preview.textContent()).not.toContain('m=');

    // An invalid step id: the API's zh-TW error appears at that step's field, and nothing is stored.
    const wait = page.getByTestId('journey-step-1');
    await wait.locator('input[name="stepId"]').fill('Day 2');
    await page.getByRole('button', { name: '儲存並啟用' }).click();
    await wait.getByRole('alert').getByText('步驟代號只能用小寫英文、數字、- 或 _').waitFor();
    expect(await Journey.countDocuments()).toBe(0);

    await wait.locator('input[name="stepId"]').fill('wait-day2');
    await page.getByRole('button', { name: '儲存並啟用' }).click();
    await page.getByText('已儲存。').waitFor();
    await page.waitForURL(/\/console\/journeys\/[0-9a-f]{24}$/);
    const saved = (await Journey.findOne().lean())!;
    expect(saved).toMatchObject({ name: '新朋友歡迎旅程（春季版）', status: 'active', template: 'welcome' });
    expect((saved.steps[0] as { messages: Array<{ text: string }> }).messages[0].text).toContain('春季新品九折');

    const header = page.locator('.page-header');
    await header.getByText('進行中').waitFor();
    await header.getByRole('button', { name: '暫停旅程' }).click();
    await header.getByText('已暫停').waitFor();
    await page.getByText('已暫停：會員停在目前的步驟等待').waitFor();
    expect((await Journey.findById(saved._id).lean())!.status).toBe('paused');
    await header.getByRole('button', { name: '恢復旅程' }).click();
    await header.getByText('進行中').waitFor();
    expect((await Journey.findById(saved._id).lean())!.status).toBe('active');

    // Per-step figures: ours, and LINE's withheld below its threshold.
    const stats = page.getByTestId('journey-stats');
    const day0 = stats.getByTestId('stats-day0');
    await day0.waitFor();
    expect(await day0.textContent()).toContain('人數太少，LINE 不提供');
    expect(await stats.locator('tbody tr').count()).toBe(5);
    await page.screenshot({ path: path.join(repoRoot, 'docs/console-journeys.png'), fullPage: false });

    await page.getByRole('link', { name: '← 自動化旅程' }).click();
    const row = page.getByTestId('journeys-table').locator('tbody tr');
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    const text = await row.first().textContent();
    expect(text).toContain('新朋友歡迎旅程（春季版）');
    expect(text).toContain('進行中');
    expect(text).toContain('同意會員條款');
  });

  it('runs a test for one test recipient, and deleting with a member still in it asks and lets them leave', async () => {
    const [tester, member] = await seedFollowers(env, 2);
    await TestRecipient.create({ lineUserId: tester.lineUserId, label: '測試手機', source: 'admin', addedBy: 'e2e' });
    const journey = await createJourney(
      {
        name: '消費後感謝',
        trigger: { type: 'purchase' },
        steps: [
          { id: 'wait-1d', type: 'wait', days: 1 },
          { id: 'thanks', type: 'message', messages: [{ type: 'text', text: '謝謝您的光臨！' }] },
        ],
        status: 'active',
      },
      'e2e',
    );
    const lean = (await Journey.findById(journey.id).lean()) as unknown as JourneyLean;
    await enterRun(lean, member.memberId, env.deps.clock(), 'Asia/Taipei', 'purchase:e2e');

    await page.goto(`${env.url}/console/journeys/${journey.id}`);
    const test = page.getByTestId('journey-test-run');
    await test.getByRole('combobox', { name: '測試對象' }).waitFor();
    await test.getByRole('button', { name: '測試執行' }).click();
    await test.getByText('已對「測試手機」開始測試執行。').waitFor();
    expect(await JourneyRun.countDocuments({ journeyId: journey.id, memberId: tester.memberId, test: true })).toBe(1);

    await page.locator('.page-header').getByRole('button', { name: '刪除旅程' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('還有 1 位會員在這個旅程中').waitFor();
    await dialog.getByRole('button', { name: '讓會員離開並刪除' }).click();
    await page.waitForURL(/\/console\/journeys$/);
    await page.getByTestId('journeys-table').waitFor();
    expect(await page.getByTestId('journeys-table').textContent()).not.toContain('消費後感謝');
    const run = (await JourneyRun.findOne({ journeyId: journey.id, memberId: member.memberId }).lean())!;
    expect(run).toMatchObject({ status: 'exited', exitReason: 'journey_deleted' });
    expect((await Journey.findById(journey.id).lean())!.status).toBe('archived');
  });
});
