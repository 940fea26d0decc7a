import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Coupon } from '../../models/coupon.model';
import { ImportJob } from '../../models/import-job.model';
import { AuditLog } from '../../models/audit-log.model';
import { Member } from '../../models/member.model';
import { ingestPurchase } from '../../domain/purchases/purchase.service';
import { countAudience } from '../../domain/segments/segment.service';
import { scoreRfm } from '../../domain/segments/rfm.service';
import { runJobOnce } from '../../jobs/runner';
import { demoLineUserId, restoreEmulatorUsers, seedDemoData } from '../../server/demo-seed';
import { textsOf } from '../helpers/emulator-client';
import { startTestEnv, type TestEnv } from '../helpers/test-env';
import { launchChromium, watchErrors } from './liff-browser';
import {
  createConsoleAccount,
  desktopContext,
  ensureConsoleBuilt,
  repoRoot,
  seedMemberHistory,
  signIn,
  tabletContext,
} from './console-browser';

/**
 * The console in headless Chromium, against the whole product in local mode (MongoDB stand-in, LINE emulator).
 * A marketer signs in, finds a member, tags them, builds a segment, schedules a campaign that the dispatch job
 * delivers to the emulator, imports a CSV with errors; a store clerk redeems a coupon at the counter on a tablet.
 * Screenshots of the main screens go to docs/console-*.png.
 */
describe('console in Chromium', () => {
  let env: TestEnv;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let now = new Date('2025-06-02T05:50:00Z'); // Monday 13:50 in Taipei
  const shot = (name: string) =>
    page.screenshot({ path: path.join(repoRoot, `docs/console-${name}.png`), fullPage: false });
  let marketer: { username: string; password: string };

  beforeAll(async () => {
    ensureConsoleBuilt();
    [env, browser] = await Promise.all([startTestEnv({ clock: () => now }), launchChromium()]);
    await seedDemoData({
      messenger: env.deps.messenger,
      now,
      timeZone: env.config.timeZone,
      erasureSecret: env.config.privacy.erasureHmacSecret,
    });
    await restoreEmulatorUsers(env.local.emulator!);
    await seedMemberHistory(env);
    await scoreRfm(new Date(now.getTime() + 1000)); // after the demo seed's own run, so this one is the latest
    marketer = await createConsoleAccount(env, 'marketer', 'mei', '行銷 美玲');
    page = await (await desktopContext(browser)).newPage();
    errors = watchErrors(page);
  });
  afterAll(async () => {
    await browser?.close();
    await env?.close();
  });
  afterEach(() => expect(errors).toEqual([]));

  it('signs in and shows the dashboard: funnel, cohorts chart, RFM, coupons, campaigns', async () => {
    await page.goto(`${env.url}/console/`);
    await page.getByRole('heading', { name: '登入主控台' }).waitFor();
    await shot('login');
    await page.getByLabel('帳號').fill('mei');
    await page.getByLabel('密碼').fill('wrong password');
    await page.getByRole('button', { name: '登入' }).click();
    await page.getByText('帳號或密碼不正確。').waitFor();
    await signIn(page, env.url, marketer);
    const funnel = page.getByTestId('funnel');
    await funnel.waitFor();
    expect(await funnel.locator('li').count()).toBe(6);
    expect(await funnel.locator('li').first().textContent()).toContain('加入好友');
    const members = await Member.countDocuments({ erasedAt: null });
    expect(await page.getByTestId('kpi-members').locator('.stat-value').textContent()).toBe(
      members.toLocaleString('zh-TW'),
    );
    await page.locator('.chart canvas').first().waitFor();
    await page.getByTestId('dashboard-rfm').locator('.bars li').first().waitFor();
    await shot('dashboard');
  });

  it('finds a member, opens the member page and adds a tag', async () => {
    await page.getByRole('link', { name: '會員', exact: true }).click();
    await page.getByTestId('members-table').waitFor();
    await shot('members');
    await page.getByLabel('搜尋').fill('王小美');
    await page.getByRole('button', { name: '搜尋' }).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="members-table"] tbody tr').length === 1);
    await page.getByTestId('members-table').getByText('王小美').click();
    await page.getByTestId('member-timeline').locator('.tl').first().waitFor();
    await page.getByLabel('新增標籤').fill('VIP');
    await page.getByRole('button', { name: '新增標籤' }).click();
    await page.getByTestId('member-tags').getByText('VIP').waitFor();
    const mei = await Member.findOne({ lineUserId: demoLineUserId('王小美') }).lean();
    expect(mei!.tags.find((t) => t.tag === 'VIP')).toMatchObject({ source: 'staff', addedBy: '行銷 美玲' });
    await page.getByTestId('member-timeline').getByText('VIP').waitFor();
    await shot('member');

    // The member sets the birthday once; staff change it here, audited (#12.6).
    await page.getByTestId('birthday-edit').click();
    await page.getByTestId('member-profile').locator('input[name="birthday"]').fill('1991-06-01');
    await page.getByTestId('member-profile').getByRole('button', { name: '儲存' }).click();
    await page.getByTestId('member-profile').getByText('1991/06/01').waitFor();
    expect((await Member.findById(mei!._id).lean())!.birthday).toBe('1991-06-01');
    expect(await AuditLog.countDocuments({ action: 'member.birthday.update', targetId: String(mei!._id) })).toBe(1);
  });

  it('builds a segment with a live audience count and saves it', async () => {
    await page.getByRole('link', { name: '分群' }).click();
    await page.getByRole('link', { name: '新增分群' }).click();
    await page.getByLabel('分群名稱').fill('美妝愛好者（近 90 天有消費）');
    await page.getByLabel('＋ 條件').selectOption('tags');
    await page.locator('.condition[data-field="tags"] input[aria-label="values"]').fill('興趣:美妝');
    await page.locator('.condition[data-field="tags"] input[aria-label="values"]').blur();
    await page.getByLabel('＋ 條件').selectOption('lastPurchase');
    await page.locator('.condition[data-field="lastPurchase"] input[aria-label="days"]').fill('90');
    const rule = {
      op: 'and',
      conditions: [
        { field: 'tags', op: 'hasAny', values: ['興趣:美妝'] },
        { field: 'lastPurchase', op: 'withinDays', days: 90 },
      ],
    };
    const expected = await countAudience(rule, now, { timeZone: 'Asia/Taipei' });
    expect(expected).toBeGreaterThan(0);
    await page.waitForFunction(
      (n) => document.querySelector('[data-testid="audience-value"]')?.textContent === String(n),
      expected,
    );
    expect(await page.getByTestId('audience-count').locator('.rule-text').textContent()).toContain('美妝');
    await shot('segment');
    await page.getByRole('button', { name: '儲存' }).click();
    await page.getByText('分群已儲存').waitFor();
  });

  it('schedules a campaign to the segment and sees it delivered in the emulator after the dispatch job runs', async () => {
    await page.getByRole('link', { name: '建立推播' }).click();
    await page.getByLabel('活動名稱').fill('美妝回購禮');
    await page.getByTestId('message-editor').locator('textarea').fill('親愛的會員，美妝全系列 85 折，本週末限定！');
    await page.getByRole('button', { name: '＋ 圖文卡片' }).click();
    await page.getByLabel('發送時間').first().fill('2025-06-02T14:00');
    // #11.2: an http:// hero image is refused at save, the zh-TW error at the image field; fixed, it saves.
    const heroInput = page.getByLabel('主圖網址（https，選填）');
    await heroInput.fill('http://img.example.com/hero.jpg');
    await page.getByRole('button', { name: '儲存草稿' }).click();
    await page.locator('.field', { has: heroInput }).getByText('必須是 https:// 開頭的網址').waitFor();
    await heroInput.fill('');
    await page.getByTestId('estimate-audience').waitFor();
    await page.getByTestId('line-preview').locator('.flex-bubble').waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot('campaign-editor');
    await page.getByRole('button', { name: '確認排程' }).click();
    await page.getByTestId('confirm-schedule').click();
    await page.getByTestId('campaign-stats').waitFor();
    expect(await page.locator('.badge', { hasText: '已排程' }).count()).toBeGreaterThan(0);

    now = new Date('2025-06-02T06:01:00Z');
    await runJobOnce(env.deps, 'campaign-dispatch', now);
    const recipient = demoLineUserId('陳怡君');
    const inbox = await env.emulator.messages(recipient, 2);
    expect(textsOf(inbox)).toEqual(expect.arrayContaining(['親愛的會員，美妝全系列 85 折，本週末限定！', '週末限定']));

    // The member opens the card's button (a tracked redirect) and buys within the attribution window.
    const flex = inbox.find((e) => e.message.type === 'flex')!.message;
    const tracked = JSON.stringify(flex).match(/"uri":"([^"]+\/r\/[^"]+)"/)![1];
    const click = await fetch(tracked.replace(env.config.publicBaseUrl, env.url), { redirect: 'manual' });
    // The redirect goes to the marketer's link with the campaign's UTM parameters added (#17.4).
    expect(click.status).toBe(302);
    const location = new URL(click.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe('https://example.com/sale');
    expect(location.searchParams.get('utm_source')).toBe('line');
    expect(location.searchParams.get('utm_medium')).toBe('campaign');
    now = new Date('2025-06-02T08:30:00Z');
    await ingestPurchase(
      { orderId: 'POS-20250602-0042', member: { lineUserId: recipient }, amount: 2680, storeId: 'taipei-101' },
      { source: 'pos', now, messenger: env.deps.messenger, timeZone: 'Asia/Taipei' },
    );

    await page.reload();
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="stat-sent"] .stat-value')?.textContent) > 0,
    );
    const stats = await page.getByTestId('campaign-stats').textContent();
    expect(stats).toContain('NT$2,680');
    await shot('campaign');
  });

  it('imports a CSV with errors and reads the row-level report', async () => {
    await page.getByRole('link', { name: '匯入' }).click();
    const csv = [
      '會員編號,姓名,手機,生日,標籤',
      ',周杰,0987654321,1988/1/18,咖啡',
      ',錯誤手機,12345,,',
      ',壞日期,0911222333,1990-13-40,',
      ',周杰重複,0987654321,,',
    ].join('\n');
    await page
      .locator('input[type=file]')
      .setInputFiles({ name: 'members.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByTestId('import-mapping').waitFor();
    await page.getByRole('button', { name: '檢查資料' }).click();
    const report = page.getByTestId('import-errors');
    await report.waitFor();
    const rows = await report.locator('tbody tr').allTextContents();
    expect(rows).toEqual([
      expect.stringMatching(/^3手機12345手機號碼格式不正確/),
      expect.stringMatching(/^5手機0987654321與第 2 行重複/),
    ]);
    // A malformed optional field warns and keeps the row (#17.5): row 4 is imported without its birthday.
    const row4 = page.getByTestId('import-preview').locator('tbody tr', { hasText: '壞日期' });
    expect(await row4.getByTestId('import-warning').textContent()).toContain('生日');
    await shot('import');
    await page.getByRole('button', { name: '開始匯入' }).click();
    await page.getByText('匯入完成').waitFor();
    expect(await Member.countDocuments({ phone: '0987654321', name: '周杰' })).toBe(1);
    expect(await Member.findOne({ name: '壞日期' }).lean()).toMatchObject({ phone: '0911222333' });
    expect(await ImportJob.countDocuments({ status: 'done' })).toBe(1);
  });

  it('merges the imported 周杰 into his LINE member (合併匯入的會員資料)', async () => {
    const target = await Member.findOne({ lineUserId: demoLineUserId('黃柏翰') }).lean();
    await page.goto(`${env.url}/console/members/${target!._id}`);
    await page.getByTestId('merge-open').click();
    const dialog = page.getByTestId('merge-dialog');
    await dialog.getByLabel('搜尋匯入的會員（手機、姓名或會員編號）').fill('0987654321');
    await dialog.getByRole('button', { name: '搜尋' }).click();
    await dialog.getByRole('button', { name: '選擇' }).click();
    const fields = page.getByTestId('merge-fields');
    await fields.waitFor();
    expect(await fields.locator('tr', { hasText: '生日' }).textContent()).toContain('改用匯入的');
    await page.getByTestId('merge-confirm').click();
    await dialog.getByText(/合併完成/).waitFor();
    const source = await Member.findOne({ mergedInto: target!._id }).lean();
    expect(source).toMatchObject({ status: 'merged', memberCode: expect.any(String) });
    const after = await Member.findById(target!._id).lean();
    expect(after!.tags.map((t) => t.tag)).toContain('咖啡');
    expect(after!.phone).toBe(target!.phone ?? '0987654321');
    expect(after!.birthday).toBe(target!.birthday);
    await dialog.getByRole('button', { name: '關閉' }).first().click();
  });

  it('redeems a coupon at the counter on a tablet (staff)', async () => {
    const clerk = await createConsoleAccount(env, 'staff', 'clerk', '門市 阿哲', { storeId: 'taipei-101' });
    const tablet = await (await tabletContext(browser)).newPage();
    const tabletErrors = watchErrors(tablet);
    await signIn(tablet, env.url, clerk);
    await tablet.getByRole('heading', { name: '門市櫃台' }).waitFor();
    expect(await tablet.getByRole('link', { name: '推播活動' }).count()).toBe(0);
    const member = await Member.findOne({ lineUserId: demoLineUserId('李佳穎') }).lean();
    const coupon = await Coupon.findOne({ memberId: member!._id, status: 'active' }).lean();
    await tablet.getByLabel('掃描或輸入會員編號、手機、優惠券代碼').fill(member!.memberCode);
    await tablet.getByRole('button', { name: '查詢' }).click();
    await tablet.getByTestId('counter-member').waitFor();
    await tablet.screenshot({ path: path.join(repoRoot, 'docs/console-counter.png') });
    const line = tablet.locator('.counter-coupon', { hasText: coupon!.title });
    // The order amount is asked for (required under a minimum spend, #16.5).
    await line.getByLabel('訂單金額（元）').fill(String(Math.max(coupon!.minSpend ?? 0, 1680)));
    await line.getByRole('button', { name: '核銷' }).click();
    await tablet.getByTestId('counter-message').waitFor();
    expect(await tablet.getByTestId('counter-message').textContent()).toBe(`已核銷「${coupon!.title}」`);
    expect(await Coupon.findById(coupon!._id).lean()).toMatchObject({ status: 'used', usedStoreId: 'taipei-101' });
    await tablet.getByLabel('消費金額（元）').fill('1680');
    await tablet.getByRole('button', { name: '登錄', exact: true }).click();
    await tablet.getByText(/已登錄 NT\$1,680/).waitFor();
    expect(tabletErrors).toEqual([]);
  });

  it('admin: reads the audit trail of the day and edits the persona script', async () => {
    const admin = await createConsoleAccount(env, 'admin', 'boss', '店長 老周');
    await page.getByRole('button', { name: '登出' }).click();
    await signIn(page, env.url, admin);
    await page.getByRole('link', { name: '操作紀錄' }).click();
    const audit = page.getByTestId('audit-table');
    await audit.locator('tbody tr').first().waitFor();
    const rows = await audit.locator('tbody tr').allTextContents();
    expect(rows.some((r) => r.includes('行銷 美玲') && r.includes('member.tag.add'))).toBe(true);
    expect(rows.some((r) => r.includes('門市 阿哲') && r.includes('coupon.redeem'))).toBe(true);
    await page.getByRole('link', { name: '問答腳本' }).click();
    const editor = page.getByTestId('persona-editor');
    await editor.waitFor();
    await editor.getByLabel('開場白').fill('嗨！回答幾個小問題，送你 50 點！');
    await page.getByRole('button', { name: '儲存' }).click();
    await page.getByText('腳本已儲存，新的對話將套用。').waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot('persona');
  });
});
