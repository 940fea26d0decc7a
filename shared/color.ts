/**
 * Brand colours made safe to show: which text colour reads on a brand background, and a brand colour dark enough to
 * read as text on white. WCAG 2.x relative luminance and contrast ratio. Browser-safe: used by the bot's flex
 * builders, the console's flex templates and the rich-menu images alike.
 */

export const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

export const WHITE = '#FFFFFF';
export const INK = '#111111';

export interface BrandColors {
  /** The brand's main colour: buttons, headers. */
  primary: string;
  /** The second colour: prices, coupon tags. */
  accent: string;
}

function channels(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Relative luminance (0 black … 1 white) of a `#RRGGBB` colour. */
export function luminance(hex: string): number {
  const [r, g, b] = channels(hex).map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio between two colours (1 … 21). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** White or near-black, whichever reads better on `background` (white wins ties, as LINE's own buttons do). */
export function readableTextColor(background: string): string {
  if (!HEX_COLOR.test(background)) return WHITE;
  return contrastRatio(background, WHITE) >= contrastRatio(background, INK) ? WHITE : INK;
}

/**
 * `color` if it reads as text on white (contrast ≥ 3, WCAG's figure for large and bold text), else the same hue
 * darkened step by step until it does: a yellow brand still gets a yellow-brown price, not an unreadable one.
 */
export function textColorOnWhite(color: string): string {
  if (!HEX_COLOR.test(color)) return INK;
  let [r, g, b] = channels(color);
  let out = color;
  for (let i = 0; i < 20 && contrastRatio(out, WHITE) < 3; i++) {
    [r, g, b] = [r, g, b].map((c) => Math.round(c * 0.85)) as [number, number, number];
    out = `#${[r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('')}`.toUpperCase();
  }
  return out;
}

/**
 * A LINE flex button in the brand colour: `primary` style draws white text, `secondary` dark text, and LINE does not
 * let us choose the text colour of either, so a light brand colour gets the secondary style.
 */
export function brandButtonStyle(background: string): 'primary' | 'secondary' {
  return readableTextColor(background) === WHITE ? 'primary' : 'secondary';
}
