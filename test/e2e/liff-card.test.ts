import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Member } from '../../models/member.model';
import { startTestEnv, type TestEnv } from '../helpers/test-env';
import { createExchangeOffer, createLiffMember, type LiffMember } from '../factories/liff-member.factory';
import { decodeQr, ensureLiffBuilt, launchChromium, phoneContext, repoRoot, watchErrors } from './liff-browser';

/**
 * The LIFF member card in headless Chromium, in local mode: @line/liff-mock plays the LINE app with a real
 * emulator ID token that the server verifies like production. One member walks through card → coupon →
 * exchange → profile → delete; screenshots for the README are taken on the way.
 */
describe('LIFF member card in Chromium', () => {
  let env: TestEnv;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let member: LiffMember;

  beforeAll(async () => {
    ensureLiffBuilt();
    [env, browser] = await Promise.all([startTestEnv(), launchChromium()]);
    member = await createLiffMember(env, { displayName: '林小美', purchases: [12000, 3600], coupons: ['滿千折百'] });
    await createExchangeOffer('百元折價券', 100);
    context = await phoneContext(browser);
    page = await context.newPage();
    errors = watchErrors(page);
  });
  afterAll(async () => {
    await browser?.close();
    await env?.close();
  });

  const testId = (id: string) => page.getByTestId(id);
  /** Nothing wider than the 360 px screen (no sideways scrolling). */
  const noSideways = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  it('opens the card as an emulator user: name, tier, balance, expiring points, a scannable QR of the member code', async () => {
    await page.goto(`${env.url}/liff/?mockUser=${member.userId}`);
    await testId('card').waitFor();
    expect(await testId('display-name').textContent()).toBe('林小美');
    expect(await testId('tier').textContent()).toBe('銀卡');
    // 12000 → 120 points at 一般, then 3600 at 銀卡 ×1.5 → 54.
    expect(await testId('points-balance').textContent()).toBe('174');
    expect(await testId('expiring').textContent()).toMatch(/^174 點將於 \d{4}\/\d{2}\/\d{2} 到期$/);
    expect(await testId('tier-next').textContent()).toContain('金卡');
    expect(await testId('member-code').textContent()).toBe(member.memberCode);
    expect(await decodeQr(page, '[data-testid="qr"]')).toBe(member.memberCode);
    expect(await page.locator('[data-testid="barcode"] rect').count()).toBeGreaterThan(20);
    expect(await noSideways()).toBe(true);
    await page.screenshot({ path: path.join(repoRoot, 'docs/liff-card.png') });
  });

  it('opens a coupon full screen with its code and terms for the cashier', async () => {
    await page.getByRole('link', { name: '優惠券', exact: true }).click();
    await testId('coupons-active').waitFor();
    await testId('coupon-item').first().click();
    await testId('coupon-code').waitFor();
    const code = (await testId('coupon-code').textContent())!;
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(await testId('coupon-detail').textContent()).toContain('每次消費限用一張');
    expect(await decodeQr(page, '[data-testid="coupon-detail"] [data-testid="qr"]')).toBe(code.replace('-', ''));
    expect(await noSideways()).toBe(true);
    await page.screenshot({ path: path.join(repoRoot, 'docs/liff-coupon.png') });
    await page.getByRole('button', { name: /返回/ }).click();
    await testId('coupons-active').waitFor();
  });

  it('says a coupon that does not exist is not found, without a 重新整理 that cannot help', async () => {
    const p = await (await phoneContext(browser)).newPage();
    await p.goto(`${env.url}/liff/coupons/000000000000000000000000?mockUser=${member.userId}`);
    await p.getByTestId('error').waitFor();
    expect(await p.getByTestId('error').textContent()).toContain('找不到這張優惠券');
    expect(await p.getByRole('button', { name: '重新整理' }).count()).toBe(0);
    await p.close();
  });

  it('exchanges points for a coupon: confirm, result, the new coupon in the wallet and the balance lower', async () => {
    await testId('open-exchange').click();
    await testId('offer').waitFor();
    await testId('exchange-button').click();
    expect(await testId('exchange-confirm').textContent()).toContain('用 100 點兌換「百元折價券」？兌換後剩餘 74 點');
    await testId('exchange-confirm-button').click();
    await testId('exchange-done').waitFor();
    expect(await testId('exchange-done').textContent()).toContain('目前剩餘 74 點');
    await testId('view-new-coupon').click();
    await page.getByText('百元折價券', { exact: true }).waitFor();
    expect(await testId('coupon-code').textContent()).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    await page.getByRole('button', { name: /返回/ }).click();

    await page.getByRole('link', { name: '會員卡', exact: true }).click();
    await testId('card').waitFor();
    expect(await testId('points-balance').textContent()).toBe('74');
    await page.getByRole('link', { name: '優惠券', exact: true }).click();
    await testId('coupons-active').waitFor();
    expect(await testId('coupon-item').count()).toBe(2);
  });

  it("shows the points ledger with reasons, and the referral code shared through LINE's share target picker", async () => {
    await page.getByRole('link', { name: '點數', exact: true }).click();
    await testId('ledger').waitFor();
    const lines = await testId('ledger-line').allTextContents();
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain('點數兌換');
    expect(lines[0]).toContain('−100');
    expect(lines[2]).toContain('消費累點');
    expect(await noSideways()).toBe(true);

    await page.getByRole('link', { name: '推薦', exact: true }).click();
    await testId('referral-code').waitFor();
    expect(await testId('referral-code').textContent()).toMatch(/^[0-9A-Z]{6}$/);
    await testId('share').click();
    expect(await testId('toast').textContent()).toBe('已送出邀請');
    expect(await noSideways()).toBe(true);
  });

  it('logs in again once when the server rejects the ID token, then shows the card', async () => {
    const p = await context.newPage();
    let tokens = 0;
    p.on('request', (r) => r.url().endsWith('/api/member/dev/id-token') && tokens++);
    let rejected = false;
    await p.route('**/api/member/me', async (route) => {
      if (rejected) return route.continue();
      rejected = true;
      await route.fulfill({
        status: 401,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'invalid_token', message: '登入資訊已失效，請重新開啟會員卡。' } }),
      });
    });
    await p.goto(`${env.url}/liff/?mockUser=${member.userId}`);
    await p.getByTestId('card').waitFor();
    expect(rejected).toBe(true);
    expect(tokens).toBe(2);
    await p.close();
  });

  it('refuses a birthday that is not a real date, with a message, and saves nothing', async () => {
    await page.getByRole('link', { name: '我的', exact: true }).click();
    await testId('edit-profile').click();
    await page.locator('input[name="birthday"]').fill('1990-02-30');
    await testId('save-profile').click();
    await testId('error-birthday').waitFor();
    expect(await testId('error-birthday').textContent()).toContain('請輸入正確的日期');
    expect((await Member.findById(member.memberId).lean())!.birthday).toBeUndefined();

    await page.locator('input[name="birthday"]').fill('民國80年1月2日');
    await testId('save-profile').click();
    await testId('profile-facts').waitFor();
    expect(await testId('fact-birthday').textContent()).toContain('1991/01/02');
    expect((await Member.findById(member.memberId).lean())!.birthday).toBe('1991-01-02');

    // Once set, the member cannot change it: the form shows it with the staff-only note (#12.6).
    await testId('edit-profile').click();
    expect(await testId('locked-birthday').textContent()).toBe('1991/01/02');
    expect(await testId('hint-birthday').textContent()).toBe('生日設定後就不能自行修改囉，如需更改請洽門市人員。');
    expect(await page.locator('input[name="birthday"]').count()).toBe(0);
    await page.getByRole('button', { name: '取消' }).click();
    await testId('profile-facts').waitFor();
  });

  it('#12.12 opens my data as a readable page through a short-lived link (no blob download), with the JSON beside it', async () => {
    await testId('export-data').click();
    await testId('export-ready').waitFor();
    const [doc] = await Promise.all([context.waitForEvent('page'), testId('export-open').click()]);
    const docErrors = watchErrors(doc);
    await doc.waitForLoadState();
    await doc.getByRole('heading', { name: '我的會員資料' }).waitFor();
    for (const heading of ['基本資料', '同意紀錄', '點數紀錄', '優惠券', '消費紀錄'])
      await doc.getByRole('heading', { name: heading }).waitFor();
    expect(await doc.locator('dl').first().textContent()).toContain('林小美');
    expect(await doc.getByTestId('json-data').getAttribute('href')).toMatch(/format=json$/);
    expect(docErrors).toEqual([]);
    await doc.close();
  });

  it('deletes my data after confirmation: personal fields are gone and the card closes', async () => {
    await Member.updateOne({ _id: member.memberId }, { $set: { phone: '0911222333', email: 'xiaomei@example.com' } });
    await testId('delete-data').click();
    await testId('delete-confirm').waitFor();
    expect(await testId('delete-rejoin-note').textContent()).toContain('無法還原的加密編碼');
    await testId('delete-confirm-button').click();
    await testId('erased').waitFor();
    const stored = await Member.findById(member.memberId).lean();
    // The points and the active coupons are void with the membership (#12.1).
    expect(stored).toMatchObject({ displayName: '', pointsBalance: 0, erasedAt: expect.any(Date) });
    for (const key of ['lineUserId', 'phone', 'email', 'birthday'] as const) expect(stored![key]).toBeUndefined();
    expect(errors).toEqual([]);
  });

  it('invites someone who has not followed yet to add the account', async () => {
    const stranger = await env.emulator.createUser('還沒加好友');
    const p = await context.newPage();
    await p.goto(`${env.url}/liff/?mockUser=${stranger.userId}`);
    await p.getByTestId('not-following').waitFor();
    expect(await p.getByRole('link', { name: '加入好友' }).getAttribute('href')).toMatch(/\/dev\/chat$/);
    await p.close();
  });

  it("lets a newcomer without ?mockUser pick an emulator user, then shows that user's card", async () => {
    const other = await createLiffMember(env, { displayName: '周杰' });
    const fresh = await phoneContext(browser);
    const p = await fresh.newPage();
    await p.goto(`${env.url}/liff/`);
    await p.getByTestId('mock-picker').waitFor();
    await p.getByTestId('mock-user').filter({ hasText: '周杰' }).click();
    await p.getByTestId('card').waitFor();
    expect(await p.getByTestId('member-code').textContent()).toBe(other.memberCode);
    expect(new URL(p.url()).searchParams.get('mockUser')).toBe(other.userId);
    await fresh.close();
  });
});
