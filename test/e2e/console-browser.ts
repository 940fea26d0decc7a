import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Member } from '../../models/member.model';
import { createConsoleUser } from '../../domain/staff/user.service';
import type { Messenger } from '../../domain/messaging/messenger';
import { ingestPurchase } from '../../domain/purchases/purchase.service';
import { rebuildStatCounters } from '../../domain/reports/stat-rebuild.service';
import type { ConsoleRole } from '../../models/console-user.model';
import type { TestEnv } from '../helpers/test-env';

/** Helpers of the console browser tests: build the console, a desktop page, sign-in, and dashboard history. */
export const repoRoot = path.resolve(__dirname, '../..');
const consoleDir = path.join(repoRoot, 'console');
const distIndex = path.join(consoleDir, 'dist', 'index.html');

/** Builds console/dist when it is missing or older than any source file (npm run build may not have run). */
export function ensureConsoleBuilt(): void {
  const sources = [
    path.join(consoleDir, 'src'),
    path.join(consoleDir, 'index.html'),
    path.join(consoleDir, 'vite.config.ts'),
    path.join(repoRoot, 'api/contracts'),
    path.join(repoRoot, 'shared'),
  ];
  if (fs.existsSync(distIndex) && fs.statSync(distIndex).mtimeMs >= newestMtime(sources)) return;
  execFileSync(
    process.execPath,
    [
      path.join(repoRoot, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      'console/vite.config.ts',
      '--logLevel',
      'warn',
    ],
    { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' } },
  );
}

function newestMtime(paths: string[]): number {
  let newest = 0;
  for (const p of paths) {
    if (!fs.existsSync(p)) continue;
    const stat = fs.statSync(p);
    newest = stat.isDirectory()
      ? Math.max(newest, newestMtime(fs.readdirSync(p).map((f) => path.join(p, f))))
      : Math.max(newest, stat.mtimeMs);
  }
  return newest;
}

/** A laptop-sized window in zh-TW / Taipei (the console is desktop first). */
export function desktopContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-TW', timezoneId: 'Asia/Taipei' });
}

/** A tablet in landscape, as at a store counter. */
export function tabletContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 1024, height: 768 },
    hasTouch: true,
    locale: 'zh-TW',
    timezoneId: 'Asia/Taipei',
  });
}

export async function createConsoleAccount(
  env: TestEnv,
  role: ConsoleRole,
  username: string,
  displayName: string,
  extra: { storeId?: string } = {},
): Promise<{ username: string; password: string }> {
  const password = `e2e-${role}-password`;
  await createConsoleUser({ username, displayName, role, password, ...extra }, env.deps.clock());
  return { username, password };
}

/** Signs in through the login form, as a person would. */
export async function signIn(
  page: Page,
  baseUrl: string,
  account: { username: string; password: string },
): Promise<void> {
  await page.goto(`${baseUrl}/console/`);
  await page.getByLabel('帳號').fill(account.username);
  await page.getByLabel('密碼').fill(account.password);
  await page.getByRole('button', { name: '登入' }).click();
  await page.locator('.sidebar').waitFor();
}

const silent: Messenger = {
  reply: async () => undefined,
  push: async () => ({ alreadyAccepted: false }),
  multicast: async () => ({ alreadyAccepted: false }),
  getProfile: async () => null,
  getQuota: async () => ({ limit: null, used: 0 }),
  validate: async () => ({ ok: true }),
  showLoading: async () => undefined,
  markAsRead: async () => undefined,
  richMenus: {
    validate: async () => ({ ok: true }),
    create: async () => 'richmenu-silent',
    uploadImage: async () => undefined,
    delete: async () => undefined,
    setAlias: async () => undefined,
    linkUser: async () => undefined,
    unlinkUser: async () => undefined,
    linkUsers: async () => undefined,
    unlinkUsers: async () => undefined,
  },
  getUnitStatistics: async () => ({ uniqueImpression: null, uniqueClick: null, clicks: [] }),
};

/**
 * A year of member history for the dashboard: members who followed in different months, some consented, some
 * finished the persona chat, some bought once or more, a few referred friends. Deterministic (no randomness).
 */
const SURNAMES = ['陳', '林', '黃', '張', '李', '王', '吳', '劉', '蔡', '楊', '許', '鄭'];
const GIVEN = ['淑芬', '冠宇', '雅琪', '承恩', '詩涵', '宗翰', '怡萱', '家瑋', '佩珊', '俊傑', '欣妤', '柏宇'];

export async function seedMemberHistory(env: TestEnv, count = 36): Promise<void> {
  const now = env.deps.clock();
  const referrers: string[] = [];
  for (let i = 0; i < count; i++) {
    const followedAt = new Date(now.getTime() - (((i * 10) % 350) + 3) * 86_400_000);
    const member = await Member.create({
      memberCode: String(3_000_000_000 + i * 7),
      lineUserId: `U${(0xe2e00000 + i).toString(16).padStart(32, '0')}`,
      displayName: `${SURNAMES[i % 12]}${GIVEN[(i * 5) % 12]}`,
      name: `${SURNAMES[i % 12]}${GIVEN[(i * 5) % 12]}`,
      phone: `09${String(21_000_000 + i * 7_331).padStart(8, '0')}`,
      status: i % 17 === 5 ? 'blocked' : 'active',
      followedAt,
      gender: i % 3 === 0 ? 'male' : 'female',
      city: ['臺北市', '新北市', '臺中市', '高雄市'][i % 4],
      consent:
        i % 5 === 4
          ? { status: 'declined', marketing: false }
          : { status: 'accepted', marketing: true, at: followedAt },
      persona: i % 3 === 2 ? {} : { completedAt: new Date(followedAt.getTime() + 3_600_000) },
      tags: [{ tag: ['咖啡', '甜點', '美妝', '運動'][i % 4], source: 'persona', addedAt: followedAt }],
      ...(i % 5 === 3 && referrers.length
        ? { referral: { referredBy: referrers[i % referrers.length], referredAt: followedAt } }
        : {}),
    });
    if (i === 2 || i === 6) referrers.push(String(member._id)); // repeat buyers who then bring friends
    const purchases = i % 4 === 0 ? 0 : i % 4 === 1 ? 1 : 2 + (i % 3);
    for (let p = 0; p < purchases; p++) {
      const at = new Date(followedAt.getTime() + (p + 1) * 9 * 86_400_000);
      if (at > now) break;
      await ingestPurchase(
        {
          orderId: `E2E-${i}-${p}`,
          member: { memberId: String(member._id) },
          amount: 300 + ((i * 137 + p * 61) % 2400),
          storeId: 'taipei-101',
          time: at.toISOString(),
        },
        { source: 'e2e-history', now: at, messenger: silent, actor: 'e2e', timeZone: 'Asia/Taipei' },
      );
    }
  }
  // Members were written straight to the collection (as an import of history would): the dashboard counters learn
  // of them the way an operator's `npm run stats:rebuild` does.
  await rebuildStatCounters();
}
