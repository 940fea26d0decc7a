import type { LineMessage } from '../../domain/messaging/messenger';
import { answerLabelOf } from '../../domain/persona/persona-answers';
import type { PersonaState } from '../../domain/persona/persona-engine';
import type { PersonaScript } from '../../domain/persona/persona-script.schema';
import type { BotMember } from '../handlers/context';
import { t } from '../messages/catalogue';
import { messageItem, textMessage } from '../messages/quick-reply';

/**
 * 資料: what the member told us, question by question, read the way the member card and the completion check read
 * it (domain/persona/persona-answers.ts: the member document first, the Q&A state's answers as a fallback).
 */
export function profileSummaryMessage(script: PersonaScript, member: BotMember): LineMessage {
  const state = member.persona?.state as PersonaState | undefined;
  const lines = script.questions.map(
    (q) => `${q.title ?? q.id}：${answerLabelOf(q, member, state) ?? t.persona.summaryUnanswered}`,
  );
  const active = state?.status === 'active';
  const anyAnswered = script.questions.some((q) => answerLabelOf(q, member, state) !== null);
  const footer = active
    ? t.persona.summaryIncomplete
    : anyAnswered
      ? t.persona.summaryComplete
      : t.persona.summaryEmpty;
  const items = [messageItem(t.persona.restart)];
  if (active || !anyAnswered) items.unshift(messageItem(t.persona.continue));
  return textMessage(`${t.persona.summaryTitle}\n${lines.join('\n')}\n\n${footer}`, items);
}
