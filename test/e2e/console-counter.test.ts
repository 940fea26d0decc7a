import type { Browser } from 'playwright-core';
import { Coupon } from '../../models/coupon.model';
import { Purchase } from '../../models/purchase.model';
import { issueCoupon } from '../../domain/coupons';
import { buildMember } from '../factories/console.factory';
import { createTemplate } from '../factories/program.factory';
import { startTestEnv, type TestEnv } from '../helpers/test-env';
import { launchChromium, watchErrors } from './liff-browser';
import { createConsoleAccount, ensureConsoleBuilt, signIn, tabletContext } from './console-browser';

/**
 * #16.5 in Chromium, as a store clerk on a tablet: a NT$1,000-minimum coupon shows its terms, is refused below the
 * minimum, is redeemed with the order amount and the linked purchase, appears in today's list, and is undone there.
 */
describe('the counter forgives mistakes (Chromium, tablet)', () => {
  let env: TestEnv;
  let browser: Browser;
  const now = new Date('2025-06-02T05:50:00Z'); // Monday 13:50 in Taipei

  beforeAll(async () => {
    ensureConsoleBuilt();
    [env, browser] = await Promise.all([startTestEnv({ clock: () => now }), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await env?.close();
  });

  it('redeems a minimum-spend coupon with an amount, shows it in today’s list and undoes it', async () => {
    const member = await buildMember({ displayName: '林雅琪' });
    const tpl = await createTemplate({ title: '滿千折百', minSpend: 1_000, terms: '不可與其他優惠併用' });
    const { coupon } = await issueCoupon({
      templateId: tpl.id,
      memberId: String(member._id),
      key: 'e2e-counter-coupon',
      now,
      timeZone: 'Asia/Taipei',
    });
    const clerk = await createConsoleAccount(env, 'staff', 'clerk-f', '門市 小林', { storeId: 'taipei-101' });
    const tablet = await (await tabletContext(browser)).newPage();
    const errors = watchErrors(tablet);
    await signIn(tablet, env.url, clerk);
    await tablet.getByRole('heading', { name: '門市櫃台' }).waitFor();
    await tablet.getByTestId('counter-today').getByText('今天還沒有交易').waitFor();

    await tablet.getByLabel('掃描或輸入會員編號、手機、優惠券代碼').fill(coupon.code);
    await tablet.getByRole('button', { name: '查詢' }).click();
    const card = tablet.getByTestId('counter-coupon');
    const terms = await card.getByTestId('coupon-terms').textContent();
    expect(terms).toContain('滿 NT$1,000 可用');
    expect(terms).toContain('全門市適用');
    expect(terms).toContain('不可與其他優惠併用');

    // Below the minimum: refused in zh-TW, nothing changes.
    await card.getByLabel('訂單金額（元）').fill('800');
    await card.getByRole('button', { name: '核銷', exact: true }).click();
    await card.getByText('未達最低消費 NT$1,000，無法使用這張優惠券。').waitFor();
    expect((await Coupon.findById(coupon.id).lean())!.status).toBe('active');

    await card.getByLabel('訂單金額（元）').fill('1280');
    await card.getByLabel('同時登錄這筆消費').check();
    await card.getByRole('button', { name: '核銷', exact: true }).click();
    await tablet.getByTestId('counter-message').getByText('已核銷「滿千折百」並登錄消費 NT$1,280').waitFor();
    const redeemed = await Coupon.findById(coupon.id).lean();
    expect(redeemed).toMatchObject({ status: 'used', usedStoreId: 'taipei-101', redeemOrderAmount: 1_280 });
    const purchase = await Purchase.findOne({ memberId: member._id }).lean();
    expect(String(purchase!.couponId)).toBe(coupon.id);

    const today = tablet.getByTestId('counter-today');
    const redemptionRow = today.locator('.today-redemption', { hasText: '使用「滿千折百」' });
    await redemptionRow.waitFor();
    await today
      .locator('.today-purchase', { hasText: '消費 NT$1,280' })
      .getByRole('button', { name: '作廢' })
      .waitFor();

    await redemptionRow.getByRole('button', { name: '取消核銷' }).click();
    await tablet.getByTestId('counter-message').getByText('已取消核銷「滿千折百」').waitFor();
    await redemptionRow.waitFor({ state: 'detached' });
    const undone = await Coupon.findById(coupon.id).lean();
    expect(undone!.status).toBe('active');
    expect(undone!.reversals).toHaveLength(1);
    expect((await Purchase.findById(purchase!._id).lean())!.couponId).toBeFalsy();
    expect(errors).toEqual([]);
  });
});
