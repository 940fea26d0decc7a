/**
 * The three flex layouts a marketer can fill in without touching JSON: an offer, a coupon and a news card.
 * Each template builds a LINE flex bubble from a few fields and can read its own bubble back (so a saved campaign
 * opens in the same form); anything else opens in the JSON editor.
 */
import { brandButtonStyle, type BrandColors, textColorOnWhite } from '../../../shared/color';
import { t } from '../i18n';

export type FlexTemplateKind = 'offer' | 'coupon' | 'news';
export interface FlexFields {
  title: string;
  body: string;
  imageUrl: string;
  price: string;
  buttonLabel: string;
  buttonUrl: string;
}

/** The colours a template uses when the brand has none (the console's own). */
export const DEFAULT_FLEX_COLORS: BrandColors = { primary: '#0f766e', accent: '#e11d48' };

type Json = Record<string, unknown>;
const text = (t: string, extra: Json = {}): Json => ({ type: 'text', text: t, wrap: true, ...extra });
const hero = (url: string): Json => ({ type: 'image', url, size: 'full', aspectRatio: '20:13', aspectMode: 'cover' });
/** A filled button in a brand colour: LINE draws white text on `primary`, dark text on `secondary`. */
const button = (label: string, uri: string, color: string): Json => ({
  type: 'button',
  style: brandButtonStyle(color),
  color,
  height: 'sm',
  action: { type: 'uri', label, uri },
});

type Bubble = { type: 'bubble' } & Json;

/** Which form field each text of the body comes from, in order (null: the template's own tag). */
function bodyFields(kind: FlexTemplateKind, f: FlexFields): Array<keyof FlexFields | null> {
  const order: Array<keyof FlexFields | null> = kind === 'offer' ? [] : [null];
  order.push('title');
  if (kind !== 'news' && f.price) order.push('price');
  if (f.body) order.push('body');
  return order;
}

function build(kind: FlexTemplateKind, f: FlexFields, colors: BrandColors): Bubble {
  // Texts on the white bubble use the brand colours darkened where they would not read (a yellow accent).
  const [brandText, accentText] = [textColorOnWhite(colors.primary), textColorOnWhite(colors.accent)];
  const tags = { coupon: [t.flex.couponTag, accentText], news: [t.flex.newsTag, brandText] } as Record<
    string,
    string[]
  >;
  const styles: Record<string, Json> = {
    title: { size: 'xl', weight: 'bold' },
    price: { size: 'xxl', weight: 'bold', color: accentText },
    body: { size: 'sm', color: '#555555' },
  };
  const body: Json[] = bodyFields(kind, f).map((field) =>
    field === null
      ? text(tags[kind][0], { size: 'xs', color: tags[kind][1], weight: 'bold' })
      : text(f[field], styles[field]),
  );
  const bubble: Bubble = { type: 'bubble' };
  if (f.imageUrl && kind !== 'coupon') bubble.hero = hero(f.imageUrl);
  bubble.body = { type: 'box', layout: 'vertical', spacing: 'md', contents: body };
  if (f.buttonLabel && f.buttonUrl)
    bubble.footer = {
      type: 'box',
      layout: 'vertical',
      contents: [button(f.buttonLabel, f.buttonUrl, kind === 'coupon' ? colors.accent : colors.primary)],
    };
  return bubble;
}

export const FLEX_DEFAULTS: Record<FlexTemplateKind, FlexFields> = {
  offer: { ...t.flex.offer, imageUrl: '', buttonUrl: 'https://example.com/sale' },
  coupon: { ...t.flex.coupon, imageUrl: '', buttonUrl: 'https://example.com/card' },
  news: { ...t.flex.news, imageUrl: '', buttonUrl: 'https://example.com/news' },
};

export function buildFlexMessage(
  kind: FlexTemplateKind,
  fields: FlexFields,
  altText: string,
  colors: BrandColors = DEFAULT_FLEX_COLORS,
): { type: 'flex'; altText: string; contents: Bubble } {
  return { type: 'flex', altText: altText || fields.title, contents: build(kind, fields, colors) };
}

/**
 * The form field a server error on the built bubble belongs to (`hero.url` → imageUrl, a body text → its field,
 * the footer button's label or uri), so it shows at that input. Path relative to `contents`.
 */
export function templateFieldOf(kind: FlexTemplateKind, f: FlexFields, path: string): keyof FlexFields | null {
  if (path.startsWith('hero')) return 'imageUrl';
  const body = /^body\.contents\.(\d+)/.exec(path);
  if (body) return bodyFields(kind, f)[Number(body[1])] ?? null;
  if (path.startsWith('footer')) return path.endsWith('label') ? 'buttonLabel' : 'buttonUrl';
  return null;
}

/**
 * The template, fields and brand colours that produced this bubble, or null (then the bubble is edited as JSON).
 * Colours are read from the bubble: a campaign saved under the old brand colours still opens in its form.
 */
export function readFlexTemplate(
  contents: unknown,
): { kind: FlexTemplateKind; fields: FlexFields; colors: BrandColors } | null {
  const b = contents as {
    hero?: { url?: string };
    body?: { contents?: Array<{ text?: string; size?: string; color?: string }> };
    footer?: { contents?: Array<{ action?: { label?: string; uri?: string }; color?: string }> };
  };
  const texts = b?.body?.contents ?? [];
  const action = b?.footer?.contents?.[0]?.action;
  for (const kind of ['offer', 'coupon', 'news'] as FlexTemplateKind[]) {
    const rest = kind === 'offer' ? texts : texts.slice(1);
    const price = kind !== 'news' && rest[1]?.size === 'xxl' ? (rest[1].text ?? '') : '';
    const bodyText = rest[price ? 2 : 1]?.text ?? '';
    const fields: FlexFields = {
      title: rest[0]?.text ?? '',
      body: bodyText,
      imageUrl: b?.hero?.url ?? '',
      price,
      buttonLabel: action?.label ?? '',
      buttonUrl: action?.uri ?? '',
    };
    const colors = colorsOf(kind, b, price);
    // Exactly what this template builds with those colours, or it is someone's own JSON that merely looks alike.
    if (JSON.stringify(build(kind, fields, colors)) === JSON.stringify(contents)) return { kind, fields, colors };
  }
  return null;
}

/**
 * The brand colours a bubble of this template was built with, read where the template puts them: the button has the
 * raw colour (primary, or the accent on a coupon), the tag and the price the colour as readable on white (building
 * again with that one gives the same text colour). A colour the template does not use stays the default.
 */
function colorsOf(
  kind: FlexTemplateKind,
  b: { body?: { contents?: Array<{ color?: string }> }; footer?: { contents?: Array<{ color?: string }> } },
  price: string,
): BrandColors {
  const texts = b?.body?.contents ?? [];
  const buttonColor = b?.footer?.contents?.[0]?.color;
  const tagColor = kind === 'offer' ? undefined : texts[0]?.color;
  const priceColor = price ? texts[kind === 'offer' ? 1 : 2]?.color : undefined;
  const primary = kind === 'coupon' ? undefined : (buttonColor ?? tagColor);
  const accent = kind === 'coupon' ? (buttonColor ?? tagColor ?? priceColor) : priceColor;
  return { primary: primary ?? DEFAULT_FLEX_COLORS.primary, accent: accent ?? DEFAULT_FLEX_COLORS.accent };
}
