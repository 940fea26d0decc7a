import type { messagingApi } from '@line/bot-sdk';
import type { LineMessage } from '../../domain/messaging/messenger';
import { replyBrandColors } from '../../domain/replies/reply-registry';
import { brandButtonStyle, readableTextColor } from '../../shared/color';

/**
 * The flex pieces that need no catalogue text: the link card (welcome, member card, referral) and its parts. Kept
 * apart from flex.ts so the catalogue can preview its editable welcome card with the same builder the bot sends.
 */

type FlexComponent = messagingApi.FlexComponent;
type FlexBubble = messagingApi.FlexBubble;

/** The brand's main colour as the current reply-text copy holds it (program settings `brand.primaryColor`). */
export const brandPrimary = (): string => replyBrandColors().primary;
/** The text colour that reads on the brand's main colour. */
export const onBrandPrimary = (): string => readableTextColor(brandPrimary());
export const MUTED = '#666666';
export const clip = (s: string, max: number) => ([...s].length > max ? `${[...s].slice(0, max - 1).join('')}…` : s);

export const text = (value: string, extra: Partial<messagingApi.FlexText> = {}): FlexComponent => ({
  type: 'text',
  text: value || ' ',
  wrap: true,
  ...extra,
});

export function uriButton(
  label: string,
  uri: string,
  style: 'primary' | 'secondary' | 'link' = 'primary',
): FlexComponent {
  // A filled button in the brand colour; LINE draws white text on `primary` and dark text on `secondary`, so a light
  // brand colour gets the secondary style to stay readable.
  const primary = brandPrimary();
  return {
    type: 'button',
    style: style === 'primary' ? brandButtonStyle(primary) : style,
    height: 'sm',
    ...(style === 'primary' ? { color: primary } : {}),
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
