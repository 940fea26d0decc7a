import { recordInteraction } from '../../domain/interactions/interaction.service';
import type { LineMessage } from '../../domain/messaging/messenger';
import { matchOption, matchOptions } from '../../domain/persona/answer-parsing';
import { awardPersonaCompletion, loadPersonaState, savePersonaProgress } from '../../domain/persona/persona-progress.service';
import { getPersonaScript } from '../../domain/persona/persona-script.service';
import { zonedDate } from '../../domain/shared/clock';
import { menuItems } from '../commands/member-commands';
import type { BotContext, BotMember } from '../handlers/context';
import { t } from '../messages/catalogue';
import { textMessage } from '../messages/quick-reply';
import { answerPersona, type EngineContext, type PersonaChatInput, type PersonaChatStep, type PersonaState, restartPersona, startPersona } from './persona-chat';

/**
 * The persona engine wired to storage: load the member's state → run one pure step → store it with a
 * compare-and-set on its revision (a concurrent step makes us reload and recompute) → timeline, reward.
 * Callers have already checked consent: questions are only asked after the member accepted the notice.
 */

type StoredState = PersonaState & { lastEvent?: string };
const MAX_ATTEMPTS = 3;

async function engineContext(bc: BotContext): Promise<EngineContext> {
  return { script: await getPersonaScript(), today: zonedDate(bc.now, bc.deps.config.timeZone), now: bc.now };
}

/** Starts the questions, or resumes them where the member stopped. */
export function startPersonaFlow(bc: BotContext, member: BotMember): Promise<LineMessage[]> {
  return runStep(bc, member, (ctx, state) => startPersona(ctx, state));
}

/** 重新填寫. */
export function restartPersonaFlow(bc: BotContext, member: BotMember): Promise<LineMessage[]> {
  return runStep(bc, member, (ctx) => restartPersona(ctx));
}

/** An answer to the waiting question (typed or a button). */
export function answerPersonaFlow(bc: BotContext, member: BotMember, input: PersonaChatInput): Promise<LineMessage[]> {
  return runStep(bc, member, (ctx, state) => (state ? answerPersona(ctx, state, input) : startPersona(ctx, null)));
}

/** True while the member is in the middle of the questions. */
export function isPersonaActive(member: BotMember): boolean {
  return (member.persona?.state as StoredState | undefined)?.status === 'active';
}

/**
 * Whether typed text answers the waiting question. Used to let an option such as 「點數回饋」's alias 「點數」
 * win over the 點數 command while that question is open.
 */
export async function textAnswersCurrentQuestion(member: BotMember, text: string): Promise<boolean> {
  const state = member.persona?.state as StoredState | undefined;
  if (state?.status !== 'active' || !state.current) return false;
  const q = (await getPersonaScript()).questions.find((x) => x.id === state.current);
  if (!q || !('options' in q)) return false;
  return q.type === 'multi' ? matchOptions(q.options, text) !== null : matchOption(q.options, text) !== null;
}

async function runStep(bc: BotContext, member: BotMember, compute: (ctx: EngineContext, state: StoredState | null) => PersonaChatStep): Promise<LineMessage[]> {
  const ctx = await engineContext(bc);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const loaded = await loadPersonaState(member._id);
    const state = loaded.state as StoredState | null;
    // The same event run again (its handler failed after storing): do not apply the answer twice, just re-ask.
    if (state?.lastEvent === bc.webhookEventId) return startPersona(ctx, state).messages;
    const step = compute(ctx, state);
    const unchanged = state !== null && JSON.stringify(step.state) === JSON.stringify(state) && !step.completedNow;
    if (unchanged) return step.messages;
    const saved = await savePersonaProgress({
      memberId: member._id, expectedRev: loaded.rev, state: { ...step.state, lastEvent: bc.webhookEventId },
      set: step.updates.set, addTags: step.updates.addTags, removeTags: step.updates.removeTags,
      startedNow: !state || (state.status !== 'active' && step.state.status === 'active'), completedNow: step.completedNow, now: bc.now,
    });
    if (!saved) continue;
    await recordAnswer(bc, member, step);
    return step.completedNow ? withMenu([...step.messages, ...(await rewardMessages(bc, member))]) : step.messages;
  }
  throw new Error('persona state changed concurrently too many times');
}

/** The Q&A's buttons go away when it ends: offer the menu instead, so the member is not left without a next step. */
function withMenu(messages: LineMessage[]): LineMessage[] {
  if (!messages.length) return messages;
  const last = messages[messages.length - 1];
  return [...messages.slice(0, -1), { ...last, quickReply: { items: menuItems() } } as LineMessage];
}

async function recordAnswer(bc: BotContext, member: BotMember, step: PersonaChatStep): Promise<void> {
  if (!step.answered) return;
  const a = step.answered;
  await recordInteraction({
    memberId: member._id, lineUserId: member.lineUserId ?? undefined, type: 'persona_answer', channel: 'line', at: bc.now,
    key: `persona:${bc.webhookEventId}`, summary: `${a.title}：${a.label}`,
    refs: { questionId: a.questionId, skipped: a.skipped, webhookEventId: bc.webhookEventId },
  });
}

async function rewardMessages(bc: BotContext, member: BotMember): Promise<LineMessage[]> {
  const reward = await awardPersonaCompletion(member._id, bc.now, bc.deps.config.timeZone);
  if (!reward) return [];
  return [textMessage(reward.duplicate ? t.persona.updated : t.persona.reward(reward.points, reward.balance))];
}
