/**
 * The three flex layouts a marketer can fill in without touching JSON: an offer, a coupon and a news card.
 * Each template builds a LINE flex bubble from a few fields and can read its own bubble back (so a saved campaign
 * opens in the same form); anything else opens in the JSON editor.
 */
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

const BRAND = '#0f766e';
const ACCENT = '#e11d48';

type Json = Record<string, unknown>;
const text = (t: string, extra: Json = {}): Json => ({ type: 'text', text: t, wrap: true, ...extra });
const hero = (url: string): Json => ({ type: 'image', url, size: 'full', aspectRatio: '20:13', aspectMode: 'cover' });
const button = (label: string, uri: string, color = BRAND): Json => ({
  type: 'button',
  style: 'primary',
  color,
  height: 'sm',
  action: { type: 'uri', label, uri },
});

type Bubble = { type: 'bubble' } & Json;

function build(kind: FlexTemplateKind, f: FlexFields): Bubble {
  const body: Json[] = [];
  if (kind === 'coupon') body.push(text(t.flex.couponTag, { size: 'xs', color: ACCENT, weight: 'bold' }));
  if (kind === 'news') body.push(text(t.flex.newsTag, { size: 'xs', color: BRAND, weight: 'bold' }));
  body.push(text(f.title, { size: 'xl', weight: 'bold' }));
  if (kind !== 'news' && f.price) body.push(text(f.price, { size: 'xxl', weight: 'bold', color: ACCENT }));
  if (f.body) body.push(text(f.body, { size: 'sm', color: '#555555' }));
  const bubble: Bubble = { type: 'bubble' };
  if (f.imageUrl && kind !== 'coupon') bubble.hero = hero(f.imageUrl);
  bubble.body = { type: 'box', layout: 'vertical', spacing: 'md', contents: body };
  if (f.buttonLabel && f.buttonUrl)
    bubble.footer = {
      type: 'box',
      layout: 'vertical',
      contents: [button(f.buttonLabel, f.buttonUrl, kind === 'coupon' ? ACCENT : BRAND)],
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
): { type: 'flex'; altText: string; contents: Bubble } {
  return { type: 'flex', altText: altText || fields.title, contents: build(kind, fields) };
}

/** The template and fields that produced this bubble, or null (then the bubble is edited as JSON). */
export function readFlexTemplate(contents: unknown): { kind: FlexTemplateKind; fields: FlexFields } | null {
  const b = contents as {
    hero?: { url?: string };
    body?: { contents?: Array<{ text?: string; size?: string }> };
    footer?: { contents?: Array<{ action?: { label?: string; uri?: string } }> };
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
    if (JSON.stringify(build(kind, fields)) === JSON.stringify(contents)) return { kind, fields };
  }
  return null;
}
