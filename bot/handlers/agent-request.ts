import { addCustomerMessage, findOpenConversation, requestAgent } from '../../domain/inbox/conversation.service';
import type { CustomerMessage } from '../../domain/inbox/conversation.service';
import { claimClosedHoursNotice } from '../../domain/inbox/closed-hours-notice.service';
import { describeOpening } from '../../domain/inbox/opening-hours';
import { getProgramSettings } from '../../domain/program/settings.service';
import type { LineMessage } from '../../domain/messaging/messenger';
import type { HandoffReason } from '../../models/conversation.model';
import { menuItems } from '../commands/member-commands';
import type { InboundMessage } from '../event-store';
import { summarizeMessage } from '../inbound';
import { t } from '../messages/catalogue';
import { textMessage } from '../messages/quick-reply';
import type { BotContext, BotMember } from './context';

/** `{name}` placeholders of the catalogue's plain template strings. */
function fill(template: string, vars: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => vars[k] ?? m);
}

// Read when sent (not at load): the marketer's edits apply at once. An unanswered text starts with the fallback.
const OPENED: Record<HandoffReason, () => string> = {
  asked: () => t.inbox.openedAsked,
  image: () => t.inbox.openedImage,
  unanswered: () => `${t.help.unknown}\n${t.inbox.openedUnanswered}`,
};
const CLOSED: Record<HandoffReason, () => string> = {
  asked: () => t.inbox.closedAsked,
  image: () => t.inbox.closedImage,
  unanswered: () => `${t.help.unknown}\n${t.inbox.closedUnanswered}`,
};

/** The event's message as the inbox keeps it (null for events that are not messages). */
function customerMessageOf(bc: BotContext): CustomerMessage | undefined {
  if (bc.event.type !== 'message') return undefined;
  const message: InboundMessage = bc.event.message;
  const kind = message.type === 'unrecognized' ? message.lineType || 'unknown' : message.type;
  const token = (message as { markAsReadToken?: unknown }).markAsReadToken;
  return {
    key: `in:${bc.webhookEventId}`,
    kind,
    text: message.type === 'text' ? message.text : summarizeMessage(message).replace(/^\[[^\]]*\]\s*/, ''),
    lineMessageId: message.id || undefined,
    markAsReadToken: typeof token === 'string' && token ? token : undefined,
  };
}

/**
 * The customer wants a person (asked for one, sent an image, or wrote what the bot cannot answer). During the
 * inbox's opening hours a conversation opens (or the open one is reused) with this message in it, the bot's
 * automatic replies to the member pause, and the customer is told a colleague will reply; outside them, the
 * customer is told when someone is next on duty.
 */
export async function handleAgentRequest(
  bc: BotContext,
  member: BotMember,
  request: { reason: HandoffReason; text?: string },
): Promise<LineMessage[]> {
  const timeZone = bc.deps.config.timeZone;
  const result = await requestAgent({
    member: { _id: member._id, lineUserId: member.lineUserId, displayName: member.displayName },
    reason: request.reason,
    message: customerMessageOf(bc),
    now: bc.now,
    timeZone,
  });
  bc.log.info({ reason: request.reason, outcome: result.outcome }, 'customer asked for a person');
  const kind = bc.event.type === 'message' ? bc.event.message.type : 'other';
  const media = t.inbox.media[kind] ?? t.inbox.media.other;
  // While a colleague has the chat, no menu buttons: the bot would not answer them.
  if (result.outcome !== 'closed_hours')
    return [textMessage(fill(result.outcome === 'opened' ? OPENED[request.reason]() : t.inbox.joined, { media }))];
  if (!result.nextOpening) {
    // No one ever answers here: the plain fallback for what the bot did not understand.
    if (request.reason === 'unanswered') return [textMessage(t.help.unknown, menuItems())];
    return [textMessage(t.inbox.noAgents, menuItems())];
  }
  const nextOpening = describeOpening(result.nextOpening, bc.now, timeZone);
  // `{when}` is the name texts edited before `{next_opening}` used: still filled, so those edits keep reading well.
  const vars = { next_opening: nextOpening, when: nextOpening, media };
  return [textMessage(fill(CLOSED[request.reason](), vars), menuItems())];
}

/**
 * While the member's inbox conversation is open the bot stays quiet: the message goes into the conversation for
 * the agents (the webhook still records it on the timeline) and the answer is returned: nothing, or outside
 * 客服時間 the closed-hours notice (once per closed period). Null when no conversation is open (or it has just
 * resumed by time), and the bot answers as usual.
 */
export async function holdForAgent(bc: BotContext, member: BotMember): Promise<LineMessage[] | null> {
  const message = customerMessageOf(bc);
  if (!message) return null;
  const open = await findOpenConversation(member._id, bc.now);
  if (!open) return null;
  const inbox = (await getProgramSettings()).inbox;
  await addCustomerMessage(open, message, bc.now, inbox.autoResumeHours);
  const notice = await claimClosedHoursNotice({
    conversation: open,
    messageKey: message.key,
    now: bc.now,
    timeZone: bc.deps.config.timeZone,
    openingHours: inbox.openingHours,
  });
  if (!notice) return [];
  bc.answeredBy = { by: 'inbox', label: '非客服時間通知' };
  return [textMessage(notice)];
}
