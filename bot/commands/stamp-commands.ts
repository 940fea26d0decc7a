import type { LineMessage } from '../../domain/messaging/messenger';
import { listMemberStampCards } from '../../domain/stamps/stamp-view.service';
import { formatDate, formatNumber } from '../../shared/format';
import type { BotContext, BotMember } from '../handlers/context';
import { t } from '../messages/catalogue';
import { textMessage } from '../messages/quick-reply';
import { stampCardsMessage } from '../messages/stamp-flex';
import { menuItems } from './member-commands';

/** 集點 / 集點卡 / 我的集點: the member's stamp cards as the card shows them; none running → a plain answer. */
export async function stampMessages(bc: BotContext, member: BotMember): Promise<LineMessage[]> {
  const cards = await listMemberStampCards(member._id, bc.now);
  if (!cards.length) return [textMessage(t.stamps.none, menuItems())];
  const first = cards[0];
  const tz = bc.deps.config.timeZone;
  const message = stampCardsMessage(cards, {
    altText: t.stamps.altText(first.name, formatNumber(first.stamps), formatNumber(first.stampsNeeded)),
    hint: t.stamps.hint,
    buttonLabel: t.stamps.open,
    url: bc.deps.links.card(),
    expiryDate: (c) => (c.expiresAt ? formatDate(c.expiresAt, tz) : null),
  });
  return [{ ...message, quickReply: { items: menuItems() } } as LineMessage];
}
