import type { webhook } from '@line/bot-sdk';
import type { LineMessage } from '../../domain/messaging/messenger';
import { AppError } from '../../domain/shared/errors';
import { parseSurveyPostback, recordSurveyAnswer } from '../../domain/surveys/survey.service';
import { menuItems, unknownTextMessages } from '../commands/member-commands';
import { commandFromPostback, runCommand } from '../commands/router';
import { t } from '../messages/catalogue';
import { textMessage } from '../messages/quick-reply';
import { answerPersonaFlow, isPersonaActive } from '../persona/persona.flow';
import { profileSummaryMessage } from '../persona/profile-summary';
import { PERSONA_PREFIX } from '../persona/prompt';
import { SWITCH_DATA_PREFIX } from '../../domain/richmenus/richmenu-build';
import {
  acceptConsent,
  CONSENT_ACCEPT_DATA,
  CONSENT_DECLINE_DATA,
  consentNoticeMessage,
  declineConsent,
  hasConsented,
} from './consent';
import type { BotContext, BotMember } from './context';
import { confirmUnsubscribe, UNSUBSCRIBE_NO, UNSUBSCRIBE_YES } from './conversation';

/**
 * Buttons: consent (`consent:accept|decline`), persona answers (`persona:…`), rich-menu commands (`cmd:…`) and
 * survey scores (`survey:<surveyId>:<score>`), rich-menu tab switches (`richmenu:switch:…`, silent). Unknown data (an old button from a previous version) gets the menu.
 */
export async function handlePostback(
  bc: BotContext,
  member: BotMember,
  postback: webhook.PostbackContent,
): Promise<LineMessage[]> {
  const { data, params } = postback;
  if (data === CONSENT_ACCEPT_DATA) return acceptConsent(bc, member);
  if (data === CONSENT_DECLINE_DATA) return declineConsent(bc, member);
  if (data.startsWith(PERSONA_PREFIX)) return personaButton(bc, member, data, params);
  if (data === UNSUBSCRIBE_YES || data === UNSUBSCRIBE_NO)
    return confirmUnsubscribe(bc, member, data === UNSUBSCRIBE_YES);
  // A rich-menu tab switch: LINE already shows the other tab; nothing to say in the chat.
  if (data.startsWith(SWITCH_DATA_PREFIX)) return [];
  const command = commandFromPostback(data);
  if (command) return runCommand(bc, member, command);
  const survey = parseSurveyPostback(data);
  if (survey) return surveyScore(bc, member, survey);
  return unknownTextMessages();
}

/** A persona button: answered while the Q&A is open; an old button after it finished shows the summary instead. */
async function personaButton(
  bc: BotContext,
  member: BotMember,
  data: string,
  params?: Record<string, unknown>,
): Promise<LineMessage[]> {
  if (!hasConsented(member)) return [consentNoticeMessage(t.consent.askFirst)];
  if (!isPersonaActive(member)) return [profileSummaryMessage(await bc.personaScript(), member)];
  return answerPersonaFlow(bc, member, { kind: 'postback', data, params });
}

async function surveyScore(
  bc: BotContext,
  member: BotMember,
  survey: { surveyId: string; score: number },
): Promise<LineMessage[]> {
  try {
    const result = await recordSurveyAnswer({
      memberId: member._id,
      surveyId: survey.surveyId,
      score: survey.score,
      now: bc.now,
    });
    return [textMessage(result.replyText, result.awaitingComment ? [] : menuItems())];
  } catch (err) {
    if (err instanceof AppError && err.status < 500) return [textMessage(t.survey.invalid, menuItems())];
    throw err;
  }
}
