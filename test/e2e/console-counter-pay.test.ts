import type { Browser } from 'playwright-core';
import { changeCredit, findCreditDrift } from '../../domain/credit/credit.service';
import { changePoints, findPointsDrift } from '../../domain/points/points.service';
import { Member } from '../../models/member.model';
import { Purchase } from '../../models/purchase.model';
import { createLineMember } from '../factories/program.factory';
import { startTestEnv, type TestEnv } from '../helpers/test-env';
import { ensureLiffBuilt, launchChromium, watchErrors } from './liff-browser';
import { createConsoleAccount, desktopContext, ensureConsoleBuilt, signIn, tabletContext } from './console-browser';

/**
 * #16.2–3 in Chromium: at the counter a clerk records NT$1,000 paid with NT$100 購物金 and 200 points (after the
 * server refused too many points, in zh-TW, under the field), sees the balances drop; an admin refunds the order
 * from the member page after a confirmation and sees them back.
 */
describe('paying with 購物金 and points at the counter, refunded from the console (Chromium)', () => {
  let env: TestEnv;
  let browser: Browser;
  const now = new Date('2025-06-02T05:50:00Z');

  beforeAll(async () => {
    ensureConsoleBuilt();
    ensureLiffBuilt(); // the console's header shows the brand logo the LIFF build serves
    [env, browser] = await Promise.all([startTestEnv({ clock: () => now }), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await env?.close();
  });

  it('records a purchase paid partly with credit and points, then refunds it', async () => {
    const { member, memberId } = await createLineMember(env, { displayName: '陳怡萱' });
    await changeCredit({ memberId, delta: 300, reason: 'manual', key: 'e2e-pay-credit', now });
    await changePoints({ memberId, delta: 500, reason: 'manual', key: 'e2e-pay-points', now });
    const clerk = await createConsoleAccount(env, 'staff', 'clerk-pay', '門市 小陳', { storeId: 'taipei-101' });
    const tablet = await (await tabletContext(browser)).newPage();
    const tabletErrors = watchErrors(tablet);
    await signIn(tablet, env.url, clerk);
    await tablet.getByRole('heading', { name: '門市櫃台' }).waitFor();
    await tablet.getByLabel('掃描或輸入會員編號、手機、優惠券代碼').fill(member.memberCode);
    await tablet.getByRole('button', { name: '查詢' }).click();
    const summary = tablet.getByTestId('counter-member');
    await summary.waitFor();
    expect(await tablet.getByTestId('counter-credit').textContent()).toBe('NT$300');
    expect(await tablet.getByTestId('counter-points').textContent()).toBe('500');

    const form = tablet.getByTestId('counter-purchase');
    await form.getByLabel('消費金額（元）').fill('1000');
    // The limits the settings allow for this order: all NT$300 of credit, half the order in points (500).
    await form.getByText('可用 NT$300，本筆最多 NT$300').waitFor();
    await form.getByText('可用 500 點，本筆最多 500 點（1 點折 NT$1）').waitFor();
    await form.getByLabel('點數折抵（點）').fill('600');
    await form.getByRole('button', { name: '登錄' }).click();
    await form.getByText('本筆最多可折抵 500 點').waitFor();
    expect(await Purchase.countDocuments({ memberId: member._id })).toBe(0);

    await form.getByLabel('使用購物金（元）').fill('100');
    await form.getByLabel('點數折抵（點）').fill('200');
    expect(await form.getByTestId('counter-to-pay').textContent()).toBe('尚需付款 NT$700');
    await form.getByRole('button', { name: '登錄' }).click();
    await tablet
      .getByTestId('counter-message')
      .getByText('已登錄 NT$1,000，獲得 7 點（購物金 NT$100、點數 200 點，實付 NT$700）')
      .waitFor();
    await tablet.getByTestId('counter-credit').getByText('NT$200').waitFor();
    await tablet.getByTestId('counter-points').getByText('307').waitFor();
    expect(await Member.findById(memberId, { creditBalance: 1, pointsBalance: 1 }).lean()).toMatchObject({
      creditBalance: 200,
      pointsBalance: 307,
    });
    expect(tabletErrors).toEqual([]);

    const admin = await createConsoleAccount(env, 'admin', 'admin-refund', '管理員 阿哲');
    const desk = await (await desktopContext(browser)).newPage();
    const deskErrors = watchErrors(desk);
    await signIn(desk, env.url, admin);
    await desk.goto(`${env.url}/console/members/${memberId}`);
    const purchases = desk.getByTestId('member-purchases');
    const row = purchases.getByTestId('member-purchase');
    await row.getByText('購物金 NT$100・點數 200 點・實付 NT$700').waitFor();
    await row.getByRole('button', { name: '退款' }).click();
    const dialog = desk.getByTestId('refund-dialog');
    await dialog.getByText('這筆消費 NT$1,000，尚可退款 NT$1,000。確定要退款嗎？').waitFor();
    await dialog.getByLabel('退款原因').fill('顧客退貨');
    await dialog.getByRole('button', { name: '確定退款' }).click();
    await desk
      .getByTestId('refund-done')
      .getByText('已退款 NT$1,000：退回購物金 NT$100、點數 200 點，扣回消費點數 7 點。')
      .waitFor();
    await desk.getByRole('button', { name: '關閉', exact: true }).last().click();
    await row.getByText('已退款').waitFor();
    expect(await row.getByRole('button', { name: '退款' }).count()).toBe(0);
    await desk.getByTestId('member-credit').locator('.points-big').getByText('NT$300').waitFor();
    await desk.getByTestId('member-points').locator('.points-big').getByText('500').waitFor();
    expect(await Member.findById(memberId, { creditBalance: 1, pointsBalance: 1 }).lean()).toMatchObject({
      creditBalance: 300,
      pointsBalance: 500,
    });
    expect(await findCreditDrift()).toEqual([]);
    expect(await findPointsDrift()).toEqual([]);
    expect(deskErrors).toEqual([]);
  });
});
