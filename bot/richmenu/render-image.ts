import path from 'node:path';
import { RICH_MENU_SIZE, RICH_MENU_TILES, type RichMenuTile, tileBounds } from './definition';

/**
 * Draws bot/richmenu/richmenu.png from the tile list (labels, hints, icons) with headless Chromium, so the
 * shipped image always matches the tappable areas. Run after changing the tiles:
 *
 *   npx tsx bot/richmenu/render-image.ts            (needs Chromium and a CJK font, e.g. fonts-noto-cjk)
 *
 * The PNG is committed; `npm run richmenu` only uploads it and never needs a browser.
 */

const GREEN = '#06C755';
const INK = '#1F2D27';

const ICONS: Record<RichMenuTile['icon'], string> = {
  card: '<rect x="8" y="22" width="84" height="56" rx="9"/><line x1="8" y1="38" x2="92" y2="38"/><path d="M22 54v12M30 54v12M36 54v12M44 54v12M50 54v12M58 54v12"/>',
  points: '<circle cx="50" cy="50" r="40"/><path d="M40 70V32h13a11 11 0 0 1 0 22H40"/>',
  coupon:
    '<path d="M10 28h80v14a8 8 0 0 0 0 16v14H10V58a8 8 0 0 0 0-16z"/><path d="M38 64l24-28"/><circle cx="39" cy="38" r="4"/><circle cx="61" cy="62" r="4"/>',
  referral:
    '<circle cx="36" cy="34" r="13"/><path d="M12 80c2-16 12-24 24-24s22 8 24 24"/><circle cx="70" cy="38" r="10"/><path d="M62 58c12-2 24 6 26 20"/>',
  profile:
    '<rect x="20" y="14" width="60" height="76" rx="8"/><path d="M36 14v-4h28v4"/><line x1="34" y1="42" x2="66" y2="42"/><line x1="34" y1="56" x2="66" y2="56"/><line x1="34" y1="70" x2="54" y2="70"/>',
  help: '<circle cx="50" cy="50" r="40"/><path d="M38 40a12 12 0 1 1 17 11c-4 2-5 5-5 9v3"/><circle cx="50" cy="74" r="2.5" fill="currentColor"/>',
};

function tileHtml(tile: RichMenuTile, i: number): string {
  const b = tileBounds(i);
  return `<div class="tile" style="left:${b.x}px;top:${b.y}px;width:${b.width}px;height:${b.height}px">
    <svg viewBox="0 0 100 100" class="icon">${ICONS[tile.icon]}</svg>
    <div class="label">${tile.label}</div><div class="hint">${tile.hint}</div></div>`;
}

export function richMenuHtml(): string {
  const { width, height } = RICH_MENU_SIZE;
  return `<!doctype html><html><head><meta charset="utf-8"><style>
    * { margin: 0; box-sizing: border-box; }
    body { width: ${width}px; height: ${height}px; background: #FFFFFF; font-family: 'Noto Sans CJK TC', 'Noto Sans TC', 'PingFang TC', sans-serif; overflow: hidden; position: relative; }
    .tile { position: absolute; display: flex; flex-direction: column; align-items: center; justify-content: center; border-right: 6px solid #E6EEE9; border-bottom: 6px solid #E6EEE9; }
    .tile:nth-child(3n) { border-right: none; } .tile:nth-child(n+4) { border-bottom: none; }
    .tile:nth-child(1) { background: ${GREEN}; color: #FFFFFF; }
    .icon { width: 300px; height: 300px; color: ${GREEN}; fill: none; stroke: currentColor; stroke-width: 6; stroke-linecap: round; stroke-linejoin: round; }
    .tile:nth-child(1) .icon { color: #FFFFFF; }
    .label { margin-top: 40px; font-size: 150px; font-weight: 700; color: ${INK}; letter-spacing: 8px; }
    .tile:nth-child(1) .label { color: #FFFFFF; }
    .hint { margin-top: 16px; font-size: 64px; color: #6B7A72; }
    .tile:nth-child(1) .hint { color: #E3FBEA; }
  </style></head><body>${RICH_MENU_TILES.map(tileHtml).join('')}</body></html>`;
}

async function main(): Promise<void> {
  const { chromium } = await import('playwright-core');
  const out = path.resolve(__dirname, 'richmenu.png');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--font-render-hinting=none'],
  });
  try {
    const page = await browser.newPage({ viewport: { ...RICH_MENU_SIZE }, deviceScaleFactor: 1 });
    await page.setContent(richMenuHtml(), { waitUntil: 'load' });
    await page.screenshot({ path: out, type: 'png', clip: { x: 0, y: 0, ...RICH_MENU_SIZE } });
    console.log(`wrote ${out}`);
  } finally {
    await browser.close();
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
