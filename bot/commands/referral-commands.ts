import type { LineMessage } from '../../domain/messaging/messenger';
import { applyReferralCode, getReferralSummary } from '../../domain/referrals/referral.service';
import { AppError } from '../../domain/shared/errors';
import type { BotContext, BotMember } from '../handlers/context';
import { t } from '../messages/catalogue';
import { linkBubbleMessage } from '../messages/flex';
import { textMessage } from '../messages/quick-reply';
import { menuItems } from './member-commands';

/** 推薦: the member's own code, a share button (LINE's share sheet with the link) and the card's referral page. */
export async function referralMessages(bc: BotContext, member: BotMember): Promise<LineMessage[]> {
  const summary = await getReferralSummary(member._id, bc.deps);
  const bubble = linkBubbleMessage({
    altText: `您的推薦碼：${summary.code}`,
    title: t.commands.referral,
    body: t.referral.summary(summary.code, summary.friendsJoined),
    buttonLabel: t.referral.share,
    url: bc.deps.links.share(t.referral.shareText(summary.code, summary.link)),
    secondary: { label: t.welcome.openCard, url: bc.deps.links.card('referral') },
  });
  return [{ ...bubble, quickReply: { items: menuItems() } } as LineMessage];
}

/**
 * 推薦碼 XXXX typed by a new member (or sent for them by the share link). Refusals (own code, second code, unknown
 * code, too late) are ordinary answers in the chat, worded by the referral service.
 */
export async function applyReferralMessages(bc: BotContext, member: BotMember, code: string): Promise<LineMessage[]> {
  try {
    const result = await applyReferralCode({ refereeId: member._id, code, now: bc.now });
    return [textMessage(result.message, menuItems())];
  } catch (err) {
    if (err instanceof AppError && err.status < 500) return [textMessage(err.userMessage, menuItems())];
    throw err;
  }
}
