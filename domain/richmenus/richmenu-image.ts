import fs from 'node:fs';
import { createCanvas, GlobalFonts, type SKRSContext2D } from '@napi-rs/canvas';
import type { Brand } from '../program/program-settings.schema';
import { IMAGE_RULES } from './richmenu-image-rules';
import { type Bounds, tabCells, tileCells, TAB_BAR_HEIGHT } from './richmenu-layout';
import type { MenuForBuild } from './richmenu-build';

/**
 * Draws a template menu's image at runtime (Skia through @napi-rs/canvas, no browser, no network) in the brand's
 * colours, with zh-TW labels in a CJK font installed on the machine: WenQuanYi Micro Hei (Debian
 * `fonts-wqy-microhei`, which .ci/run installs) or Noto Sans CJK (`fonts-noto-cjk`). The first font found is used.
 */
export const CJK_FONT_PATHS = [
  '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc',
  '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc',
];
const FAMILY = 'HuigoCJK';
let fontLoaded: string | null = null;

/** Registers the first CJK font found; throws with the install hint when there is none. */
export function ensureCjkFont(): string {
  if (fontLoaded) return fontLoaded;
  const found = CJK_FONT_PATHS.find((p) => fs.existsSync(p));
  if (!found)
    throw new Error('no CJK font found for rich-menu images: apt-get install fonts-wqy-microhei (see .ci/run)');
  GlobalFonts.registerFromPath(found, FAMILY);
  fontLoaded = found;
  return found;
}

const INK = '#1F2D27';
const MUTED = '#6B7A72';
const RULE = '#E6EEE9';

function fitText(g: SKRSContext2D, text: string, maxWidth: number, px: number, weight: string): void {
  let size = px;
  g.font = `${weight} ${size}px ${FAMILY}`;
  while (size > 24 && g.measureText(text).width > maxWidth) {
    size -= 8;
    g.font = `${weight} ${size}px ${FAMILY}`;
  }
}

function drawTile(g: SKRSContext2D, b: Bounds, label: string, hint: string, filled: boolean, brand: Brand): void {
  g.fillStyle = filled ? brand.primaryColor : '#FFFFFF';
  g.fillRect(b.x, b.y, b.width, b.height);
  g.strokeStyle = RULE;
  g.lineWidth = 6;
  g.strokeRect(b.x + 3, b.y + 3, b.width - 6, b.height - 6);
  const cx = b.x + b.width / 2;
  const big = Math.min(150, Math.floor(b.height / 4));
  g.textAlign = 'center';
  g.textBaseline = 'middle';
  g.fillStyle = filled ? '#FFFFFF' : INK;
  fitText(g, label, b.width - 80, big, 'bold');
  g.fillText(label, cx, b.y + b.height / 2 - (hint ? big * 0.35 : 0));
  if (hint) {
    g.fillStyle = filled ? '#F2FFF6' : MUTED;
    fitText(g, hint, b.width - 80, Math.floor(big * 0.45), 'normal');
    g.fillText(hint, cx, b.y + b.height / 2 + big * 0.6);
  }
  // The accent underline marks the tile as tappable without an icon set.
  g.fillStyle = brand.accentColor;
  g.fillRect(cx - 60, b.y + b.height - 70, 120, 10);
}

/** PNG bytes of a template menu (JPEG when the PNG would exceed LINE's 1 MB). */
export function renderMenuImage(
  m: MenuForBuild,
  brand: Brand,
): { bytes: Buffer; contentType: 'image/png' | 'image/jpeg' } {
  if (m.layout === 'image') throw new Error('an uploaded-image menu has no generated image');
  ensureCjkFont();
  const cells = tileCells(m.layout);
  const width = 2500;
  const height = cells[cells.length - 1].y + cells[cells.length - 1].height;
  const canvas = createCanvas(width, height);
  const g = canvas.getContext('2d');
  g.fillStyle = '#FFFFFF';
  g.fillRect(0, 0, width, height);
  cells.forEach((b, i) => {
    const t = m.tiles[i];
    drawTile(g, b, t?.label ?? '', t?.hint ?? '', i === 0, brand);
  });
  if (m.layout === 'tabs2' && m.tabs) {
    tabCells().forEach((b, i) => {
      const active = i === m.tabs!.index;
      g.fillStyle = active ? brand.primaryColor : '#F1F4F2';
      g.fillRect(b.x, b.y, b.width, TAB_BAR_HEIGHT);
      g.fillStyle = active ? '#FFFFFF' : MUTED;
      g.textAlign = 'center';
      g.textBaseline = 'middle';
      fitText(g, m.tabs!.labels[i] ?? '', b.width - 80, 110, 'bold');
      g.fillText(m.tabs!.labels[i] ?? '', b.x + b.width / 2, TAB_BAR_HEIGHT / 2);
    });
  }
  const png = canvas.toBuffer('image/png');
  if (png.length <= IMAGE_RULES.maxBytes) return { bytes: png, contentType: 'image/png' };
  return { bytes: canvas.toBuffer('image/jpeg', 85), contentType: 'image/jpeg' };
}
