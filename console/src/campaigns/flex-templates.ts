/**
 * The three flex layouts a marketer can fill in without touching JSON: an offer, a coupon and a news card.
 * Each template builds a LINE flex bubble from a few fields and can read its own bubble back (so a saved campaign
 * opens in the same form); anything else opens in the JSON editor.
 */
export type FlexTemplateKind = 'offer' | 'coupon' | 'news';
export interface FlexFields { title: string; body: string; imageUrl: string; price: string; buttonLabel: string; buttonUrl: string }

const BRAND = '#0f766e';
const ACCENT = '#e11d48';

type Json = Record<string, unknown>;
const text = (t: string, extra: Json = {}): Json => ({ type: 'text', text: t, wrap: true, ...extra });
const hero = (url: string): Json => ({ type: 'image', url, size: 'full', aspectRatio: '20:13', aspectMode: 'cover' });
const button = (label: string, uri: string, color = BRAND): Json => ({ type: 'button', style: 'primary', color, height: 'sm', action: { type: 'uri', label, uri } });

function build(kind: FlexTemplateKind, f: FlexFields): Json {
  const body: Json[] = [];
  if (kind === 'coupon') body.push(text('優惠券', { size: 'xs', color: ACCENT, weight: 'bold' }));
  if (kind === 'news') body.push(text('最新消息', { size: 'xs', color: BRAND, weight: 'bold' }));
  body.push(text(f.title, { size: 'xl', weight: 'bold' }));
  if (kind !== 'news' && f.price) body.push(text(f.price, { size: 'xxl', weight: 'bold', color: ACCENT }));
  if (f.body) body.push(text(f.body, { size: 'sm', color: '#555555' }));
  const bubble: Json = { type: 'bubble' };
  if (f.imageUrl && kind !== 'coupon') bubble.hero = hero(f.imageUrl);
  bubble.body = { type: 'box', layout: 'vertical', spacing: 'md', contents: body };
  if (f.buttonLabel && f.buttonUrl) bubble.footer = { type: 'box', layout: 'vertical', contents: [button(f.buttonLabel, f.buttonUrl, kind === 'coupon' ? ACCENT : BRAND)] };
  return bubble;
}

export const FLEX_DEFAULTS: Record<FlexTemplateKind, FlexFields> = {
  offer: { title: '週末限定', body: '全品項第二件 6 折，會員再享點數加倍。', imageUrl: '', price: '第二件 6 折', buttonLabel: '立即選購', buttonUrl: 'https://example.com/sale' },
  coupon: { title: '回購禮 NT$100', body: '憑會員卡結帳出示即可折抵，限時 14 天。', imageUrl: '', price: 'NT$100', buttonLabel: '打開會員卡', buttonUrl: 'https://example.com/card' },
  news: { title: '新品上市', body: '秋冬限定口味今天開賣，門市與線上同步供應。', imageUrl: '', price: '', buttonLabel: '了解更多', buttonUrl: 'https://example.com/news' },
};

export function buildFlexMessage(kind: FlexTemplateKind, fields: FlexFields, altText: string): { type: 'flex'; altText: string; contents: Json } {
  return { type: 'flex', altText: altText || fields.title, contents: build(kind, fields) };
}

/** The template and fields that produced this bubble, or null (then the bubble is edited as JSON). */
export function readFlexTemplate(contents: unknown): { kind: FlexTemplateKind; fields: FlexFields } | null {
  const b = contents as { hero?: { url?: string }; body?: { contents?: Array<{ text?: string; size?: string }> }; footer?: { contents?: Array<{ action?: { label?: string; uri?: string } }> } };
  const texts = b?.body?.contents ?? [];
  const action = b?.footer?.contents?.[0]?.action;
  for (const kind of ['offer', 'coupon', 'news'] as FlexTemplateKind[]) {
    const rest = kind === 'offer' ? texts : texts.slice(1);
    const price = kind !== 'news' && rest[1]?.size === 'xxl' ? rest[1].text ?? '' : '';
    const bodyText = rest[price ? 2 : 1]?.text ?? '';
    const fields: FlexFields = { title: rest[0]?.text ?? '', body: bodyText, imageUrl: b?.hero?.url ?? '', price, buttonLabel: action?.label ?? '', buttonUrl: action?.uri ?? '' };
    if (JSON.stringify(build(kind, fields)) === JSON.stringify(contents)) return { kind, fields };
  }
  return null;
}
