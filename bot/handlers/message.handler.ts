import { claimLineLinkCode } from '../../domain/campaigns/test-recipients.service';
import { addTags } from '../../domain/members/member.service';
import { syncMemberRichMenu } from '../../domain/richmenus/richmenu-assign.service';
import type { LineMessage } from '../../domain/messaging/messenger';
import { findSurveyAwaitingComment, recordSurveyAnswer } from '../../domain/surveys/survey.service';
import { detectInterestMentions } from '../commands/interest-tags';
import { detectCommand } from '../commands/keywords';
import { menuItems } from '../commands/member-commands';
import { runCommand } from '../commands/router';
import { t } from '../messages/catalogue';
import { textMessage } from '../messages/quick-reply';
import { answerPersonaFlow, isPersonaActive, textAnswersCurrentQuestion } from '../persona/persona.flow';
import { handleAgentRequest } from './agent-request';
import { hasConsented } from './consent';
import type { InboundMessage } from '../event-store';
import type { BotContext, BotMember } from './context';

/** A 1:1 chat message: text goes through consent, persona and commands; everything else gets a friendly word. */
export async function handleMessage(
  bc: BotContext,
  member: BotMember,
  message: InboundMessage,
): Promise<LineMessage[]> {
  switch (message.type) {
    case 'text':
      return handleText(bc, member, message.text);
    case 'sticker':
      return [textMessage(t.media.sticker, menuItems()), { type: 'sticker', packageId: '446', stickerId: '1989' }];
    case 'unrecognized':
      return [textMessage(t.help.unknown, menuItems())];
    // Something to look at: a colleague in the inbox answers it (#13.5).
    case 'image':
    case 'video':
    case 'file':
      return handleAgentRequest(bc, member, { reason: 'image' });
    default:
      return [textMessage(t.media[message.type], menuItems())];
  }
}

/**
 * Order matters: consent words first; a comment right after a survey score; then, while the Q&A is open,
 * anything that is not a command (or that answers the waiting question even though it looks like one, e.g. 點數
 * for 「點數回饋」) is an answer; then commands; then interest words become tags; anything else gets the help
 * reply, never silence.
 */
export async function handleText(bc: BotContext, member: BotMember, text: string): Promise<LineMessage[]> {
  // 「連結 XXXXXXXX」 from the console's 我的帳號: links this LINE account as that console user's test recipient.
  const link = member.lineUserId ? await claimLineLinkCode({ lineUserId: member.lineUserId, text, now: bc.now }) : null;
  if (link) return [textMessage(link.reply, menuItems())];
  // Asking for a person works in any state. A stand-in trigger until the matcher's intent replaces it (#13.3).
  if (ASKS_FOR_PERSON.test(text)) return handleAgentRequest(bc, member, { reason: 'asked', text });
  const command = detectCommand(text);
  const consentWord = command?.name === 'consent_accept' || command?.name === 'consent_decline';
  if (!command) {
    const comment = await surveyComment(bc, member, text);
    if (comment) return comment;
  }
  if (!consentWord && hasConsented(member) && isPersonaActive(member)) {
    if (!command || (await textAnswersCurrentQuestion(bc, member, text)))
      return answerPersonaFlow(bc, member, { kind: 'text', text });
  }
  if (command) return runCommand(bc, member, command);
  return (await interestReply(bc, member, text)) ?? handleAgentRequest(bc, member, { reason: 'unanswered', text });
}

const ASKS_FOR_PERSON = /真人|客服|找人/;

/** The optional comment the survey asked for after a score (within its 30-minute window). */
async function surveyComment(bc: BotContext, member: BotMember, text: string): Promise<LineMessage[] | null> {
  const comment = [...text.trim()].slice(0, 500).join('');
  if (!comment) return null;
  const pending = await findSurveyAwaitingComment(member._id, bc.now);
  if (!pending) return null;
  const result = await recordSurveyAnswer({ memberId: member._id, surveyId: pending.surveyId, comment, now: bc.now });
  return [textMessage(result.replyText, menuItems())];
}

/** "最近在找跑步鞋" → 興趣:運動 (source keyword), only for members who accepted the notice. */
async function interestReply(bc: BotContext, member: BotMember, text: string): Promise<LineMessage[] | null> {
  if (!hasConsented(member)) return null;
  const mentions = detectInterestMentions(await bc.personaScript(), text);
  if (!mentions.length) return null;
  const added = await addTags(member._id, [...new Set(mentions.flatMap((m) => m.tags))], 'keyword', undefined, bc.now);
  if (added.length) await syncMemberRichMenu(bc.deps.messenger.richMenus, member._id, bc.now, 'tag');
  return [textMessage(t.help.tagged([...new Set(mentions.map((m) => m.label))]), menuItems())];
}
