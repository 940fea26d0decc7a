import type { Browser, BrowserContext, Page } from 'playwright-core';
import { getProgramSettings, updateProgramSettings } from '../../domain/program/settings.service';
import { startTestEnv, type TestEnv } from '../helpers/test-env';
import { createLiffMember, type LiffMember } from '../factories/liff-member.factory';
import { decodeQr, ensureLiffBuilt, launchChromium, originStorage, phoneContext, watchErrors } from './liff-browser';

/**
 * The brand on the card, 會員權益, and the card in a basement: in headless Chromium at 360 px, local mode (mock LIFF
 * with a real emulator ID token). One phone (browser context) visits once, loses its signal, reopens the card,
 * gets the signal back and deletes the member's data.
 */
describe('LIFF card: brand, 會員權益, offline', () => {
  let env: TestEnv;
  let browser: Browser;
  let member: LiffMember;

  beforeAll(async () => {
    ensureLiffBuilt();
    [env, browser] = await Promise.all([startTestEnv(), launchChromium()]);
    const current = await getProgramSettings();
    await updateProgramSettings(
      {
        brand: {
          ...current.brand,
          name: '山嵐茶室',
          primaryColor: '#7c2d12',
          accentColor: '#eab308',
          stores: [
            {
              id: 'tainan',
              name: '台南中西區門市',
              address: '台南市中西區神農街 88 號',
              hours: '每日 10:00–20:00',
              mapUrl: 'https://maps.google.com/?q=台南市中西區神農街88號',
            },
          ],
        },
      },
      'marketer',
    );
    member = await createLiffMember(env, { displayName: '蔡宜庭', purchases: [4200], coupons: ['滿千折百'] });
  });
  afterAll(async () => {
    await browser?.close();
    await env?.close();
  });

  const cardUrl = () => `${env.url}/liff/?mockUser=${member.userId}`;
  const noSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  describe('#14 brand on the card', () => {
    it("shows the brand's logo, name and colour, its stores and the terms and privacy links at 360 px", async () => {
      const context = await phoneContext(browser);
      const page = await context.newPage();
      const errors = watchErrors(page);
      await page.goto(cardUrl());
      await page.getByTestId('card').waitFor();
      expect(await page.getByTestId('brand-name').textContent()).toBe('山嵐茶室');
      const logo = page.getByTestId('brand-logo');
      expect(await logo.getAttribute('src')).toBe('/liff/brand-logo.svg');
      expect(await logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
      // The colour reaches the page as a CSS variable and paints the brand bar.
      expect(
        await page.evaluate(() => getComputedStyle(document.querySelector('.app')!).getPropertyValue('--brand').trim()),
      ).toBe('#7c2d12');
      expect(await page.getByTestId('brand').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(
        'rgb(124, 45, 18)',
      );
      expect(await page.getByTestId('store').allTextContents()).toEqual([expect.stringContaining('台南中西區門市')]);
      expect(await page.getByTestId('store').textContent()).toContain('神農街 88 號');
      expect(await page.getByTestId('terms-link').getAttribute('href')).toMatch(/^https:\/\/.+\/terms$/);
      expect(await page.getByTestId('privacy-link').getAttribute('href')).toMatch(/^https:\/\/.+\/privacy$/);
      expect(await noSideways(page)).toBe(true);
      expect(errors).toEqual([]);
      await context.close();
    });
  });

  describe('#14.5 會員權益 page', () => {
    it('is linked from the card and opens by its deep link, with the rules from the program settings', async () => {
      const context = await phoneContext(browser);
      const page = await context.newPage();
      await page.goto(cardUrl());
      await page.getByTestId('benefits-link').click();
      await page.getByTestId('benefits').waitFor();
      expect(new URL(page.url()).pathname).toBe('/liff/benefits');
      expect(await page.getByTestId('benefit-earn').textContent()).toContain('每消費 NT$100 累積 1 點');
      expect(await page.getByTestId('benefit-expiry').textContent()).toContain('點數有效至獲得隔年的 12 月 31 日');
      expect(await page.getByTestId('benefit-tier').allTextContents()).toEqual([
        expect.stringContaining('一般加入會員即享'),
        expect.stringMatching(/銀卡近 12 個月消費滿 NT\$10,000消費點數 1\.5 倍/),
        expect.stringMatching(/金卡近 12 個月消費滿 NT\$30,000消費點數 2 倍/),
      ]);
      expect(await page.getByTestId('benefit-birthday').textContent()).toContain('生日當天送您 100 點');
      expect(await page.getByTestId('benefit-referral').textContent()).toContain(
        '好友完成首次消費後，您可獲得 100 點；好友加入可獲得 50 點',
      );
      expect(await noSideways(page)).toBe(true);

      // The FAQ's link: https://liff.line.me/{liffId}/benefits opens /liff/benefits.
      const direct = await context.newPage();
      await direct.goto(`${env.url}/liff/benefits?mockUser=${member.userId}`);
      await direct.getByTestId('benefits').waitFor();
      expect(await direct.getByRole('heading', { name: '會員權益' }).count()).toBe(1);
      await context.close();
    });
  });

  describe('#14.4 the card works offline', () => {
    let context: BrowserContext;
    let page: Page;
    beforeAll(async () => {
      context = await phoneContext(browser);
      page = await context.newPage();
    });
    afterAll(() => context?.close());

    it('after one visit, reopening without network shows the member code at once with 「離線中，點數為 HH:mm 的資料」', async () => {
      await page.goto(cardUrl());
      await page.getByTestId('card').waitFor();
      // Open a coupon once: the cashier can still scan it offline.
      await page.getByRole('link', { name: '優惠券', exact: true }).click();
      await page.getByTestId('coupon-item').first().click();
      await page.getByTestId('coupon-code').waitFor();
      const couponCode = (await page.getByTestId('coupon-code').textContent())!;
      await page.evaluate(() => navigator.serviceWorker.ready);

      const stored = await originStorage(page);
      // The shell is cached; no API answer is (the member's data stays out of CacheStorage).
      const cachedPaths = Object.values(stored.caches).flat();
      expect(cachedPaths).toEqual(expect.arrayContaining(['/liff/', '/liff/brand-logo.svg']));
      expect(cachedPaths.some((p) => p.startsWith('/liff/assets/index-'))).toBe(true);
      expect(cachedPaths.filter((p) => p.startsWith('/api/'))).toEqual([]);
      // The ID token is never stored (a JWT starts with eyJ).
      expect(JSON.stringify(stored.localStorage)).not.toMatch(/eyJ[\w-]+\./);

      await context.setOffline(true);
      const started = Date.now();
      await page.goto(cardUrl());
      await page.getByTestId('member-code').waitFor();
      const shownAfter = Date.now() - started;
      const mark = await page.evaluate(() => performance.getEntriesByName('huigo:offline-code-shown')[0]?.startTime);
      console.log(
        `#14.4 offline reopen: member code shown ${shownAfter} ms after navigation (page mark ${mark?.toFixed(0)} ms)`,
      );
      expect(await page.getByTestId('offline-card').count()).toBe(1);
      expect(await page.getByTestId('member-code').textContent()).toBe(member.memberCode);
      expect(await decodeQr(page, '.code-panel [data-testid="qr"]')).toBe(member.memberCode);
      expect(await page.locator('[data-testid="barcode"] rect').count()).toBeGreaterThan(20);
      const asOf = new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Asia/Taipei',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      });
      const notice = (await page.getByTestId('offline-notice').textContent())!;
      expect(notice).toMatch(/離線中，點數為 \d{2}:\d{2} 的資料/);
      const shownTime = /(\d{2}:\d{2})/.exec(notice)![1];
      const now = Date.now();
      expect([asOf.format(now), asOf.format(now - 60_000), asOf.format(now - 120_000)]).toContain(shownTime);
      expect(await page.getByTestId('display-name').textContent()).toBe('蔡宜庭');
      expect(await page.getByTestId('tier').textContent()).toBe('一般');
      expect(await page.getByTestId('points-balance').textContent()).toBe('42');
      expect(await page.getByTestId('brand-name').textContent()).toBe('山嵐茶室');
      const coupon = page.getByTestId('offline-coupon');
      expect(await coupon.count()).toBe(1);
      expect(await coupon.textContent()).toContain('離線資料');
      expect(await page.getByTestId('offline-coupon-code').textContent()).toBe(couponCode);
      expect(await noSideways(page)).toBe(true);
    });

    it('with the signal back, signs in by itself and shows the fresh card', async () => {
      expect(await page.getByRole('button', { name: '重新連線' }).count()).toBe(1);
      await context.setOffline(false);
      await page.getByTestId('card').waitFor();
      expect(await page.getByTestId('offline-notice').count()).toBe(0);
      expect(await page.getByTestId('member-code').textContent()).toBe(member.memberCode);
    });

    it('with a signal too weak to sign in, shows the stored code instead of waiting, then the fresh card', async () => {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      await page.route('**/api/member/config', async (route) => {
        await held;
        await route.continue();
      });
      await page.goto(cardUrl());
      await page.getByTestId('offline-notice').waitFor();
      expect(await page.getByTestId('member-code').textContent()).toBe(member.memberCode);
      release();
      await page.getByTestId('card').waitFor();
      expect(await page.getByTestId('offline-notice').count()).toBe(0);
      await page.unroute('**/api/member/config');
    });

    it('after 「刪除我的資料」 nothing of the member remains in localStorage, IndexedDB or CacheStorage', async () => {
      await page.getByRole('link', { name: '我的', exact: true }).click();
      await page.getByTestId('delete-data').click();
      await page.getByTestId('delete-confirm-button').click();
      await page.getByTestId('erased').waitFor();
      const left = await originStorage(page);
      expect(left).toEqual({ localStorage: {}, indexedDb: [], caches: {}, serviceWorkers: 0 });
      expect(await page.evaluate(() => sessionStorage.length)).toBe(0);

      // Reopened without signal, the phone has no member code to show any more.
      await context.setOffline(true);
      await page.goto(cardUrl()).catch(() => undefined);
      expect(await page.getByTestId('member-code').count()).toBe(0);
      await context.setOffline(false);
    });
  });

  describe('#14.4 a shared phone', () => {
    it("drops the previous member's stored card and coupons when another LINE user opens the card", async () => {
      const first = await createLiffMember(env, { displayName: '江俊賢', coupons: ['買一送一'] });
      const other = await createLiffMember(env, { displayName: '高子晴' });
      const context = await phoneContext(browser);
      const page = await context.newPage();
      await page.goto(`${env.url}/liff/?mockUser=${first.userId}`);
      await page.getByTestId('card').waitFor();
      await page.goto(`${env.url}/liff/coupons/${first.couponIds[0]}?mockUser=${first.userId}`);
      await page.getByTestId('coupon-code').waitFor();
      expect(JSON.parse((await originStorage(page)).localStorage['huigo.lastView'])).toMatchObject({
        memberCode: first.memberCode,
        coupons: [expect.objectContaining({ id: first.couponIds[0] })],
      });
      await page.goto(`${env.url}/liff/?mockUser=${other.userId}`);
      await page.getByTestId('card').waitFor();
      const stored = await originStorage(page);
      const view = JSON.parse(stored.localStorage['huigo.lastView']) as { memberCode: string; coupons: unknown[] };
      expect(view).toMatchObject({ memberCode: other.memberCode, coupons: [] });
      expect(JSON.stringify(stored.localStorage)).not.toContain(first.memberCode);
      await context.close();
    });

    it('after 登出 the phone keeps nothing of the member, and opening the card again signs in anew', async () => {
      const m = await createLiffMember(env, { displayName: '許雅筑', coupons: ['滿千折百'] });
      const context = await phoneContext(browser);
      const page = await context.newPage();
      await page.goto(`${env.url}/liff/coupons/${m.couponIds[0]}?mockUser=${m.userId}`);
      await page.getByTestId('coupon-code').waitFor();
      await page.evaluate(() => navigator.serviceWorker.ready);
      expect(Object.keys((await originStorage(page)).localStorage)).toContain('huigo.lastView');
      await page.goto(`${env.url}/liff/profile?mockUser=${m.userId}`);
      await page.getByTestId('logout').click();
      await page.getByTestId('logged-out').waitFor();
      expect(await originStorage(page)).toEqual({ localStorage: {}, indexedDb: [], caches: {}, serviceWorkers: 0 });
      await page.getByRole('button', { name: '重新開啟會員卡' }).click();
      await page.getByTestId('member-code').waitFor();
      expect(await page.getByTestId('member-code').textContent()).toBe(m.memberCode);
      await context.close();
    });
  });
});
