import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Shared by the LIFF browser tests and bench/liff.bench.ts: build the card, launch Debian's Chromium. */
export const repoRoot = path.resolve(__dirname, '../..');
const liffDir = path.join(repoRoot, 'liff-app');
const distIndex = path.join(liffDir, 'dist', 'index.html');

/** Builds liff-app/dist when it is missing or older than any source file (npm run build may not have run). */
export function ensureLiffBuilt(): void {
  const newestSource = newestMtime([
    path.join(liffDir, 'src'),
    path.join(liffDir, 'sw'),
    path.join(liffDir, 'public'),
    path.join(liffDir, 'index.html'),
    path.join(liffDir, 'vite.config.ts'),
    path.join(repoRoot, 'api/contracts/member.ts'),
    path.join(repoRoot, 'shared'),
  ]);
  if (fs.existsSync(distIndex) && fs.statSync(distIndex).mtimeMs >= newestSource) return;
  execFileSync(
    process.execPath,
    [
      path.join(repoRoot, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      'liff-app/vite.config.ts',
      '--logLevel',
      'warn',
    ],
    { cwd: repoRoot, stdio: 'inherit' },
  );
}

function newestMtime(paths: string[]): number {
  let newest = 0;
  for (const p of paths) {
    if (!fs.existsSync(p)) continue;
    const stat = fs.statSync(p);
    if (stat.isDirectory()) newest = Math.max(newest, newestMtime(fs.readdirSync(p).map((f) => path.join(p, f))));
    else newest = Math.max(newest, stat.mtimeMs);
  }
  return newest;
}

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** A phone-sized page (360 px wide, like the smallest common Android screens) in zh-TW, as inside LINE. */
export function phoneContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-TW',
    timezoneId: 'Asia/Taipei',
  });
}

/** Collects uncaught page errors and console errors, so a test can assert the page stayed clean. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    // 4xx answers are designed outcomes the page handles (validation, 401 re-login); the browser still logs them.
    if (msg.type() === 'error' && !/status of 4\d\d/.test(msg.text())) errors.push(`console: ${msg.text()}`);
  });
  return errors;
}

/**
 * Reads a QR code rendered on the page (an SVG) back to text with jsQR, inside the page: proves the code is a
 * real, scannable QR of the right value, not just a picture.
 */
export async function decodeQr(page: Page, selector: string): Promise<string | null> {
  // Evaluated through the DevTools protocol, not added as a <script>: the card's CSP rightly refuses inline scripts.
  await page.evaluate(fs.readFileSync(require.resolve('jsqr/dist/jsQR.js'), 'utf8'));
  return page.$eval(selector, async (svg) => {
    const xml = new XMLSerializer().serializeToString(svg);
    const img = new Image();
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(xml)}`;
    await img.decode();
    const size = 400;
    const canvas = document.createElement('canvas');
    canvas.width = size;
    canvas.height = size;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(img, 0, 0, size, size);
    const data = ctx.getImageData(0, 0, size, size);
    const found = (
      window as unknown as { jsQR: (d: Uint8ClampedArray, w: number, h: number) => { data: string } | null }
    ).jsQR(data.data, size, size);
    return found ? found.data : null;
  });
}

/** What the card's origin keeps in the browser: localStorage, IndexedDB databases, CacheStorage, service workers. */
export async function originStorage(page: Page): Promise<{
  localStorage: Record<string, string>;
  indexedDb: string[];
  caches: Record<string, string[]>;
  serviceWorkers: number;
}> {
  return page.evaluate(async () => {
    const local: Record<string, string> = {};
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i)!;
      local[key] = localStorage.getItem(key) ?? '';
    }
    const cached: Record<string, string[]> = {};
    for (const name of await caches.keys())
      cached[name] = (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname);
    return {
      localStorage: local,
      indexedDb: ((await indexedDB.databases()) ?? []).map((d) => d.name ?? ''),
      caches: cached,
      serviceWorkers: (await navigator.serviceWorker.getRegistrations()).length,
    };
  });
}
