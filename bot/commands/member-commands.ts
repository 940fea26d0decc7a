import { listExchangeableTemplates, listWallet } from '../../domain/coupons';
import type { LineMessage } from '../../domain/messaging/messenger';
import { getMemberSummary } from '../../domain/members/member-summary';
import { getProgramSettings } from '../../domain/program/settings.service';
import { listStampTemplates } from '../../domain/stamps/stamp-template.service';
import { formatDate } from '../../shared/format';
import type { BotContext, BotMember } from '../handlers/context';
import { t } from '../messages/catalogue';
import { couponCarouselMessage, linkBubbleMessage } from '../messages/flex';
import { messageItem, type QuickReplyItem, textMessage } from '../messages/quick-reply';

/** Carousel bubbles shown in chat; the card lists the rest. */
const COUPONS_IN_CHAT = 10;

/** The menu as quick-reply buttons (typed commands, so they read naturally in the chat history). */
export function menuItems(): QuickReplyItem[] {
  const c = t.commands;
  return [c.card, c.points, c.coupons, c.referral, c.profile, c.help].map((label) => messageItem(label));
}

/**
 * 說明: the menu, plus 集點 and 購物金 while the program has them (an active stamp-card template; a credit gift
 * or refund-as-credit in the settings), as lines and quick replies.
 */
export async function helpMessages(): Promise<LineMessage[]> {
  const [templates, settings] = await Promise.all([listStampTemplates(), getProgramSettings()]);
  const stamps = templates.some((tpl) => tpl.status === 'active');
  const c = settings.credit;
  const credit = c.birthdayAmount > 0 || c.referralAmount > 0 || c.refundAsCredit;
  const lines = [t.help.text, stamps ? t.help.stampsLine : '', credit ? t.help.creditLine : ''].filter(Boolean);
  const extra = [stamps ? '集點' : '', credit ? '購物金' : ''].filter(Boolean).map((label) => messageItem(label));
  const items = menuItems();
  return [textMessage(lines.join('\n'), [...items.slice(0, -1), ...extra, ...items.slice(-1)])];
}

export function unknownTextMessages(): LineMessage[] {
  return [textMessage(t.help.unknown, menuItems())];
}

/** 會員卡: a button that opens the LIFF card. */
export function cardMessages(bc: BotContext): LineMessage[] {
  const bubble = linkBubbleMessage({
    altText: t.card.altText,
    title: t.commands.card,
    body: t.card.text,
    buttonLabel: t.welcome.openCard,
    url: bc.deps.links.card(),
  });
  return [{ ...bubble, quickReply: { items: menuItems() } } as LineMessage];
}

/** 點數: balance, tier and what the next tier needs, and the next points to expire. */
export async function pointsMessages(bc: BotContext, member: BotMember): Promise<LineMessage[]> {
  const { pointsBalance, tier, soonestExpiring: expiring } = await getMemberSummary(member, bc.now);
  const lines = [t.points.balance(pointsBalance), t.points.tier(tier.label, tier.multiplier)];
  // Spend already earns the next tier (the review job moves it): say so rather than "再消費 NT$0", as the card does.
  lines.push(
    !tier.next
      ? t.points.topTier
      : tier.next.spendNeeded > 0
        ? t.points.nextTier(tier.next.spendNeeded, tier.next.label)
        : t.points.tierReached(tier.next.label),
  );
  if (expiring) lines.push(t.points.expiring(expiring.points, formatDate(expiring.expiresAt, bc.deps.config.timeZone)));
  const bubble = linkBubbleMessage({
    altText: lines[0],
    title: lines[0],
    body: lines.slice(1).join('\n'),
    buttonLabel: t.points.history,
    url: bc.deps.links.card('points'),
  });
  return [{ ...bubble, quickReply: { items: menuItems() } } as LineMessage];
}

/** 購物金: the credit balance and the soonest lot to expire, with a button to the card. */
export async function creditMessages(bc: BotContext, member: BotMember): Promise<LineMessage[]> {
  const { credit } = await getMemberSummary(member, bc.now);
  const lines = [t.credit.balance(credit.balance)];
  if (credit.expiring)
    lines.push(
      t.credit.expiring(credit.expiring.amount, formatDate(credit.expiring.expiresAt, bc.deps.config.timeZone)),
    );
  else lines.push(credit.balance > 0 ? t.credit.noExpiring : t.credit.none);
  return [textMessage(lines.join('\n'), menuItems())];
}

/** 優惠券: active coupons as a carousel, soonest to expire first; when none, a hint about exchanging points. */
export async function couponMessages(bc: BotContext, member: BotMember): Promise<LineMessage[]> {
  const wallet = await listWallet(member._id, bc.now);
  if (!wallet.active.length) {
    const exchangeable = await listExchangeableTemplates(member._id, bc.now, bc.deps.config.timeZone);
    const affordable = exchangeable.items.filter((i) => i.canAfford).length;
    return [
      textMessage(
        affordable ? `${t.coupons.none}\n${t.coupons.exchangeHint(affordable)}` : t.coupons.none,
        menuItems(),
      ),
    ];
  }
  const tz = bc.deps.config.timeZone;
  const shown = wallet.active.slice(0, COUPONS_IN_CHAT).map((coupon) => ({
    coupon,
    validUntil: t.coupons.validUntil(formatDate(new Date(coupon.validUntil), tz)),
    showUrl: bc.deps.links.card(`coupons/${encodeURIComponent(coupon.id)}`),
  }));
  const messages: LineMessage[] = [couponCarouselMessage(shown)];
  const more = wallet.active.length - shown.length;
  if (more > 0) messages.push(textMessage(t.coupons.more(more)));
  const last = messages.length - 1;
  messages[last] = { ...messages[last], quickReply: { items: menuItems() } } as LineMessage;
  return messages;
}
