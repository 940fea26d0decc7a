import type { messagingApi } from '@line/bot-sdk';
import type { CouponView } from '../../domain/coupons';
import type { LineMessage } from '../../domain/messaging/messenger';
import { t } from './catalogue';
import { brandPrimary, clip, MUTED, onBrandPrimary, text, uriButton } from './link-bubble';

export { linkBubbleMessage } from './link-bubble';

type FlexBubble = messagingApi.FlexBubble;

function couponBubble(c: CouponView, validUntil: string, showUrl: string): FlexBubble {
  return {
    type: 'bubble',
    size: 'kilo',
    header: {
      type: 'box',
      layout: 'vertical',
      backgroundColor: brandPrimary(),
      paddingAll: 'lg',
      contents: [text(c.valueLabel, { color: onBrandPrimary(), weight: 'bold', size: 'xl' })],
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
