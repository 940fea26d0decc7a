import type { messagingApi } from '@line/bot-sdk';
import type { CouponView } from '../../domain/coupons';
import type { LineMessage } from '../../domain/messaging/messenger';
import { t } from './catalogue';

type FlexComponent = messagingApi.FlexComponent;
type FlexBubble = messagingApi.FlexBubble;

const BRAND_GREEN = '#06C755';
const MUTED = '#666666';
const clip = (s: string, max: number) => ([...s].length > max ? `${[...s].slice(0, max - 1).join('')}…` : s);

const text = (value: string, extra: Partial<messagingApi.FlexText> = {}): FlexComponent => ({
  type: 'text',
  text: value || ' ',
  wrap: true,
  ...extra,
});

function uriButton(label: string, uri: string, style: 'primary' | 'secondary' | 'link' = 'primary'): FlexComponent {
  return {
    type: 'button',
    style,
    height: 'sm',
    ...(style === 'primary' ? { color: BRAND_GREEN } : {}),
    action: { type: 'uri', label: clip(label, 20), uri },
  };
}

/** A simple card: a title, a paragraph and one button that opens a link (welcome, member card, referral). */
export function linkBubbleMessage(opts: {
  altText: string;
  title: string;
  body: string;
  buttonLabel: string;
  url: string;
  secondary?: { label: string; url: string };
}): LineMessage {
  const footer: FlexComponent[] = [uriButton(opts.buttonLabel, opts.url)];
  if (opts.secondary) footer.push(uriButton(opts.secondary.label, opts.secondary.url, 'link'));
  const bubble: FlexBubble = {
    type: 'bubble',
    body: {
      type: 'box',
      layout: 'vertical',
      spacing: 'md',
      contents: [text(opts.title, { weight: 'bold', size: 'lg' }), text(opts.body, { size: 'sm', color: MUTED })],
    },
    footer: { type: 'box', layout: 'vertical', spacing: 'sm', contents: footer },
  };
  return { type: 'flex', altText: clip(opts.altText, 400), contents: bubble };
}

function couponBubble(c: CouponView, validUntil: string, showUrl: string): FlexBubble {
  return {
    type: 'bubble',
    size: 'kilo',
    header: {
      type: 'box',
      layout: 'vertical',
      backgroundColor: BRAND_GREEN,
      paddingAll: 'lg',
      contents: [text(c.valueLabel, { color: '#FFFFFF', weight: 'bold', size: 'xl' })],
    },
    body: {
      type: 'box',
      layout: 'vertical',
      spacing: 'sm',
      contents: [
        text(clip(c.title, 40), { weight: 'bold', size: 'md' }),
        ...(c.terms ? [text(clip(c.terms, 80), { size: 'xs', color: MUTED, maxLines: 3 })] : []),
        text(validUntil, { size: 'xs', color: MUTED, margin: 'md' }),
        text(t.coupons.code(c.displayCode), { size: 'xs', color: MUTED }),
      ],
    },
    footer: { type: 'box', layout: 'vertical', contents: [uriButton(t.coupons.show, showUrl)] },
  };
}

/** Active coupons as a swipeable carousel (LINE allows 12 bubbles; the caller says how many more exist). */
export function couponCarouselMessage(
  coupons: Array<{ coupon: CouponView; validUntil: string; showUrl: string }>,
): LineMessage {
  return {
    type: 'flex',
    altText: t.coupons.altText(coupons.length),
    contents: {
      type: 'carousel',
      contents: coupons.slice(0, 12).map((c) => couponBubble(c.coupon, c.validUntil, c.showUrl)),
    },
  };
}
