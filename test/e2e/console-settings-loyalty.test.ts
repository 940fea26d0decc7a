import type { Browser, Page } from 'playwright-core';
import { getProgramSettings } from '../../domain/program/settings.service';
import { startTestEnv, type TestEnv } from '../helpers/test-env';
import { ensureLiffBuilt, launchChromium, watchErrors } from './liff-browser';
import { createConsoleAccount, desktopContext, ensureConsoleBuilt, signIn } from './console-browser';

/**
 * #16.2/#16.3/#16.5 in the browser: an admin sets the 購物金 gifts and caps, the 點數折抵 rate and the counter's
 * checks on the settings page; they are stored and shown after a reload; an invalid value is refused with the
 * field's zh-TW error and nothing stored changes.
 */
describe('#16 settings: 購物金, 點數折抵 and the counter in Chromium', () => {
  let env: TestEnv;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    ensureConsoleBuilt();
    ensureLiffBuilt(); // the console's header shows the brand logo the LIFF build serves
    [env, browser] = await Promise.all([startTestEnv(), launchChromium()]);
    const admin = await createConsoleAccount(env, 'admin', 'loyalty-admin', '店長 小周');
    page = await (await desktopContext(browser)).newPage();
    errors = watchErrors(page);
    await signIn(page, env.url, admin);
  });
  afterAll(async () => {
    await browser?.close();
    await env?.close();
  });

  it('saves the credit gifts, the caps by role and the points rate; a reload shows them', async () => {
    await page.goto(`${env.url}/console/settings`);
    const credit = page.getByTestId('settings-credit');
    const payment = page.getByTestId('settings-payment');
    await credit.waitFor();
    await credit.getByLabel('生日購物金（NT$）').fill('200');
    await credit.getByLabel('生日購物金有效天數').fill('45');
    await credit.getByLabel('行銷人員').fill('800');
    await credit.getByLabel('退款可改發購物金').check();
    await credit.getByLabel('退款購物金有效天數').fill('180');
    await payment.getByLabel('幾點折抵 NT$1').fill('10');
    await payment.getByLabel('點數最多折抵訂單金額的 %').fill('30');
    await payment.getByLabel('門市人員單筆點數調整上限').fill('300');
    await page.getByRole('button', { name: '儲存', exact: true }).click();
    await page.getByText('設定已儲存').waitFor();

    const stored = await getProgramSettings();
    expect(stored.credit).toMatchObject({
      birthdayAmount: 200,
      birthdayValidDays: 45,
      refundAsCredit: true,
      refundValidDays: 180,
      manualGrantCap: { staff: 200, marketer: 800, admin: 5000 },
    });
    expect(stored.pointsPayment).toMatchObject({ pointsPerNtd: 10, maxPercentOfOrder: 30 });
    expect(stored.counter.staffPointsCap).toBe(300);

    await page.reload();
    await credit.waitFor();
    expect(await credit.getByLabel('生日購物金（NT$）').inputValue()).toBe('200');
    expect(await credit.getByLabel('行銷人員').inputValue()).toBe('800');
    expect(await payment.getByLabel('幾點折抵 NT$1').inputValue()).toBe('10');
    expect(await payment.getByText('目前 10 點 = NT$1').count()).toBe(1);
  });

  it('an unusual-amount multiplier under 2 is refused beside its field; nothing stored changes', async () => {
    await page.goto(`${env.url}/console/settings`);
    const payment = page.getByTestId('settings-payment');
    await payment.waitFor();
    const before = await getProgramSettings();
    await payment.getByLabel('金額異常提醒：超過平常客單價幾倍').fill('1');
    await payment.getByLabel('點數最多折抵訂單金額的 %').fill('40');
    await page.getByRole('button', { name: '儲存', exact: true }).click();
    await payment.getByText('倍數至少 2 倍').waitFor();
    const after = await getProgramSettings();
    expect(after.counter).toEqual(before.counter);
    expect(after.pointsPayment).toEqual(before.pointsPayment);
    expect(errors).toEqual([]);
  });
});
