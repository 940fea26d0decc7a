import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { rebuildAffinity } from '../../domain/purchases/affinity.service';
import { ingestPurchase } from '../../domain/purchases/purchase.service';
import { createLineMember } from '../factories/program.factory';
import { startTestEnv, type TestEnv } from '../helpers/test-env';
import { ensureLiffBuilt, launchChromium, watchErrors } from './liff-browser';
import { createConsoleAccount, desktopContext, ensureConsoleBuilt, repoRoot, signIn } from './console-browser';

const ITEMS = {
  A: { sku: 'SK-TONER', name: '保濕化妝水', category: '保養' },
  B: { sku: 'SK-SERUM', name: '修護精華液', category: '保養' },
  C: { sku: 'SK-LIP', name: '霧面唇膏', category: '彩妝' },
};

/** #17.2 the 商品關聯 page in Chromium: pick a SKU, read its co-purchases and the rule, open a segment of its buyers. */
describe('#17.2 console 商品關聯 page in Chromium', () => {
  let env: TestEnv;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    ensureConsoleBuilt();
    ensureLiffBuilt();
    [env, browser] = await Promise.all([startTestEnv(), launchChromium()]);
    const baskets: Array<Array<keyof typeof ITEMS>> = [
      ['A', 'B'],
      ['A', 'B'],
      ['A', 'B', 'C'],
      ['A', 'C'],
      ['C'],
      ['B'],
    ];
    let n = 0;
    for (const basket of baskets) {
      const { member } = await createLineMember(env);
      await ingestPurchase(
        {
          orderId: `E2E-AF-${++n}`,
          member: { memberId: String(member._id) },
          amount: basket.length * 500,
          items: basket.map((k) => ({ ...ITEMS[k], quantity: 1, amount: 500 })),
        },
        { source: 'pos', now: new Date(), messenger: env.deps.messenger, timeZone: 'Asia/Taipei' },
      );
    }
    await rebuildAffinity({ rule: { minSupport: 2, minLift: 1.2 } });
    const marketer = await createConsoleAccount(env, 'marketer', 'affinity-marketer', '行銷 小安');
    page = await (await desktopContext(browser)).newPage();
    errors = watchErrors(page);
    await signIn(page, env.url, marketer);
  });
  afterAll(async () => {
    await browser?.close();
    await env?.close();
  });

  it('shows a SKU’s buyers, the co-purchase table with lift, the rule, and links to a segment of its buyers', async () => {
    await page.goto(`${env.url}/console/affinity`);
    await page.getByTestId('affinity-suggestion-rule').waitFor();
    expect(await page.getByTestId('affinity-suggestion-rule').textContent()).toContain('提升度 ≥ 1.2');
    await page.getByRole('tab', { name: '商品（SKU）' }).click();
    await page.getByTestId('affinity-pick').selectOption('SK-TONER');
    const table = page.getByTestId('affinity-related');
    // The card of the SKU picked (a stale pick would show another SKU's card, which lists 修護精華液 too).
    await table.getByRole('heading', { name: '保濕化妝水：也買了' }).waitFor();
    await table.getByText('修護精華液').waitFor();
    // A: 4 buyers of 6; B with A: 3 co-buyers, 75%, lift 0.75 / (4/6) = 1.13.
    expect(await page.getByTestId('affinity-buyers').textContent()).toContain('4');
    const row = await table.locator('tr', { hasText: '修護精華液' }).textContent();
    expect(row).toContain('75%');
    expect(row).toContain('1.13 倍');
    await page.screenshot({ path: path.join(repoRoot, 'docs/console-affinity.png'), fullPage: false });
    await table.getByRole('link', { name: '建立這群購買者的分群' }).click();
    await page.waitForURL(/\/console\/segments\/new\?bought=sku&value=SK-TONER/);
    // The new segment's 買過 condition holds the SKU in its value field (the editor's typed values with suggestions).
    await page.waitForFunction(() =>
      [...document.querySelectorAll('input')].some((i) => (i as HTMLInputElement).value === 'SK-TONER'),
    );
    expect(errors).toEqual([]);
  });
});
