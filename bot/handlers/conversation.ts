import { fillVariables } from '../../domain/conversation/answer-variables';
import { findChatAnswer, type ChatAnswer } from '../../domain/conversation/chat-answer';
import { detectIntent, readYesNo, type IntentName } from '../../domain/conversation/intents';
import {
  pendingQuestionOf,
  resubscribeFromChat,
  setPendingQuestion,
  unsubscribeFromChat,
} from '../../domain/conversation/subscription.service';
import { recordUnanswered } from '../../domain/conversation/unanswered.service';
import type { LineMessage } from '../../domain/messaging/messenger';
import { menuItems } from '../commands/member-commands';
import { t } from '../messages/catalogue';
import { linkBubbleMessage } from '../messages/flex';
import { postbackItem, textMessage } from '../messages/quick-reply';
import { handleAgentRequest } from './agent-request';
import { acceptConsent, consentNoticeMessage, declineConsent } from './consent';
import type { BotContext, BotMember } from './context';

/**
 * The chat's understanding of free text (#13.3): a natural yes/no to the question waiting for one, the built-in
 * intents, and the brand's answers (keyword rules, then the FAQ). Each function returns null when the text is not
 * for it, and notes on `bc.answeredBy` what answered, so the reply's timeline line names it.
 */

export const UNSUBSCRIBE_YES = 'conv:unsubscribe:yes';
export const UNSUBSCRIBE_NO = 'conv:unsubscribe:no';

const INTENT_LABELS: Record<IntentName, string> = {
  unsubscribe: '取消訂閱',
  resubscribe: '訂閱',
  agent: '找真人客服',
  greeting: '打招呼',
  thanks: '道謝',
};

/** 好 / 不要 … to the yes/no question waiting for this member: the unsubscribe confirmation, then the data notice. */
export async function yesNoReply(bc: BotContext, member: BotMember, text: string): Promise<LineMessage[] | null> {
  const answer = readYesNo(text);
  if (!answer) return null;
  if (pendingQuestionOf(member, bc.now) === 'unsubscribe') {
    bc.answeredBy = {
      by: 'intent',
      intent: 'unsubscribe',
      label: `內建意圖：取消訂閱（回答「${answer === 'yes' ? '是' : '否'}」）`,
    };
    return confirmUnsubscribe(bc, member, answer === 'yes');
  }
  if (member.consent?.status === 'pending') {
    bc.answeredBy = {
      by: 'intent',
      intent: 'consent',
      label: `個資告知（回答「${answer === 'yes' ? '同意' : '不同意'}」）`,
    };
    return answer === 'yes' ? acceptConsent(bc, member) : declineConsent(bc, member);
  }
  return null;
}

/** The unsubscribe confirmation's buttons (or a typed yes/no). */
export async function confirmUnsubscribe(bc: BotContext, member: BotMember, yes: boolean): Promise<LineMessage[]> {
  if (!yes) {
    await setPendingQuestion(member._id, null, bc.now);
    return [textMessage(t.conversation.unsubscribeKept, menuItems())];
  }
  await unsubscribeFromChat(member._id, bc.now);
  return [textMessage(t.conversation.unsubscribed, menuItems())];
}

/** A built-in intent (any state of the chat), or null. */
export async function intentReply(bc: BotContext, member: BotMember, text: string): Promise<LineMessage[] | null> {
  const intent = detectIntent(text);
  if (!intent) return null;
  bc.answeredBy = { by: 'intent', intent, label: `內建意圖：${INTENT_LABELS[intent]}` };
  switch (intent) {
    case 'unsubscribe':
      if (!member.consent?.marketing) return [textMessage(t.conversation.alreadyUnsubscribed, menuItems())];
      await setPendingQuestion(member._id, 'unsubscribe', bc.now);
      return [
        textMessage(t.conversation.unsubscribeConfirm, [
          postbackItem(t.conversation.unsubscribeYes, UNSUBSCRIBE_YES),
          postbackItem(t.conversation.unsubscribeNo, UNSUBSCRIBE_NO),
        ]),
      ];
    case 'resubscribe':
      if (member.consent?.status === 'accepted' && member.consent.marketing)
        return [textMessage(t.conversation.alreadySubscribed, menuItems())];
      if (!(await resubscribeFromChat(member._id, bc.now)))
        return [consentNoticeMessage(t.conversation.resubscribeNeedsConsent)];
      return [textMessage(t.conversation.resubscribed, menuItems())];
    case 'agent':
      return handleAgentRequest(bc, member, { reason: 'asked', text });
    case 'greeting':
      return [textMessage(fillVariables(t.conversation.greeting, { name: nameOf(member) }).trim(), menuItems())];
    case 'thanks':
      return [textMessage(t.conversation.thanks, menuItems())];
  }
}

function nameOf(member: BotMember): string {
  const name = (member.displayName ?? '').trim();
  return name ? `${name} ` : '';
}

/** The brand's answer: a keyword rule that is on now, else an FAQ entry above the matcher's threshold. */
export async function brandReply(bc: BotContext, member: BotMember, text: string): Promise<LineMessage[] | null> {
  const answer = await findChatAnswer({
    text,
    memberId: member._id,
    now: bc.now,
    timeZone: bc.deps.config.timeZone,
    name: (member.displayName ?? '').trim(),
    cardUrl: bc.deps.links.card(),
  });
  if (!answer) return null;
  if (answer.kind === 'faq') {
    bc.answeredBy = {
      by: 'faq',
      faqId: answer.entry.id,
      score: Number(answer.score.toFixed(3)),
      label: `常見問題：${answer.entry.question}`,
    };
    return [textMessage(answer.text, menuItems())];
  }
  bc.answeredBy = { by: 'rule', ruleId: answer.rule.id, label: `自動回覆：${answer.rule.name}` };
  return ruleMessages(bc, answer);
}

function ruleMessages(bc: BotContext, answer: Extract<ChatAnswer, { kind: 'rule' }>): LineMessage[] {
  const reply = answer.rule.reply;
  if (reply.kind === 'flex') return [{ ...answer.flex, quickReply: { items: menuItems() } } as unknown as LineMessage];
  if (reply.kind === 'card') {
    const bubble = linkBubbleMessage({
      altText: answer.text ?? t.card.altText,
      title: t.commands.card,
      body: answer.text ?? t.card.text,
      buttonLabel: t.welcome.openCard,
      url: bc.deps.links.card(),
    });
    return [{ ...bubble, quickReply: { items: menuItems() } } as LineMessage];
  }
  if (reply.kind === 'coupon') {
    const lines = [answer.text ?? ''];
    if (answer.coupon) lines.push(fillVariables(t.conversation.couponIssued, { coupon: answer.coupon.title }));
    else if (answer.couponRefusal) lines.push(answer.couponRefusal);
    return [textMessage(lines.filter(Boolean).join('\n\n'), menuItems())];
  }
  return [textMessage(answer.text ?? '', menuItems())];
}

/** Nothing understood the text: counted for 「未回覆的問題」, then the agent request (today: the fallback). */
export async function fallbackReply(bc: BotContext, member: BotMember, text: string): Promise<LineMessage[]> {
  await recordUnanswered(text, bc.now, bc.deps.config.timeZone);
  bc.answeredBy = { by: 'fallback', label: '未能回答' };
  return handleAgentRequest(bc, member, { reason: 'unanswered', text });
}
