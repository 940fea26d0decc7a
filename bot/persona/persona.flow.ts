import type { LineMessage } from '../../domain/messaging/messenger';
import { matchOptions, matchSingleAnswer } from '../../domain/persona/answer-parsing';
import type { PersonaReward } from '../../domain/persona/persona-progress.service';
import { applyPersonaInput, type PersonaCommand } from '../../domain/persona/persona-session';
import { menuItems } from '../commands/member-commands';
import type { BotContext, BotMember } from '../handlers/context';
import { t } from '../messages/catalogue';
import { textMessage } from '../messages/quick-reply';
import { type PersonaChatInput, type PersonaState, personaInputOf, renderPersonaStep } from './persona-chat';

/**
 * The persona Q&A in the chat: the use case (domain/persona/persona-session.ts `applyPersonaInput`: load,
 * engine step, compare-and-set save, timeline, reward) rendered as LINE messages. Callers have already checked
 * consent: questions are only asked after the member accepted the notice.
 */

type StoredState = PersonaState & { lastEvent?: string };

/** Starts the questions, or resumes them where the member stopped. */
export function startPersonaFlow(bc: BotContext, member: BotMember): Promise<LineMessage[]> {
  return runStep(bc, member, { kind: 'start' });
}

/** 重新填寫. */
export function restartPersonaFlow(bc: BotContext, member: BotMember): Promise<LineMessage[]> {
  return runStep(bc, member, { kind: 'restart' });
}

/** An answer to the waiting question (typed or a button). */
export function answerPersonaFlow(bc: BotContext, member: BotMember, input: PersonaChatInput): Promise<LineMessage[]> {
  return runStep(bc, member, { kind: 'answer', input: personaInputOf(input) });
}

/** True while the member is in the middle of the questions. */
export function isPersonaActive(member: BotMember): boolean {
  return (member.persona?.state as StoredState | undefined)?.status === 'active';
}

/**
 * Whether typed text answers the waiting question. Used to let an option such as 「點數回饋」's alias 「點數」
 * win over the 點數 command while that question is open.
 */
export async function textAnswersCurrentQuestion(bc: BotContext, member: BotMember, text: string): Promise<boolean> {
  const state = member.persona?.state as StoredState | undefined;
  if (state?.status !== 'active' || !state.current) return false;
  const q = (await bc.personaScript()).questions.find((x) => x.id === state.current);
  if (!q || !('options' in q)) return false;
  return q.type === 'multi' ? matchOptions(q.options, text) !== null : matchSingleAnswer(q.options, text) !== null;
}

async function runStep(bc: BotContext, member: BotMember, command: PersonaCommand): Promise<LineMessage[]> {
  const outcome = await applyPersonaInput(
    { now: bc.now, timeZone: bc.deps.config.timeZone },
    {
      memberId: member._id,
      lineUserId: member.lineUserId ?? undefined,
      eventId: bc.webhookEventId,
      channel: 'line',
      command,
      skippedLabel: t.persona.skip,
      knownState: member.persona?.state ?? null,
      erasureSecret: bc.deps.config.privacy.erasureHmacSecret,
      // Written with the reply's entries (one round trip, and the member as read at the start spares a touch).
      timeline: bc.timeline,
    },
    await bc.personaScript(),
  );
  const { messages } = renderPersonaStep(outcome.engine, outcome.step);
  return outcome.completed ? withMenu([...messages, ...rewardMessages(outcome.reward)]) : messages;
}

/** The Q&A's buttons go away when it ends: offer the menu instead, so the member is not left without a next step. */
function withMenu(messages: LineMessage[]): LineMessage[] {
  if (!messages.length) return messages;
  const last = messages[messages.length - 1];
  return [...messages.slice(0, -1), { ...last, quickReply: { items: menuItems() } } as LineMessage];
}

function rewardMessages(reward: PersonaReward | null): LineMessage[] {
  if (!reward) return [];
  return [textMessage(reward.duplicate ? t.persona.updated : t.persona.reward(reward.points, reward.balance))];
}
