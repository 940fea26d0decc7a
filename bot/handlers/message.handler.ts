import { claimLineLinkCode } from '../../domain/campaigns/test-recipients.service';
import { tagMember } from '../../domain/members/member-tags.service';
import { syncMemberRichMenu } from '../../domain/richmenus/richmenu-assign.service';
import type { LineMessage } from '../../domain/messaging/messenger';
import { findSurveyAwaitingComment, recordSurveyAnswer } from '../../domain/surveys/survey.service';
import { detectInterestMentions } from '../commands/interest-tags';
import { type Command, detectCommand } from '../commands/keywords';
import { menuItems } from '../commands/member-commands';
import { runCommand } from '../commands/router';
import { t } from '../messages/catalogue';
import { textMessage } from '../messages/quick-reply';
import {
  answerPersonaFlow,
  isPersonaActive,
  startPersonaFlow,
  textAnswersCurrentQuestion,
} from '../persona/persona.flow';
import { handleAgentRequest } from './agent-request';
import { hasConsented } from './consent';
import { brandReply, fallbackReply, intentReply, yesNoReply } from './conversation';
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
 * Order matters (#13.3, #13.4): a console link code; a comment right after a survey score; a natural yes/no to the
 * question waiting for one (the unsubscribe confirmation, the data notice). While the Q&A is open, text that answers
 * the waiting question is its answer; a command runs as before; a real question (an intent, a keyword rule, an FAQ
 * entry) is answered and the waiting question asked again with its choices; anything else goes to the Q&A (which
 * re-prompts).
 * Otherwise: a command typed as such, an intent, the brand's answers, a command word inside a short sentence,
 * interest words, and last the fallback (counted as an unanswered phrase), never silence.
 */
export async function handleText(bc: BotContext, member: BotMember, text: string): Promise<LineMessage[]> {
  // 「連結 XXXXXXXX」 from the console's 我的帳號: links this LINE account as that console user's test recipient.
  const link = member.lineUserId ? await claimLineLinkCode({ lineUserId: member.lineUserId, text, now: bc.now }) : null;
  if (link) return [textMessage(link.reply, menuItems())];
  const command = detectCommand(text);
  const consentWord = command?.name === 'consent_accept' || command?.name === 'consent_decline';
  if (!command) {
    const comment = await surveyComment(bc, member, text);
    if (comment) return comment;
    const yesNo = await yesNoReply(bc, member, text);
    if (yesNo) return yesNo;
  }
  if (!consentWord && hasConsented(member) && isPersonaActive(member)) {
    if (await textAnswersCurrentQuestion(bc, member, text))
      return answerPersonaFlow(bc, member, { kind: 'text', text });
    // A command keeps today's behaviour: its own buttons are the next step (資料 → 繼續填寫, 說明 → the menu).
    const exact = command && detectCommand(text, { exactOnly: true });
    if (exact) return runCommand(bc, member, exact);
    const real = (await intentReply(bc, member, text)) ?? (await brandReply(bc, member, text));
    // The waiting question comes back with its choices (the engine's resume: 「我們從上次停下的地方繼續」).
    // …except after a handoff to a colleague: the bot pauses, so no question follows.
    if (real && bc.answeredBy?.by === 'intent' && bc.answeredBy.intent === 'agent') return real;
    if (real) return [...real, ...(await startPersonaFlow(bc, member))];
    if (command) return runCommand(bc, member, command);
    return answerPersonaFlow(bc, member, { kind: 'text', text });
  }
  return (
    (await realQuestionReply(bc, member, text, command)) ??
    (await interestReply(bc, member, text)) ??
    fallbackReply(bc, member, text)
  );
}

/** A command typed as such, an intent, a keyword rule or FAQ entry, a command word in a short sentence; else null. */
async function realQuestionReply(
  bc: BotContext,
  member: BotMember,
  text: string,
  command: Command | null,
): Promise<LineMessage[] | null> {
  const exact = command && detectCommand(text, { exactOnly: true });
  if (exact) return runCommand(bc, member, exact);
  const answer = (await intentReply(bc, member, text)) ?? (await brandReply(bc, member, text));
  if (answer) return answer;
  return command ? runCommand(bc, member, command) : null;
}

/** The optional comment the survey asked for after a score (within its 30-minute window). */
async function surveyComment(bc: BotContext, member: BotMember, text: string): Promise<LineMessage[] | null> {
  const comment = [...text.trim()].slice(0, 500).join('');
  if (!comment) return null;
  const pending = await findSurveyAwaitingComment(member._id, bc.now, member);
  if (!pending) return null;
  const result = await recordSurveyAnswer({ memberId: member._id, surveyId: pending.surveyId, comment, now: bc.now });
  return [textMessage(result.replyText, menuItems())];
}

/** "最近在找跑步鞋" → 興趣:運動 (source keyword), only for members who accepted the notice. */
async function interestReply(bc: BotContext, member: BotMember, text: string): Promise<LineMessage[] | null> {
  if (!hasConsented(member)) return null;
  const mentions = detectInterestMentions(await bc.personaScript(), text);
  if (!mentions.length) return null;
  const added = await tagMember(
    { now: bc.now, timeZone: bc.deps.config.timeZone, logger: bc.log },
    member._id,
    [...new Set(mentions.flatMap((m) => m.tags))],
    'keyword',
  );
  if (added.length) await syncMemberRichMenu(bc.deps.messenger.richMenus, member._id, bc.now, 'tag');
  return [textMessage(t.help.tagged([...new Set(mentions.map((m) => m.label))]), menuItems())];
}
