import type { Browser, Page } from 'playwright-core';
import { Member } from '../../models/member.model';
import { buildMember } from '../factories/console.factory';
import { startTestEnv, type TestEnv } from '../helpers/test-env';
import { launchChromium, watchErrors } from './liff-browser';
import { createConsoleAccount, desktopContext, ensureConsoleBuilt, signIn } from './console-browser';

/**
 * #16.6 in the browser: a LINE member whose phone is on an imported record shows up as 「可能是同一人」 above the
 * member list (masked); on the member page 合併 opens the existing merge at that record, and merging settles it.
 */
describe('#16.6 console: 「可能是同一人」 phone proposals', () => {
  let env: TestEnv;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    ensureConsoleBuilt();
    [env, browser] = await Promise.all([startTestEnv(), launchChromium()]);
    page = await (await desktopContext(browser)).newPage();
    errors = watchErrors(page);
  });
  afterAll(async () => {
    await browser?.close();
    await env?.close();
  });
  afterEach(() => expect(errors).toEqual([]));

  it('lists the proposal masked and merges it through the merge dialog', async () => {
    const phone = '0977123456';
    const imported = await buildMember({
      lineUserId: undefined,
      status: 'imported',
      followedAt: undefined,
      name: '何美華',
      phone,
    });
    const line = await buildMember({
      lineUserId: `Uproposal${process.pid}`,
      displayName: '美華',
      phoneClaim: { phone, importedId: imported._id, status: 'proposed', at: new Date() },
    });
    const marketer = await createConsoleAccount(env, 'marketer', 'hua', '行銷 小華');
    await signIn(page, env.url, marketer);

    await page.goto(`${env.url}/console/members`);
    const list = page.getByTestId('phone-proposals');
    await list.getByText('可能是同一人（1）').waitFor();
    expect(await list.textContent()).toContain('0977***456');
    expect(await page.content()).not.toContain(phone);

    await list.getByRole('link', { name: '美華' }).click();
    const card = page.getByTestId('phone-proposal');
    await card.getByText('0977***456').waitFor();
    await card.getByTestId('proposal-merge').click();
    const dialog = page.getByTestId('merge-dialog');
    await dialog.getByTestId('merge-confirm').waitFor();
    await dialog.getByTestId('merge-confirm').click();
    await dialog.getByText('關閉').waitFor();
    // The merge settles the proposal and the member reloads: the card goes, the dialog keeps its result (it used to
    // be remounted there, lose the result and preview the merged record again: 「這筆匯入資料已經合併過了」).
    await card.waitFor({ state: 'detached' });
    expect(await dialog.getByText('關閉').isVisible()).toBe(true);
    expect(await dialog.textContent()).not.toContain('已經合併過了');

    const after = await Member.findById(line._id).lean();
    expect(after!.phone).toBe(phone);
    expect(after!.phoneClaim?.status).toBeUndefined();
    expect((await Member.findById(imported._id).lean())!.mergedInto?.toString()).toBe(String(line._id));
  });
});
