/**
 * The LIFF member card: bundle size (gzip) of the app's own JS against the 60 KB budget (the @line/liff SDK is
 * counted apart, and @line/liff-mock only loads in local mode), and time to the card being rendered in Chromium
 * (navigation start → the card's `huigo:card-rendered` performance mark, set once the card with the member code
 * is on screen), cold (new browser profile) and warm; then cold at Lighthouse's "Fast 3G" (150 ms RTT, 1.6 Mbps
 * down, 750 kbps up, via CDP `Network.emulateNetworkConditions`) with the CPU slowed 4× (`Emulation.
 * setCPUThrottlingRate`), against issue #18's goal of ≤ 2.5 s.
 * Also the time to the member code shown offline (#14.4). `npx tsx bench/liff.bench.ts` (BENCH_RUNS=… to change the number of page loads, BENCH_SLOW_RUNS for the
 * throttled ones).
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { rootLogger } from '../domain/shared/logger';
import { startTestEnv } from '../test/helpers/test-env';
import { createLiffMember } from '../test/factories/liff-member.factory';
import { ensureLiffBuilt, launchChromium, phoneContext, repoRoot } from '../test/e2e/liff-browser';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const SLOW_RUNS = Number(process.env.BENCH_SLOW_RUNS ?? 5);
/** Lighthouse's mobile throttling ("Fast 3G" as Lighthouse defines it; DevTools' own preset is slower). */
const FAST_3G = {
  offline: false,
  latency: 150,
  downloadThroughput: (1.6 * 1024 * 1024) / 8,
  uploadThroughput: (750 * 1024) / 8,
};
const CPU_SLOWDOWN = 4;
const COLD_GOAL_MS = 2500;
const BUDGET_KB = 60;
const dist = path.join(repoRoot, 'liff-app/dist');

interface ManifestChunk {
  file: string;
  name?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const gzipSize = (file: string) => zlib.gzipSync(fs.readFileSync(path.join(dist, file)), { level: 9 }).length;

/** Sizes from the Vite manifest: the entry and its static imports are the app; named SDK chunks are reported apart. */
export function measureBundle(): {
  appJs: number;
  css: number;
  sdk: number;
  mock: number;
  files: Array<[string, string, number, number]>;
} {
  const manifest = JSON.parse(fs.readFileSync(path.join(dist, '.vite/manifest.json'), 'utf8')) as Record<
    string,
    ManifestChunk
  >;
  const files: Array<[string, string, number, number]> = [];
  let appJs = 0;
  let css = 0;
  let sdk = 0;
  let mock = 0;
  for (const chunk of Object.values(manifest)) {
    const gz = gzipSize(chunk.file);
    const role =
      chunk.name === 'liff-sdk'
        ? '@line/liff SDK (excluded)'
        : chunk.name === 'liff-mock'
          ? '@line/liff-mock (local mode only)'
          : 'app';
    files.push([chunk.file, role, fs.statSync(path.join(dist, chunk.file)).size, gz]);
    if (chunk.name === 'liff-sdk') sdk += gz;
    else if (chunk.name === 'liff-mock') mock += gz;
    else appJs += gz;
    for (const c of chunk.css ?? []) {
      const cgz = gzipSize(c);
      css += cgz;
      files.push([c, 'app CSS', fs.statSync(path.join(dist, c)).size, cgz]);
    }
  }
  return { appJs, css, sdk, mock, files };
}

/**
 * What the card's JS costs on the wire as the server sends it: each JS file of the build fetched with no
 * compression (what the server sent before it compressed anything), with brotli and with gzip.
 */
async function measureTransfer(baseUrl: string): Promise<void> {
  const files = fs.readdirSync(path.join(dist, 'assets')).filter((f) => f.endsWith('.js'));
  const total: Record<string, number> = { identity: 0, br: 0, gzip: 0 };
  console.log('LIFF JS as transferred by the server (Content-Length):');
  for (const f of files) {
    const sizes: Record<string, number> = {};
    for (const enc of ['identity', 'br', 'gzip']) {
      const res = await fetch(`${baseUrl}/liff/assets/${f}`, { headers: { 'accept-encoding': enc } });
      sizes[enc] = Number(res.headers.get('content-length') ?? (await res.arrayBuffer()).byteLength);
      if (res.bodyUsed === false) await res.arrayBuffer();
      total[enc] += sizes[enc];
    }
    console.log(
      `  ${f.padEnd(34)} uncompressed ${kb(sizes.identity).padStart(9)}  br ${kb(sizes.br).padStart(8)}  gzip ${kb(sizes.gzip).padStart(8)}`,
    );
  }
  console.log(
    `  total JS: before (no compression) ${kb(total.identity)} → after ${kb(total.br)} br / ${kb(total.gzip)} gzip (${Math.round((1 - total.br / total.identity) * 100)}% less with br)`,
  );
}

function stats(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const median = s[Math.floor(s.length / 2)];
  return `median ${median.toFixed(0)} ms · min ${s[0].toFixed(0)} · max ${s[s.length - 1].toFixed(0)} (n=${s.length})`;
}

/**
 * #14.4: time to the member code shown with no network, after one visit (service worker installed, last view
 * stored): navigation start → the offline card's `huigo:offline-code-shown` mark, over RUNS reopenings.
 */
async function measureOfflineCode(browser: Browser, url: string): Promise<void> {
  const context = await phoneContext(browser);
  const page = await context.newPage();
  await page.goto(url);
  await page.getByTestId('card').waitFor();
  await page.evaluate(() => navigator.serviceWorker.ready);
  await context.setOffline(true);
  const offline: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await page.goto(url);
    await page.getByTestId('offline-notice').waitFor();
    const mark = await page.waitForFunction(
      () => performance.getEntriesByName('huigo:offline-code-shown')[0]?.startTime,
    );
    offline.push((await mark.jsonValue()) as number);
  }
  await context.close();
  console.log(`  offline reopen (no network, after one visit) → member code shown: ${stats(offline)}`);
}

export async function run(): Promise<void> {
  rootLogger.level = 'silent';
  ensureLiffBuilt();
  const bundle = measureBundle();
  console.log('LIFF bundle (gzip -9):');
  for (const [file, role, raw, gz] of bundle.files)
    console.log(`  ${file.padEnd(34)} ${role.padEnd(34)} ${kb(raw).padStart(9)} raw  ${kb(gz).padStart(8)} gzip`);
  const verdict = bundle.appJs <= BUDGET_KB * 1024 ? 'within' : 'OVER';
  console.log(
    `  app JS (excluding @line/liff): ${kb(bundle.appJs)} gzip — ${verdict} the ${BUDGET_KB} KB budget; CSS ${kb(bundle.css)}; SDK ${kb(bundle.sdk)}; mock ${kb(bundle.mock)}`,
  );

  const env = await startTestEnv();
  await measureTransfer(env.url);
  if (process.env.BENCH_TRANSFER_ONLY) return env.close();
  const browser = await launchChromium();
  try {
    const member = await createLiffMember(env, {
      displayName: '測速會員',
      purchases: [3200, 5400],
      coupons: ['滿千折百', '生日禮'],
    });
    const url = `${env.url}/liff/?mockUser=${member.userId}`;
    const timeToCard = async (page: Page) => {
      await page.goto(url);
      await page.getByTestId('card').waitFor();
      // The mark is set in an effect just after the card's first paint.
      const mark = await page.waitForFunction(() => performance.getEntriesByName('huigo:card-rendered')[0]?.startTime);
      return (await mark.jsonValue()) as number;
    };
    const cold: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const context = await phoneContext(browser);
      cold.push(await timeToCard(await context.newPage()));
      await context.close();
    }
    /** A new page whose network and CPU are throttled before it loads anything. */
    const throttledPage = async (ctx: BrowserContext): Promise<Page> => {
      const p = await ctx.newPage();
      const cdp = await ctx.newCDPSession(p);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', FAST_3G);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
      return p;
    };
    const slow: number[] = [];
    for (let i = 0; i < SLOW_RUNS; i++) {
      const ctx = await phoneContext(browser);
      slow.push(await timeToCard(await throttledPage(ctx)));
      await ctx.close();
    }
    const context = await phoneContext(browser);
    const page = await context.newPage();
    await timeToCard(page);
    const warm: number[] = [];
    for (let i = 0; i < RUNS; i++) warm.push(await timeToCard(page));
    await context.close();
    console.log(
      'Time to card rendered in headless Chromium (360×740, local server, mock LIFF + emulator ID token verify):',
    );
    console.log(`  cold (empty cache): ${stats(cold)}`);
    console.log(`  warm (cached assets): ${stats(warm)}`);
    const slowMedian = [...slow].sort((a, b) => a - b)[Math.floor(slow.length / 2)];
    console.log(
      `  cold at Fast 3G (150 ms RTT, 1.6 Mbps down, 750 kbps up) + ${CPU_SLOWDOWN}× CPU: ${stats(slow)} — goal ≤ ${COLD_GOAL_MS} ms: ${slowMedian <= COLD_GOAL_MS ? 'met' : 'NOT met'}`,
    );
    await measureOfflineCode(browser, url);
  } finally {
    await browser.close();
    await env.close();
  }
}

if (require.main === module) {
  run().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
