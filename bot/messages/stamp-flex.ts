import type { messagingApi } from '@line/bot-sdk';
import type { StampCardView } from '../../domain/stamps/stamp-view.service';
import type { LineMessage } from '../../domain/messaging/messenger';
import { replyBrandColors } from '../../domain/replies/reply-registry';
import { readableTextColor } from '../../shared/color';
import { STAMP_COMPLETED_TEXT, stampExpiryText, stampProgressText, stampRewardText } from '../../shared/vocabulary';
import { clip, MUTED, text, uriButton } from './link-bubble';

/**
 * The stamp card (集點卡, #16.1) as a flex bubble, drawn like the LIFF card: rows of five round stamps, filled in
 * the brand colour, the reward stamps ringed in the accent colour, then the rewards and the end date. No catalogue
 * import here, so the catalogue's preview can draw its editable stamp texts with this same builder.
 */

type FlexComponent = messagingApi.FlexComponent;
type FlexBubble = messagingApi.FlexBubble;

export interface StampBubbleTexts {
  altText: string;
  hint: string;
  buttonLabel: string;
  url: string;
  /** The end date, already formatted in the program's time zone (null before the first stamp). */
  expiryDate: (card: StampCardView) => string | null;
}

const PER_ROW = 5;
const EMPTY_BORDER = '#9CA3AF';
/** Keeps the last row's stamps in the same columns as the rows above. */
const BLANK_CELL: FlexComponent = { type: 'box', layout: 'vertical', width: '36px', height: '36px', contents: [] };

function stampCell(n: number, card: StampCardView, rewardAts: Set<number>): FlexComponent {
  const { primary, accent } = replyBrandColors();
  const filled = n <= card.stamps;
  const reward = rewardAts.has(n);
  return {
    type: 'box',
    layout: 'vertical',
    width: '36px',
    height: '36px',
    cornerRadius: '18px',
    justifyContent: 'center',
    alignItems: 'center',
    borderWidth: filled ? 'none' : 'medium',
    borderColor: reward ? accent : EMPTY_BORDER,
    ...(filled ? { backgroundColor: primary } : {}),
    contents: [
      text(filled ? '✓' : reward ? '🎁' : String(n), {
        size: 'xs',
        align: 'center',
        weight: 'bold',
        wrap: false,
        color: filled ? readableTextColor(primary) : reward ? accent : MUTED,
      }),
    ],
  };
}

function grid(card: StampCardView): FlexComponent {
  const rewardAts = new Set(card.rewards.map((r) => r.at));
  const rows: FlexComponent[] = [];
  for (let start = 1; start <= card.stampsNeeded; start += PER_ROW) {
    const cells: FlexComponent[] = [];
    for (let n = start; n < start + PER_ROW; n++)
      cells.push(n <= card.stampsNeeded ? stampCell(n, card, rewardAts) : BLANK_CELL);
    rows.push({ type: 'box', layout: 'horizontal', justifyContent: 'space-between', contents: cells });
  }
  return { type: 'box', layout: 'vertical', spacing: 'sm', margin: 'md', contents: rows };
}

export function stampCardBubble(card: StampCardView, texts: StampBubbleTexts): FlexBubble {
  const { primary } = replyBrandColors();
  const rewards = card.rewards.map((r) =>
    text(`${r.given ? '✅ ' : '🎁 '}${stampRewardText(r.at, r.label)}`, {
      size: 'sm',
      color: r.given ? MUTED : undefined,
    }),
  );
  const foot =
    card.status === 'completed' ? STAMP_COMPLETED_TEXT : stampExpiryText(texts.expiryDate(card), card.validityDays);
  return {
    type: 'bubble',
    size: 'kilo',
    header: {
      type: 'box',
      layout: 'vertical',
      backgroundColor: primary,
      paddingAll: 'lg',
      contents: [
        text(clip(card.name, 40), { color: readableTextColor(primary), weight: 'bold', size: 'lg' }),
        text(stampProgressText(card.stamps, card.stampsNeeded), { color: readableTextColor(primary), size: 'sm' }),
      ],
    },
    body: {
      type: 'box',
      layout: 'vertical',
      spacing: 'sm',
      contents: [
        // Cards of more than 50 stamps are drawn as their progress line only (a bubble has a size limit).
        ...(card.stampsNeeded <= 50 ? [grid(card)] : []),
        { type: 'separator', margin: 'lg' },
        ...rewards,
        text(foot, { size: 'xs', color: MUTED, margin: 'md' }),
        text(texts.hint, { size: 'xs', color: MUTED }),
      ],
    },
    footer: { type: 'box', layout: 'vertical', contents: [uriButton(texts.buttonLabel, texts.url)] },
  };
}

/** The member's stamp cards: one bubble, or a carousel of up to 12. */
export function stampCardsMessage(cards: StampCardView[], texts: StampBubbleTexts): LineMessage {
  const bubbles = cards.slice(0, 12).map((c) => stampCardBubble(c, texts));
  return {
    type: 'flex',
    altText: clip(texts.altText, 400),
    contents: bubbles.length === 1 ? bubbles[0] : { type: 'carousel', contents: bubbles },
  };
}
